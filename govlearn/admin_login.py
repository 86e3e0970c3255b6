"""Sends every sign-in form that is not allauth's to allauth, so that MFA, e-mail verification and rate
limits apply to everyone: the Wagtail admin's login and Wagtail's front-end login (`_util/login/`)."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def _sign_in_redirect(request: HttpRequest, default_next: str) -> HttpResponseRedirect:
    """Whatever was posted here is ignored: nobody is ever signed in by these URLs."""
    next_url = request.GET.get("next") or default_next
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = default_next
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


def redirect_admin_login(request: HttpRequest) -> HttpResponseRedirect:
    return _sign_in_redirect(request, "/admin/")


def redirect_frontend_login(request: HttpRequest) -> HttpResponseRedirect:
    """Wagtail's `_util/login/` is Django's LoginView: a password alone would sign anyone in there."""
    return _sign_in_redirect(request, settings.LOGIN_REDIRECT_URL)
