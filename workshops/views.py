"""Thin views: register and cancel (POST on a workshop page, then back to it), and the calendar feed."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Site

from .ics import feed_calendar
from .models import WorkshopIndexPage, WorkshopPage
from .services import RegistrationRefused, cancel, register


def workshop_action(request: HttpRequest, workshop: WorkshopPage) -> HttpResponse:
    """POST on a workshop page: `action=register` or `action=cancel`."""
    url = workshop.get_url(request)
    if not request.user.is_authenticated:
        return redirect_to_login(url)
    action = request.POST.get("action")
    try:
        if action == "register":
            result = register(request.user, workshop)
            if not result.created:
                messages.info(request, _("You were already registered; nothing has changed."))
            elif result.waiting:
                messages.success(
                    request,
                    _("Full, so you are on the waiting list. We will e-mail you if a place frees up."),
                )
            else:
                messages.success(
                    request,
                    _("You are registered. We have e-mailed you a confirmation with a calendar file."),
                )
        elif action == "cancel":
            if cancel(request.user, workshop) is None:
                messages.info(request, _("You were not registered for this workshop."))
            else:
                messages.success(request, _("Your registration is cancelled."))
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    except RegistrationRefused as refusal:
        messages.error(request, str(refusal))
    return redirect(url)


@require_GET
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """/workshops/feed.ics: the public upcoming workshops of this site's workshop list, as iCalendar.

    A plain URL rather than a page route: Wagtail's page URLs have no dots in their segments.
    """
    site = Site.find_for_request(request)
    indexes = WorkshopIndexPage.objects.live().public()
    index = (indexes.descendant_of(site.root_page) if site else indexes).first()
    if index is None:
        raise Http404
    response = HttpResponse(feed_calendar(index, request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="workshops.ics"'
    return response
