"""Receivers connected in CommunityConfig.ready(): deleting an account (admin, bulk action, shell) cascades
to its memberships and reactions, past the services that keep the counters, so count those again."""

from .counters import recount_after_account_deletion, remember_before_account_deletion


def remember_counts(sender, instance, **kwargs) -> None:
    instance._community_counts = remember_before_account_deletion(instance)


def recount(sender, instance, **kwargs) -> None:
    remembered = getattr(instance, "_community_counts", None)
    if remembered:
        recount_after_account_deletion(remembered)
