"""`manage.py send_workshop_reminders`, for cron (e.g. hourly): each registered person is reminded once."""

from django.core.management.base import BaseCommand

from workshops.services import send_due_reminders


class Command(BaseCommand):
    help = "E-mail a reminder to everyone registered for a workshop that starts within the next 24 hours."

    def handle(self, *args, **options) -> None:
        sent = send_due_reminders()
        self.stdout.write(f"{sent} workshop reminder(s) queued.")
