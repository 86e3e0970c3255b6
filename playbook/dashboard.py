"""The playbook's part of "My learning" (/me/): the signed-in person's progress through the live playbook.

It starts from a page lookup (which page is the playbook), so it sits beside the page classes, above the
read rules.
"""

from __future__ import annotations

from django.http import HttpRequest

from .models import PlaybookPage


def dashboard_summary(user, request: HttpRequest | None = None) -> dict | None:
    """A signed-in person's progress through the playbook, for /me/; None without a playbook."""
    playbook = PlaybookPage.objects.live().first()
    if playbook is None or not getattr(user, "is_authenticated", False):
        return None
    return {"playbook": playbook, "outline": playbook.outline(user, request)}
