"""`manage.py publish_scheduled_loop`: Wagtail's `publish_scheduled` every minute, for `make run`.

In production cron runs `publish_scheduled` (see the README); on a laptop nobody would, so a page scheduled
for 10:00 would never go live. `make run` starts this beside the development server.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Publish and unpublish scheduled pages every --every seconds until stopped (local use)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--every", type=int, default=60, help="seconds between runs (default 60)")
        parser.add_argument("--times", type=int, default=0, help="stop after this many runs (0: never)")

    def handle(self, *args, every: int, times: int, **options) -> None:
        runs = 0
        while True:
            try:
                call_command("publish_scheduled", verbosity=0)
            except Exception as error:  # noqa: BLE001 - a bad minute must not stop the next one
                self.stderr.write(f"publish_scheduled failed: {error!r}")
            runs += 1
            if times and runs >= times:
                return
            time.sleep(max(1, every))
