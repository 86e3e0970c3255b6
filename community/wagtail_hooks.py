"""Registrations with the Wagtail admin (the views and handlers live in community/admin_views.py)."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .admin_views import CommunityGroup, recount_after_community_edit, recount_after_membership_change

register_snippet(CommunityGroup)
for _hook in ("after_create_snippet", "after_edit_snippet", "after_delete_snippet"):
    hooks.register(_hook, recount_after_membership_change)
hooks.register("after_edit_snippet", recount_after_community_edit)
