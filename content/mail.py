"""Sending e-mail in the background: a rendered message is queued as a task, so a slow or failing mail
server never breaks the request that caused the e-mail."""

import logging

from django.core.mail import EmailMultiAlternatives, get_connection
from django_tasks import task

logger = logging.getLogger(__name__)


def message_to_data(message: EmailMultiAlternatives) -> dict:
    """The JSON-serialisable parts of a rendered message (tasks take JSON arguments)."""
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "content_subtype": message.content_subtype,
        # Text attachments only (e.g. an iCalendar file): (filename, content, mimetype).
        "attachments": [
            [name, content if isinstance(content, str) else content.decode(), mimetype]
            for name, content, mimetype in message.attachments
        ],
    }


def data_to_message(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data.get("cc") or None,
        bcc=data.get("bcc") or None,
        reply_to=data.get("reply_to") or None,
        headers=data.get("headers") or None,
        connection=get_connection(),
    )
    message.content_subtype = data.get("content_subtype", "plain")
    for content, mimetype in data.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    for name, content, mimetype in data.get("attachments", []):
        message.attach(name, content, mimetype)
    return message


@task()
def send_email_task(data: dict) -> int:
    """Send one queued message; returns the number sent (0 or 1)."""
    return data_to_message(data).send()


def send_later(message: EmailMultiAlternatives) -> None:
    """Queue a rendered message; in debug and tests the immediate backend sends it at once."""
    try:
        send_email_task.enqueue(message_to_data(message))
    except Exception:  # noqa: BLE001 - queueing must never break the request; the failure is logged
        logger.exception("Could not queue e-mail %r to %s", message.subject, message.to)
