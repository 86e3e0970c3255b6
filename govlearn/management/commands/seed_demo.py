"""`manage.py seed_demo --scale N`: realistic synthetic data for demos and benchmarks."""

import random

from django.core.management.base import BaseCommand
from django.db import transaction

from content.seeding import SeedContext, register_seeder, registered_seeders
from govlearn.demo import seed_users


class Command(BaseCommand):
    help = "Add synthetic users and, through each app's seeder, their activity. Safe to repeat."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="1 = 20 users; data grows linearly.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for repeatable data.")

    def handle(self, *args, scale: int, seed: int, **options):
        register_seeder("users", seed_users, order=0)
        context = SeedContext(scale=max(1, scale), rng=random.Random(seed))  # noqa: S311 - demo data
        for name, seeder in registered_seeders():
            with transaction.atomic():
                summary = seeder(context)
            self.stdout.write(f"{name}: {summary}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
