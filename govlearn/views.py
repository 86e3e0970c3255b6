"""Views of the site shell: search, health, the profile and the "My learning" dashboard."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .dashboard import dashboard_panels
from .forms import ProfileForm
from .health import health_report
from .search import search_pages


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    results = search_pages(request.GET.get("q"), request.GET.get("page"))
    return render(request, "govlearn/search.html", {"results": results, "search_query": results.query})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report, status = health_report()
    return JsonResponse(report, status=status)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "govlearn/dashboard.html", {"dashboard_panels": dashboard_panels(request)})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Your profile has been saved."))
        response = redirect("profile")
        if user.preferred_language:
            translation.activate(user.preferred_language)
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.preferred_language,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
    return render(request, "govlearn/profile.html", {"form": form})
