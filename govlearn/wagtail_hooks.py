"""The site shell's part in the apps' meeting points (`content/hooks.py`): the demo users for seed_demo."""

from wagtail import hooks

from content.hooks import DEMO_SEEDERS, DemoSeeder

from .seeding import seed_users


@hooks.register(DEMO_SEEDERS, order=0)
def users_seeder() -> DemoSeeder:
    """The demo users come first: every other seeder gives them something to have done."""
    return DemoSeeder("users", seed_users)
