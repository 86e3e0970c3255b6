"""Views of the site shell: search, health, the profile and the "My learning" dashboard."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from .dashboard import dashboard_panels
from .forms import ProfileForm
from .handles import MESSAGES as HANDLE_MESSAGES
from .health import health_report
from .search import MAX_QUERY_LENGTH, search_discussions, search_pages


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search page: the form, one page of results, and links to the other pages that keep the query."""
    results = search_pages(request.GET.get("q"), request.GET.get("page"))
    context = {
        "results": results,
        "discussions": search_discussions(request.user, results.query) if results.query else [],
        "search_query": results.query,
        "query_string": urlencode({"q": results.query}),
        "max_query_length": MAX_QUERY_LENGTH,
    }
    return render(request, "govlearn/search.html", context)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and cache state as JSON for load balancers (GET or HEAD): 503 when the database is down."""
    report, status = health_report()
    return JsonResponse(report, status=status)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "govlearn/dashboard.html", {"dashboard_panels": dashboard_panels(request)})


# A language saved in the profile should outlive the browser session.
LANGUAGE_COOKIE_DEFAULT_AGE = 60 * 60 * 24 * 365


def _save_profile(form: ProfileForm) -> bool:
    """Save; if someone took the same handle since the form checked it, say so instead of failing."""
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:
        form.add_error("username", HANDLE_MESSAGES["taken"])
        return False
    return True


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Edit one's own profile (never anyone else's: the instance is always the signed-in user)."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid() and _save_profile(form):
        user = request.user
        messages.success(request, _("Your profile has been saved."))
        if not user.preferred_language:
            return redirect("profile")
        # Switch the site to the chosen language: its URL prefix now, the language cookie from now on.
        with translation.override(user.preferred_language):
            response = redirect("profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE or LANGUAGE_COOKIE_DEFAULT_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
        )
        return response
    if form.errors:
        # The unsaved values must not leak into the rest of this request (the header, the menus).
        request.user.refresh_from_db()
    return render(request, "govlearn/profile.html", {"form": form})
