"""The Wagtail admin's views of communities: editors manage communities and memberships (moderators among
them) as snippets, and the counts are set right after their edits; community/wagtail_hooks.py registers
them."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .counters import recount_communities
from .models import Community, Membership
from .services import recount_members


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


def recount_after_membership_change(request, instance_or_instances) -> None:
    """Memberships made, changed or deleted in the admin bypass the services: recount the members."""
    instances = instance_or_instances if isinstance(instance_or_instances, list) else [instance_or_instances]
    if any(isinstance(instance, Membership) for instance in instances):
        recount_members()


def recount_after_community_edit(request, instance) -> None:
    """The edit form saves the whole row, counters as they were read when the request began: a join or a
    new thread meanwhile would be lost. Count them again from the rows."""
    if isinstance(instance, Community):
        recount_communities([instance.pk])
