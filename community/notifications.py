"""Notifications recorded: who is told what in the site, and the e-mails to send queued once the change
that made them is committed (community.emails sends them, through community.tasks).

Nothing reaches a person who may not read it: recipients are filtered by community.policy when a
notification is made, and again when an e-mail is sent (membership may have changed in between).
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils import timezone

from .models import Community, EmailFrequency, Notification, NotificationKind, NotificationSettings
from .policy import Policy
from .queries import dashboard_summary
from .tasks import send_notification_emails

# The /me/ panel (govlearn.dashboard) reads the summary here; it is a read model (community.queries).
__all__ = ["dashboard_summary", "mark_all_read", "mark_read", "notify", "notify_mentions", "unsubscribe"]


def notify(
    user_ids: list[int],
    kind: str,
    community: Community,
    thread=None,
    post=None,
    actor=None,
    check_access: bool = True,
) -> set[int]:
    """Create one notification per person (those who may read it) and queue immediate e-mails."""
    user_ids = list(dict.fromkeys(uid for uid in user_ids if actor is None or uid != actor.pk))
    if check_access:
        user_ids = Policy.readers_among(user_ids, community)
    if not user_ids:
        return set()
    made = Notification.objects.bulk_create(
        [
            Notification(user_id=uid, kind=kind, community=community, thread=thread, post=post, actor=actor)
            for uid in user_ids
        ]
    )
    immediate = set(
        NotificationSettings.objects.filter(
            user_id__in=user_ids, email_frequency=EmailFrequency.IMMEDIATE
        ).values_list("user_id", flat=True)
    )
    wanted = [n.pk for n in made if n.user_id in immediate]
    if wanted:
        # Only once the notifications are stored: a worker must find them, and a rollback sends nothing.
        transaction.on_commit(partial(send_notification_emails.enqueue, wanted))
    return set(user_ids)


def notify_mentions(mentioned: dict, community: Community, thread, post, actor) -> set[int]:
    """Tell the people mentioned in a post, if they may read it."""
    return notify(
        [user.pk for user in mentioned.values()], NotificationKind.MENTION, community, thread, post, actor
    )


def notify_moderators(kind: str, community: Community, thread=None, post=None, actor=None) -> set[int]:
    """Tell the community's moderators of something waiting in their queue (a request, a report)."""
    return notify(Policy.moderators_of(community), kind, community, thread, post, actor, check_access=False)


def mark_all_read(user) -> None:
    Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())


def unsubscribe(user) -> None:
    """No more community e-mails for this person (the one-click link in every e-mail)."""
    NotificationSettings.objects.update_or_create(
        user=user, defaults={"email_frequency": EmailFrequency.NEVER}
    )
