"""A small RFC 5545 (iCalendar) writer: CRLF lines folded at 75 octets, escaped text, UTC times."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

if TYPE_CHECKING:
    from .models import WorkshopIndexPage, WorkshopPage

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//GovLearn//Workshops//EN"


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma, and newlines as \\n (RFC 5545 §3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line so that no physical line exceeds 75 octets, never splitting a UTF-8 character."""
    parts: list[str] = []
    current, size, limit = [], 0, MAX_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1  # continuation lines start with one space
        current.append(char)
        size += octets
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def format_utc(value: datetime) -> str:
    """A DATE-TIME in UTC form: 20270328T080000Z."""
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass
class Event:
    uid: str
    start: datetime
    end: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    stamp: datetime | None = None

    def lines(self) -> list[str]:
        lines = [
            "BEGIN:VEVENT",
            f"UID:{self.uid}",
            f"DTSTAMP:{format_utc(self.stamp or timezone.now())}",
            f"DTSTART:{format_utc(self.start)}",
            f"DTEND:{format_utc(self.end)}",
            f"SUMMARY:{escape_text(self.summary)}",
        ]
        if self.description:
            lines.append(f"DESCRIPTION:{escape_text(self.description)}")
        if self.location:
            lines.append(f"LOCATION:{escape_text(self.location)}")
        if self.url:
            lines.append(f"URL:{self.url}")
        lines.append("END:VEVENT")
        return lines


def calendar(events: Iterable[Event], name: str = "") -> str:
    """A whole VCALENDAR object with the given events, CRLF-terminated."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event in events:
        lines.extend(event.lines())
    lines.append("END:VCALENDAR")
    return CRLF.join(fold(line) for line in lines) + CRLF


def absolute_url(path_or_url: str) -> str:
    """Page URLs are relative on a single site: e-mails and calendars need SITE_URL in front."""
    return f"{settings.SITE_URL}{path_or_url}" if path_or_url.startswith("/") else path_or_url


def workshop_uid(workshop: WorkshopPage) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "govlearn"
    return f"workshop-{workshop.pk}@{host}"


def workshop_event(
    workshop: WorkshopPage, include_joining: bool = False, request: HttpRequest | None = None
) -> Event:
    """The workshop as a calendar event; joining details only for a registered person's own copy."""
    url = absolute_url(workshop.get_url(request) or "")
    description = [workshop.summary]
    if include_joining and workshop.joining_details:
        description.append(workshop.joining_details)
    description.append(url)
    location = workshop.place or str(workshop.get_format_display())
    return Event(
        uid=workshop_uid(workshop),
        start=workshop.start,
        end=workshop.end,
        summary=workshop.title,
        description="\n\n".join(part for part in description if part),
        location=location,
        url=url,
        stamp=workshop.last_published_at or timezone.now(),
    )


def workshop_calendar(workshop: WorkshopPage, include_joining: bool = False) -> str:
    return calendar([workshop_event(workshop, include_joining)], name=workshop.title)


def feed_calendar(index: WorkshopIndexPage, request: HttpRequest | None = None) -> str:
    """Public upcoming workshops under the index page, as one calendar (one query)."""
    from .models import WorkshopPage

    workshops = WorkshopPage.objects.live().public().descendant_of(index).upcoming()
    return calendar((workshop_event(workshop, request=request) for workshop in workshops), name=index.title)
