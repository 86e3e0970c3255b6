"""Running `manage.py seed_demo`: every app's seeder, in order, with one shared context.

Each app keeps its seeder in its `seeding.py` and registers it with the `DEMO_SEEDERS` hook
(`content/hooks.py`). Seeders run in hook order, each in its own transaction, and share one
`SeedContext`: the scale, a seeded random source (same seed, same data) and the demo users the first
seeder made.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction
from wagtail import hooks

from .hooks import DEMO_SEEDERS, DemoSeeder


@dataclass
class SeedContext:
    """Shared by the seeders of one run: the scale, a seeded random source, and the users created."""

    scale: int
    rng: random.Random
    users: list = field(default_factory=list)


def registered_seeders() -> list[DemoSeeder]:
    """The seeders in the order they run (the `DEMO_SEEDERS` hooks)."""
    return [register() for register in hooks.get_hooks(DEMO_SEEDERS)]


def run_seeders(scale: int, seed: int = 2026) -> Iterator[tuple[str, str]]:
    """Run every registered seeder at `scale` (≥ 1); yields (name, summary) as each one finishes."""
    if scale < 1:
        raise ValueError("The scale must be at least 1.")
    context = SeedContext(scale=scale, rng=random.Random(seed))  # noqa: S311 - demo data, not secrets
    for seeder in registered_seeders():
        with transaction.atomic():
            summary = seeder.seed(context)
        yield seeder.name, summary
