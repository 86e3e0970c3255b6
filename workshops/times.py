"""Showing a workshop's times: in its own time zone with the UTC offset written out, and in UTC."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils.dateformat import format as django_format
from django.utils.translation import gettext as _

DATE = "l j F Y"
TIME = "H:i"


def offset_label(value: datetime) -> str:
    """UTC+02:00, UTC−03:30, UTC+00:00 for an aware datetime."""
    offset = value.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def range_text(start: datetime, end: datetime) -> str:
    """'Sunday 28 March 2027, 10:00–12:00' (one day) or '… 23:00 – Monday … 01:00' (two days)."""
    if start.date() == end.date():
        return _("%(date)s, %(start)s–%(end)s") % {
            "date": django_format(start, DATE),
            "start": django_format(start, TIME),
            "end": django_format(end, TIME),
        }
    return _("%(start_date)s, %(start)s – %(end_date)s, %(end)s") % {
        "start_date": django_format(start, DATE),
        "start": django_format(start, TIME),
        "end_date": django_format(end, DATE),
        "end": django_format(end, TIME),
    }


@dataclass
class WorkshopTimes:
    """Everything a template needs to show when a workshop happens."""

    start: datetime  # in the workshop's zone
    end: datetime
    zone_name: str
    start_utc: datetime
    end_utc: datetime

    @property
    def local_text(self) -> str:
        """In the workshop's zone, offsets written out (both if a daylight-saving change falls inside)."""
        start_offset, end_offset = offset_label(self.start), offset_label(self.end)
        offsets = start_offset if start_offset == end_offset else f"{start_offset} → {end_offset}"
        return _("%(range)s (%(zone)s time, %(offsets)s)") % {
            "range": range_text(self.start, self.end),
            "zone": self.zone_name,
            "offsets": offsets,
        }

    @property
    def utc_text(self) -> str:
        """The no-JavaScript fallback for the reader's own time: UTC, offset written out."""
        return _("%(range)s UTC (UTC+00:00)") % {"range": range_text(self.start_utc, self.end_utc)}

    @property
    def start_iso(self) -> str:
        return self.start_utc.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def end_iso(self) -> str:
        return self.end_utc.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def is_utc(self) -> bool:
        return self.zone_name == "UTC"


def workshop_times(start: datetime, end: datetime, zone: zoneinfo.ZoneInfo) -> WorkshopTimes:
    return WorkshopTimes(
        start=start.astimezone(zone),
        end=end.astimezone(zone),
        zone_name=str(zone.key),
        start_utc=start.astimezone(UTC),
        end_utc=end.astimezone(UTC),
    )
