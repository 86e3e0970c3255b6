"""Editors manage communities and memberships (moderators among them) in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Community, Membership


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
