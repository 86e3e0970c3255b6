"""Workshop e-mails, rendered in the person's language and queued through content.mail.send_later once the
transaction that caused them has committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from content.mail import send_later

from .ics import absolute_url, cancellation_calendar, invitation_calendar
from .records import Registration, Status

ICS_MIMETYPE = "text/calendar"
ICS_NAME = "workshop.ics"

SUBJECTS = {
    "confirmation": lambda title: _("You are registered: %(title)s") % {"title": title},
    "waiting": lambda title: _("You are on the waiting list: %(title)s") % {"title": title},
    "promoted": lambda title: _("A place is yours: %(title)s") % {"title": title},
    "reminder": lambda title: _("Tomorrow: %(title)s") % {"title": title},
    "cancelled": lambda title: _("Registration cancelled: %(title)s") % {"title": title},
}
WITH_INVITATION = {"confirmation", "promoted", "reminder"}


def calendar_sequence(registration: Registration) -> int:
    """SEQUENCE of this person's copy of the event (one query).

    The workshop's own number goes up when its time or place changes. Each of the person's cancellations adds
    two: one for the cancelled copy, one for the copy of a later registration. So every message about the
    workshop's UID that reaches the person is newer than the one before it, and their calendar applies it.
    """
    cancellations = Registration.objects.filter(
        workshop_id=registration.workshop_id, user_id=registration.user_id, status=Status.CANCELLED
    ).count()
    sequence = registration.workshop.calendar_sequence + 2 * cancellations
    return sequence - 1 if registration.status == Status.CANCELLED else sequence


def build_message(registration: Registration, kind: str) -> EmailMultiAlternatives:
    """One of confirmation, waiting, promoted, reminder, cancelled.

    People with a place get the event as an .ics file; a cancelled place gets the cancellation of that event.
    """
    workshop, person = registration.workshop, registration.user
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "person": person,
            "workshop": workshop,
            "times": workshop.times,
            "url": absolute_url(workshop.get_url() or ""),
            "me_url": f"{settings.SITE_URL}/me/",
            "has_place": kind in WITH_INVITATION,
        }
        body = render_to_string(f"workshops/email/{kind}.txt", context)
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + SUBJECTS[kind](workshop.title)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[person.email])
    if kind in WITH_INVITATION:
        message.attach(ICS_NAME, invitation_calendar(workshop, calendar_sequence(registration)), ICS_MIMETYPE)
    elif kind == "cancelled":
        calendar = cancellation_calendar(workshop, person.email, calendar_sequence(registration))
        message.attach(ICS_NAME, calendar, ICS_MIMETYPE)
    return message


def send(registration: Registration, kind: str) -> None:
    """Write the e-mail now, as things stand, and queue it once the current transaction commits (at once
    outside one); a transaction rolled back sends nothing."""
    message = build_message(registration, kind)
    transaction.on_commit(lambda: send_later(message))
