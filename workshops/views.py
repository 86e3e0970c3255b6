"""The workshops' one view outside the page tree: the public calendar feed at /workshops/feed.ics."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from wagtail.models import Site

from .ics import feed_calendar
from .models import WorkshopIndexPage


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
    calendar = feed_calendar(index.title, index.upcoming_workshops(), request)
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="workshops.ics"'
    return response
