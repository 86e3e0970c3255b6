"""Editors manage communities and memberships (moderators among them) in the Wagtail admin.

Also the community's part in the apps' meeting points (`content/hooks.py`).
"""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

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

from .counters import recount_communities
from .loading import load_communities
from .models import Community, Membership
from .notifications import dashboard_summary
from .seeding import seed_communities
from .services import discussion_communities, discussion_link, recount_members, search_threads


class CommunityViewSet(SnippetViewSet):
    model = Community
    icon = "group"
    menu_label = _("Communities")
    list_display = ["name", "visibility", "join_policy", "member_count", "thread_count", "last_activity"]
    list_filter = ["visibility", "join_policy"]
    search_fields = ["name", "description"]
    search_backend_name = None  # filter in the database: the admin list needs no search index


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Memberships")
    list_display = ["user", "community", "role", "status", "created_at"]
    list_filter = ["community", "role", "status"]
    search_fields = ["user__username", "user__email", "user__display_name"]
    search_backend_name = None


class CommunityGroup(SnippetViewSetGroup):
    menu_label = _("Communities")
    menu_icon = "group"
    menu_order = 300
    items = (CommunityViewSet, MembershipViewSet)


register_snippet(CommunityGroup)


def _recount_after_membership_change(request, instance_or_instances) -> None:
    """Memberships made, changed or deleted in the admin bypass the services: recount the members."""
    instances = instance_or_instances if isinstance(instance_or_instances, list) else [instance_or_instances]
    if any(isinstance(instance, Membership) for instance in instances):
        recount_members()


for _hook in ("after_create_snippet", "after_edit_snippet", "after_delete_snippet"):
    hooks.register(_hook, _recount_after_membership_change)


@hooks.register("after_edit_snippet")
def _recount_after_community_edit(request, instance) -> None:
    """The edit form saves the whole row, counters as they were read when the request began: a join or a
    new thread meanwhile would be lost. Count them again from the rows."""
    if isinstance(instance, Community):
        recount_communities([instance.pk])


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
