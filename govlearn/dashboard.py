""" "My learning" composition: each feature app contributes a panel through the `DASHBOARD_PANELS` hook.

A panel function is `(request) -> DashboardPanel | None` (see `content/hooks.py`) and uses a fixed number of
queries whatever the amount of the person's data; panels show in hook order.
"""

from django.http import HttpRequest
from wagtail import hooks

from content.hooks import DASHBOARD_PANELS, DashboardPanel


def dashboard_panels(request: HttpRequest) -> list[DashboardPanel]:
    """The panels the feature apps show this person on /me/, in order."""
    return [
        panel for panel_for in hooks.get_hooks(DASHBOARD_PANELS) if (panel := panel_for(request)) is not None
    ]
