"""Registrations with the Wagtail admin (the views and handlers live in community/admin_views.py), and the
community's part in the apps' meeting points (`content/hooks.py`)."""

from django.http import HttpRequest
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from content.hooks import (
    CONTENT_LOADERS,
    DASHBOARD_PANELS,
    DEMO_SEEDERS,
    DISCUSSION_COMMUNITIES,
    DISCUSSION_LINKS,
    SEARCH_DISCUSSIONS,
    ContentLoader,
    DashboardPanel,
    DemoSeeder,
)

from .admin_views import CommunityGroup, recount_after_community_edit, recount_after_membership_change
from .loading import load_communities
from .queries import dashboard_summary, search_threads
from .seeding import seed_communities
from .services import discussion_communities, discussion_link

register_snippet(CommunityGroup)
for _hook in ("after_create_snippet", "after_edit_snippet", "after_delete_snippet"):
    hooks.register(_hook, recount_after_membership_change)
hooks.register("after_edit_snippet", recount_after_community_edit)


# --- Meeting points (content/hooks.py): load_content, seed_demo, "Discuss this", /me/ and /search/ -------


@hooks.register(CONTENT_LOADERS, order=40)
def communities_loader() -> ContentLoader:
    return ContentLoader("communities", load_communities)


@hooks.register(DEMO_SEEDERS, order=40)
def community_seeder() -> DemoSeeder:
    return DemoSeeder("community", seed_communities)


hooks.register(DISCUSSION_LINKS, discussion_link)
hooks.register(DISCUSSION_COMMUNITIES, discussion_communities)
hooks.register(SEARCH_DISCUSSIONS, search_threads)


@hooks.register(DASHBOARD_PANELS, order=30)
def community_panel(request: HttpRequest) -> DashboardPanel:
    """The signed-in person's community notifications: unread count and the latest few (two queries)."""
    return DashboardPanel("community/dashboard_panel.html", dashboard_summary(request.user))
