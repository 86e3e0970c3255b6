"""The workshop editing form: organisers type times as wall-clock times in the workshop's own time zone."""

import zoneinfo

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

LOCAL_TIME_FIELDS = ("start", "end", "registration_deadline")


def _zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class WorkshopPageForm(WagtailAdminPageForm):
    """Shows the stored UTC times in the workshop's zone and reads typed times back in that zone."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        zone = _zone(getattr(self.instance, "time_zone", None))
        if zone is None or self.is_bound:
            return
        current = timezone.get_current_timezone()
        for name in LOCAL_TIME_FIELDS:
            value = getattr(self.instance, name, None)
            if value is not None and name in self.fields:
                # The widget shows values in the current zone: hand it the wall-clock time of the workshop's.
                wall_clock = value.astimezone(zone).replace(tzinfo=None)
                self.initial[name] = timezone.make_aware(wall_clock, current)

    def clean(self) -> dict:
        cleaned = super().clean()
        zone = _zone(cleaned.get("time_zone"))
        if zone is None:
            return cleaned
        for name in LOCAL_TIME_FIELDS:
            value = cleaned.get(name)
            if value is not None:
                # The form read the typed time in the current zone; the organiser meant the workshop's.
                cleaned[name] = timezone.make_naive(value).replace(tzinfo=zone)
        return cleaned
