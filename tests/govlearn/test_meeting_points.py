"""The site shell composes what the feature apps register through hooks: /me/ panels, searched discussions,
demo seeders; it imports none of their modules for that."""

import ast
from pathlib import Path

import pytest
from wagtail import hooks

from content.hooks import DASHBOARD_PANELS, DEMO_SEEDERS, SEARCH_DISCUSSIONS, DashboardPanel
from content.seeding import registered_seeders
from govlearn.dashboard import dashboard_panels
from govlearn.search import search_discussions

FEATURE_APPS = {"courses", "playbook", "community", "workshops"}


@pytest.mark.django_db
def test_me_shows_the_registered_panels_in_hook_order_and_leaves_out_empty_ones(rf, user):
    request = rf.get("/me/")
    request.user = user
    first = DashboardPanel("first.html")
    with (
        hooks.register_temporarily(DASHBOARD_PANELS, lambda request: first, order=-1),
        hooks.register_temporarily(DASHBOARD_PANELS, lambda request: None, order=-2),
    ):
        panels = dashboard_panels(request)
    assert panels[0] is first and None not in panels
    assert [panel.template for panel in panels[1:]] == [
        "courses/dashboard_panel.html",
        "community/dashboard_panel.html",
    ]  # the others have nothing for a person who has done nothing yet
    assert first not in dashboard_panels(request)


@pytest.mark.django_db
def test_search_lists_the_discussions_every_hook_finds(user):
    found = []

    def search(person, words):
        found.append((person, words))
        return ["a thread"]

    with hooks.register_temporarily(SEARCH_DISCUSSIONS, search):
        assert search_discussions(user, "consent, records!") == ["a thread"]
    assert found == [(user, ["consent", "records"])]


def test_seeders_run_users_first():
    names = [seeder.name for seeder in registered_seeders()]
    assert names == ["users", "courses", "playbook", "community"]
    assert all(seeder.name for seeder in (register() for register in hooks.get_hooks(DEMO_SEEDERS)))


def test_the_site_shell_imports_no_feature_app_to_compose_them():
    for module in ("dashboard.py", "search.py"):
        tree = ast.parse((Path(__file__).parents[2] / "govlearn" / module).read_text(encoding="utf-8"))
        imported = {
            (node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        } | {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert not imported & FEATURE_APPS, module
