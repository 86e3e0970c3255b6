"""A registry of demo-data seeders: each app adds its part to `manage.py seed_demo`.

An app registers `register_seeder("courses", seed_courses, order=30)` in its AppConfig.ready();
`seed_courses(context)` adds its data and returns a one-line summary. Seeders must be idempotent (a
second run adds nothing that is already there) and should write in bulk. They run in order, each in its
own transaction, and share one `SeedContext`: the scale, a seeded random source (same seed, same data)
and the demo users the first seeder made.
"""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

Seeder = Callable[["SeedContext"], str]


@dataclass
class SeedContext:
    """Shared by the seeders of one run: the scale, a seeded random source, and the users created."""

    scale: int
    rng: random.Random
    users: list = field(default_factory=list)


_seeders: dict[str, tuple[int, Seeder]] = {}


def register_seeder(name: str, seeder: Seeder, order: int = 50) -> None:
    """`seeder(context)` adds demo data and returns a one-line summary of what it added."""
    _seeders[name] = (order, seeder)


def registered_seeders() -> list[tuple[str, Seeder]]:
    """The seeders in the order they run."""
    return [(name, seeder) for name, (_order, seeder) in sorted(_seeders.items(), key=lambda kv: kv[1][0])]


def run_seeders(scale: int, seed: int = 2026) -> Iterator[tuple[str, str]]:
    """Run every registered seeder at `scale` (≥ 1); yields (name, summary) as each one finishes."""
    if scale < 1:
        raise ValueError("The scale must be at least 1.")
    context = SeedContext(scale=scale, rng=random.Random(seed))  # noqa: S311 - demo data, not secrets
    for name, seeder in registered_seeders():
        with transaction.atomic():
            summary = seeder(context)
        yield name, summary
