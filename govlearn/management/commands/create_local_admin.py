"""`manage.py create_local_admin`: a superuser for local debug use only, password printed once."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from govlearn.setup import create_local_admin


class Command(BaseCommand):
    help = "In debug mode only, create a local administrator if there is none and print its password once."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing: a local administrator is only created when DJANGO_DEBUG=1.")
        created = create_local_admin()
        if created is None:
            self.stdout.write("An administrator already exists; none created.")
            return
        email, password = created
        self.stdout.write(self.style.WARNING("Local administrator created (shown only this once):"))
        self.stdout.write(
            f"  e-mail:   {email}\n  password: {password}\n  sign in:  {settings.SITE_URL}/admin/"
        )
