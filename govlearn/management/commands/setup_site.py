"""`manage.py setup_site`: locales, home page and staff groups; run after every migrate, safe to repeat."""

from django.core.management.base import BaseCommand

from govlearn.setup import setup_site


class Command(BaseCommand):
    help = "Create the locales, the home page as site root and the Editors/Moderators permissions."

    def handle(self, *args, **options):
        report = setup_site()
        if report.done:
            self.stdout.write(self.style.SUCCESS("Set up: " + ", ".join(report.done)))
        else:
            self.stdout.write("Site already set up; nothing to do.")
