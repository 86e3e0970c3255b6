"""Workshop e-mails, rendered in the person's language and queued through content.mail.send_later."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from content.mail import send_later

from .ics import absolute_url, workshop_calendar
from .models import Registration

ICS_MIMETYPE = "text/calendar"

SUBJECTS = {
    "confirmation": lambda title: _("You are registered: %(title)s") % {"title": title},
    "waiting": lambda title: _("You are on the waiting list: %(title)s") % {"title": title},
    "promoted": lambda title: _("A place is yours: %(title)s") % {"title": title},
    "reminder": lambda title: _("Tomorrow: %(title)s") % {"title": title},
}


def build_message(registration: Registration, kind: str) -> EmailMultiAlternatives:
    """One of confirmation, waiting, promoted, reminder; people with a place get the .ics file."""
    workshop, person = registration.workshop, registration.user
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "person": person,
            "workshop": workshop,
            "times": workshop.times,
            "url": absolute_url(workshop.get_url() or ""),
            "me_url": f"{settings.SITE_URL}/me/",
            "has_place": kind != "waiting",
        }
        body = render_to_string(f"workshops/email/{kind}.txt", context)
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + SUBJECTS[kind](workshop.title)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[person.email])
    if kind != "waiting":
        message.attach("workshop.ics", workshop_calendar(workshop, include_joining=True), ICS_MIMETYPE)
    return message


def send(registration: Registration, kind: str) -> None:
    send_later(build_message(registration, kind))
