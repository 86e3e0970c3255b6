"""The playbook's part in the apps' meeting points (`content/hooks.py`): load_content, seed_demo, /me/."""

from django.http import HttpRequest
from wagtail import hooks

from content.hooks import (
    CONTENT_LOADERS,
    DASHBOARD_PANELS,
    DEMO_SEEDERS,
    ContentLoader,
    DashboardPanel,
    DemoSeeder,
)

from .dashboard import dashboard_summary
from .loading import load_playbook
from .seeding import seed_playbook_progress


@hooks.register(CONTENT_LOADERS, order=20)
def playbook_loader() -> ContentLoader:
    return ContentLoader("playbook", load_playbook)


@hooks.register(DEMO_SEEDERS, order=35)
def playbook_seeder() -> DemoSeeder:
    return DemoSeeder("playbook", seed_playbook_progress)


@hooks.register(DASHBOARD_PANELS, order=20)
def playbook_panel(request: HttpRequest) -> DashboardPanel | None:
    """The signed-in person's playbook progress (a fixed number of queries)."""
    summary = dashboard_summary(request.user, request)
    return DashboardPanel("playbook/dashboard_panel.html", summary) if summary else None
