"""Workshop forms: the page editor (times typed in the workshop's own zone), a person's register and cancel
actions, and the organiser's attendance and waiting-list actions."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .records import Registration

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


# The organiser's actions, on the admin's registrations view.


class AttendanceForm(forms.Form):
    """Who attended, among the workshop's registered people; the others did not."""

    attended = forms.TypedMultipleChoiceField(coerce=int, required=False, label=_("Attended"))

    def __init__(self, registered: Iterable[Registration], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only this workshop's registered people can be ticked: any other id is an invalid choice.
        self.fields["attended"].choices = [(str(entry.pk), str(entry.user)) for entry in registered]


class PromoteForm(forms.Form):
    """Give the free places to the waiting list, first come first served."""
