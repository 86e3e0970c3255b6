"""Registration rules: register, cancel, promote from the waiting list in order, reminders, attendance.

Every change to a workshop's places happens inside `transaction.atomic()` with the workshop row locked
(`select_for_update`), so two people taking the last place at the same moment cannot both get it. E-mails
are queued when the outermost transaction commits (`emails.send` uses `transaction.on_commit`), so a change
that is rolled back (a failed publish, say) never e-mails anyone. The workshop is always a page instance
passed in: this module does not import the page classes (they import it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as django_format
from django.utils.translation import gettext as _

from content import limits

from . import emails
from .records import Registration, Status

if TYPE_CHECKING:
    from .models import WorkshopPage

REMINDER_WINDOW = timedelta(hours=24)
# Each registration e-mails the person (with a calendar file): registering and cancelling in a loop must
# not turn the site into a mail cannon. Per person and workshop, in the database; per person, in the cache.
REGISTRATIONS_PER_WORKSHOP_A_DAY = 3
REGISTRATION_LIMITS = [(20, 3600), (50, 86400)]


class RegistrationRefused(Exception):
    """Registration (or cancellation) is not possible; the message says why, for the person."""


@dataclass
class RegistrationResult:
    registration: Registration
    created: bool

    @property
    def waiting(self) -> bool:
        return self.registration.status == Status.WAITING


def lock_workshop(workshop: WorkshopPage) -> WorkshopPage:
    """The workshop row, read afresh and locked until the surrounding transaction ends (a no-op on SQLite)."""
    return type(workshop).objects.select_for_update(of=("self",)).get(pk=workshop.pk)


def closed_reason(workshop: WorkshopPage, now: datetime | None = None) -> str | None:
    """Why nobody can register now, or None when registration is open."""
    now = now or timezone.now()
    if not workshop.live:
        return _("This workshop is not published, so registration is closed.")
    if workshop.start <= now:
        return _("This workshop has already started, so registration is closed.")
    if not workshop.registration_open:
        return _("Registration for this workshop is closed.")
    if workshop.registration_deadline and workshop.registration_deadline <= now:
        deadline = workshop.registration_deadline.astimezone(workshop.zone)
        return _("Registration closed on %(date)s.") % {"date": django_format(deadline, "j F Y, H:i")}
    return None


def register(user, workshop: WorkshopPage, now: datetime | None = None) -> RegistrationResult:
    """Give the person a place, or a place on the waiting list when full; registering twice counts once."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_workshop(workshop)
        existing = Registration.objects.active().filter(workshop=locked, user=user).first()
        if existing is not None:
            return RegistrationResult(existing, created=False)
        reason = closed_reason(locked, now)
        if reason:
            raise RegistrationRefused(reason)
        _check_registration_limits(user, locked, now)
        taken = Registration.objects.registered().filter(workshop=locked).count()
        status = Status.REGISTERED if taken < locked.capacity else Status.WAITING
        registration = Registration.objects.create(workshop=locked, user=user, status=status, created=now)
    registration.workshop = locked
    emails.send(registration, "confirmation" if status == Status.REGISTERED else "waiting")
    return RegistrationResult(registration, created=True)


def _check_registration_limits(user, workshop: WorkshopPage, now: datetime) -> None:
    today = Registration.objects.filter(workshop=workshop, user=user, created__gte=now - timedelta(days=1))
    if today.count() >= REGISTRATIONS_PER_WORKSHOP_A_DAY:
        raise RegistrationRefused(
            _("You have registered for this workshop several times today. Please try again tomorrow.")
        )
    if not limits.within("workshops:register", user.pk, REGISTRATION_LIMITS):
        raise RegistrationRefused(_("You have registered for many workshops lately. Please try again later."))


def cancel(user, workshop: WorkshopPage, now: datetime | None = None) -> Registration | None:
    """Give up a place (or leave the waiting list); a freed place goes to the first person waiting."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_workshop(workshop)
        registration = Registration.objects.active().filter(workshop=locked, user=user).first()
        if registration is None:
            return None
        if locked.start <= now:
            raise RegistrationRefused(_("This workshop has already started; it can no longer be cancelled."))
        freed = registration.status == Status.REGISTERED
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        promoted = _promote(locked, now) if freed else []
    registration.workshop = locked
    if freed:  # the person's calendar holds the event: the cancellation takes it out
        emails.send(registration, "cancelled")
    for entry in promoted:
        emails.send(entry, "promoted")
    return registration


def promote_from_waiting_list(workshop: WorkshopPage, now: datetime | None = None) -> list[Registration]:
    """Fill free places from the waiting list, first come first served; e-mails each person promoted."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_workshop(workshop)
        promoted = _promote(locked, now)
    for entry in promoted:
        emails.send(entry, "promoted")
    return promoted


def _promote(locked: WorkshopPage, now: datetime) -> list[Registration]:
    if locked.start <= now:
        return []
    free = locked.capacity - Registration.objects.registered().filter(workshop=locked).count()
    if free <= 0:
        return []
    promoted = list(Registration.objects.waiting().filter(workshop=locked).select_related("user")[:free])
    for entry in promoted:
        entry.status = Status.REGISTERED
        entry.promoted_at = now
        entry.workshop = locked
    Registration.objects.bulk_update(promoted, ["status", "promoted_at"])
    return promoted


def send_due_reminders(now: datetime | None = None) -> int:
    """Remind registered people of workshops starting within a day; each person is reminded once."""
    now = now or timezone.now()
    due = (
        Registration.objects.registered()
        .filter(
            reminded_at__isnull=True,
            workshop__live=True,
            workshop__start__gt=now,
            workshop__start__lte=now + REMINDER_WINDOW,
        )
        .select_related("user", "workshop")
    )
    sent = 0
    for registration in due:
        # Claim the reminder first: a second run (or a parallel one) finds it taken and sends nothing.
        claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(
            reminded_at=now
        )
        if claimed:
            emails.send(registration, "reminder")
            sent += 1
    return sent


def mark_attendance(workshop: WorkshopPage, attended_ids: Iterable[int], now: datetime | None = None) -> int:
    """After the session: registered people in `attended_ids` attended, the others did not."""
    if workshop.start > (now or timezone.now()):
        raise RegistrationRefused(_("Attendance can be marked once the workshop has started."))
    present = set(attended_ids)
    registered = Registration.objects.registered().filter(workshop=workshop)
    with transaction.atomic():
        yes = registered.filter(pk__in=present).update(attended=True)
        registered.exclude(pk__in=present).update(attended=False)
    return yes
