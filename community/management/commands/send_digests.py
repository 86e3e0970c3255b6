"""`manage.py send_digests`: queue the daily community digest for everyone who has news (run from cron)."""

from django.core.management.base import BaseCommand

from community.emails import users_due_for_digest
from community.tasks import send_digest_email


class Command(BaseCommand):
    help = "Queue one daily digest e-mail per person with community notifications not yet e-mailed."

    def handle(self, *args, **options) -> None:
        users = users_due_for_digest()
        for user_id in users:
            send_digest_email.enqueue(user_id)
        self.stdout.write(f"{len(users)} digests queued")
