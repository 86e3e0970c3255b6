"""Background work for workshops through Django tasks: the daily reminders, for a worker or a scheduler."""

from django_tasks import task

from .services import send_due_reminders


@task()
def send_workshop_reminders() -> int:
    """Queue the reminder e-mails of workshops starting within a day; returns how many were sent."""
    return send_due_reminders()
