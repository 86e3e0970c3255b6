"""A registry of demo-data seeders: each app adds its part to `manage.py seed_demo`."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field

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
    return [(name, seeder) for name, (_order, seeder) in sorted(_seeders.items(), key=lambda kv: kv[1][0])]
