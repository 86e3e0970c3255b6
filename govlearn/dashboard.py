""" "My learning" composition: each feature app contributes a panel; govlearn puts them on /me/.

A panel provider is a function `(request) -> DashboardPanel | None`; it must use a fixed number of queries
whatever the amount of the person's data.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class DashboardPanel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


PanelProvider = Callable[[HttpRequest], DashboardPanel | None]


def playbook_panel(request: HttpRequest) -> DashboardPanel | None:
    """The signed-in person's playbook progress (a fixed number of queries)."""
    from playbook.dashboard import dashboard_summary

    summary = dashboard_summary(request.user, request)
    return DashboardPanel("playbook/dashboard_panel.html", summary, order=20) if summary else None


def courses_panel(request: HttpRequest) -> DashboardPanel | None:
    """The signed-in person's courses: percent and continue link, completed ones with certificates."""
    from courses.queries import learning_summary

    summary = learning_summary(request)
    return DashboardPanel("courses/dashboard_panel.html", summary, order=10) if summary else None


def community_panel(request: HttpRequest) -> DashboardPanel | None:
    """The signed-in person's community notifications: unread count and the latest few (two queries)."""
    from community.notifications import dashboard_summary

    return DashboardPanel("community/dashboard_panel.html", dashboard_summary(request.user), order=30)


def workshops_panel(request: HttpRequest) -> DashboardPanel | None:
    """The signed-in person's upcoming workshops and waiting-list places (two queries)."""
    from workshops.queries import dashboard_summary

    summary = dashboard_summary(request.user)
    return DashboardPanel("workshops/dashboard_panel.html", summary, order=25) if summary else None


def panel_providers() -> list[PanelProvider]:
    """The feature apps' panels, imported here because govlearn is where the apps meet."""
    return [courses_panel, playbook_panel, community_panel, workshops_panel]


def dashboard_panels(request: HttpRequest) -> list[DashboardPanel]:
    panels = [panel for provider in panel_providers() if (panel := provider(request)) is not None]
    return sorted(panels, key=lambda panel: panel.order)
