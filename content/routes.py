"""What the action routes of pages share (courses, workshops): POST only, from someone signed in; and a
POST from a page rendered before each action had its own address, sent on to that address."""

from collections.abc import Callable, Mapping
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page


def signed_in_post(route: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A route that takes only POSTs, and only from someone signed in (anyone else is sent to sign in and
    comes back to the page)."""

    @wraps(route)
    def checked(page: Page, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.is_authenticated:
            return redirect_to_login(page.get_url(request))
        return route(page, request, *args, **kwargs)

    return checked


def moved_post(request: HttpRequest, page: RoutablePageMixin, routes: Mapping[str, str]) -> HttpResponse:
    """A POST to the page itself, naming its `action`, comes from a page rendered before each action had its
    own route: a 307 sends the same POST on to the route (so an open tab keeps working across a release);
    an action the page does not have is a bad request."""
    route = routes.get(request.POST.get("action", ""))
    if route is None:
        return HttpResponseBadRequest(gettext("Unknown action."))
    return redirect(page.get_url(request) + page.reverse_subpage(route), preserve_request=True)
