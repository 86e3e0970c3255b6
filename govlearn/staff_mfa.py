"""Staff policy: the Wagtail admin opens only to people who have a second factor and used it this session.

Passwords get phished and reused; the admin publishes to every civil servant on the platform. So anyone
with admin access (Wagtail's `wagtailadmin.access_admin`, or a superuser) must first set up an
authenticator app or a security key, and the sign-in of the current session must have used it - a
session signed in with a password alone (for instance from before the second factor was set up) is
sent through allauth's MFA reauthentication first. `STAFF_MFA_REQUIRED` turns the policy off (it is off
by default only in debug).
"""

from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_from_request

ADMIN_PREFIX = "/admin/"
# Signing out must always work; the admin's login URL only redirects to allauth (govlearn.urls).
OPEN_ADMIN_PATHS = ("/admin/logout/", "/admin/login/", "/admin/login")
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def has_admin_access(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin")


def has_second_factor(user) -> bool:
    """An authenticator app or a security key/passkey (recovery codes only ever come with one of them)."""
    return is_mfa_enabled(user, SECOND_FACTORS)


def signed_in_with_second_factor(request: HttpRequest) -> bool:
    """Did this session's sign-in (or a later reauthentication) use the second factor? allauth records
    each authentication step in the session, tied to the user: a TOTP or recovery code at the MFA stage,
    a security key, or a passkey sign-in all count as "mfa"."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def second_factor_reauthentication_url(request: HttpRequest) -> str:
    """allauth's MFA reauthentication (app code first, else security key), back to where they were."""
    methods = get_adapter(request).get_reauthentication_methods(request.user)
    urls = [method["url"] for method in methods if method["id"].startswith("mfa_reauthenticate")]
    url = urls[0] if urls else reverse("mfa_reauthenticate")
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"


def admin_gate(request: HttpRequest) -> HttpResponse | None:
    """None when the request may go on to the admin; otherwise the page that explains or asks for the
    second factor. People without admin access are left to Wagtail, which refuses them itself."""
    path = request.path_info
    if not getattr(settings, "STAFF_MFA_REQUIRED", True) or not path.startswith(ADMIN_PREFIX):
        return None
    if path in OPEN_ADMIN_PATHS or not has_admin_access(request.user):
        return None
    if not has_second_factor(request.user):
        return explain_second_factor_required(request)
    if not signed_in_with_second_factor(request):
        return HttpResponseRedirect(second_factor_reauthentication_url(request))
    return None


def explain_second_factor_required(request: HttpRequest) -> HttpResponse:
    """The explanation, in the person's language: /admin/ has no language prefix, so LocaleMiddleware
    would always pick the default one."""
    language = getattr(request.user, "preferred_language", "") or get_language_from_request(request)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "activate_totp_url": reverse("mfa_activate_totp"),
            "mfa_url": reverse("mfa_index"),
            "admin_url": request.get_full_path() if request.method in ("GET", "HEAD") else ADMIN_PREFIX,
        }
        response = render(request, "govlearn/staff_mfa_required.html", context, status=403)
    response.headers.setdefault("Content-Language", language)
    return response


class StaffSecondFactorMiddleware:
    """Applies `admin_gate` to every request under /admin/ (after authentication, before any view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return admin_gate(request) or self.get_response(request)
