"""Workshops as iCalendar (RFC 5545), written by the `icalendar` package: the public feed, and each person's
copy attached to their e-mails (the event, or its cancellation).

The UID is stable per workshop, so a calendar that holds the event recognises an update or a cancellation
of it; SEQUENCE tells which message about that UID is the newer (RFC 5546 §2.1.4). Times are written in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parseaddr
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

if TYPE_CHECKING:
    from .models import WorkshopPage

PRODID = "-//GovLearn//Workshops//EN"


def absolute_url(path_or_url: str) -> str:
    """Page URLs are relative on a single site: e-mails and calendars need SITE_URL in front."""
    return f"{settings.SITE_URL}{path_or_url}" if path_or_url.startswith("/") else path_or_url


def workshop_uid(workshop: WorkshopPage) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "govlearn"
    return f"workshop-{workshop.pk}@{host}"


def _calendar(events: Iterable[Event], method: str, name: str = "") -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        # icalendar does not know X-WR-CALNAME's type and would write it unescaped: say it is TEXT.
        calendar.add("x-wr-calname", vText(name))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def workshop_event(
    workshop: WorkshopPage,
    include_joining: bool = False,
    request: HttpRequest | None = None,
    stamp: datetime | None = None,
) -> Event:
    """The workshop as an event; joining details only for a registered person's own copy."""
    url = absolute_url(workshop.get_url(request) or "")
    description = [workshop.summary]
    if include_joining and workshop.joining_details:
        description.append(workshop.joining_details)
    description.append(url)
    return Event.new(
        uid=workshop_uid(workshop),
        stamp=(stamp or workshop.last_published_at or timezone.now()).astimezone(UTC),
        start=workshop.start.astimezone(UTC),
        end=workshop.end.astimezone(UTC),
        summary=workshop.title,
        description="\n\n".join(part for part in description if part),
        location=workshop.place or str(workshop.get_format_display()),
        url=url,
        sequence=workshop.calendar_sequence,
    )


def _organizer() -> vCalAddress:
    """The site's sending address: RFC 5546 wants an ORGANIZER on every message about an event."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return vCalAddress.new(address or "noreply@localhost", cn=name or settings.WAGTAIL_SITE_NAME)


def invitation_calendar(workshop: WorkshopPage, sequence: int) -> str:
    """A registered person's copy of the event, with the joining details (METHOD:PUBLISH)."""
    event = workshop_event(workshop, include_joining=True, stamp=timezone.now())
    event.sequence = sequence
    event.organizer = _organizer()
    return _calendar([event], "PUBLISH", name=workshop.title)


def cancellation_calendar(workshop: WorkshopPage, attendee_email: str, sequence: int) -> str:
    """Takes the event out of the person's calendar (METHOD:CANCEL, STATUS:CANCELLED, same UID)."""
    event = workshop_event(workshop, stamp=timezone.now())
    event.sequence = sequence
    event.status = "CANCELLED"
    event.organizer = _organizer()
    event.add("attendee", vCalAddress.new(attendee_email))
    return _calendar([event], "CANCEL", name=workshop.title)


def feed_calendar(name: str, workshops: Iterable[WorkshopPage], request: HttpRequest | None = None) -> str:
    """The given workshops as one public calendar, without joining details."""
    return _calendar((workshop_event(workshop, request=request) for workshop in workshops), "PUBLISH", name)
