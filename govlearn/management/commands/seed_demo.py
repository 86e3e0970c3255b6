"""`manage.py seed_demo --scale N`: realistic synthetic data for demos and benchmarks."""

from django.core.management.base import BaseCommand, CommandError

from content.seeding import run_seeders
from govlearn.seeding import USERS_PER_SCALE


class Command(BaseCommand):
    help = "Add synthetic users and, through each app's seeder, their activity. Safe to repeat."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help=f"1 = {USERS_PER_SCALE} users; data grows linearly."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for repeatable data.")

    def handle(self, *args, scale: int, seed: int, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        for name, summary in run_seeders(scale, seed):
            self.stdout.write(f"{name}: {summary}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
