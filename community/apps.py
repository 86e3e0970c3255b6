"""App configuration for Communities of Practice: the recount after an account is deleted."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Communities of Practice")

    def ready(self) -> None:
        # Deleting an account (admin, bulk action, shell) cascades to its memberships and reactions,
        # past the services that keep the counters: count those communities and posts again.
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, pre_delete

        from .signals import recount, remember_counts

        pre_delete.connect(remember_counts, sender=get_user_model(), dispatch_uid="community-counts-pre")
        post_delete.connect(recount, sender=get_user_model(), dispatch_uid="community-counts-post")
