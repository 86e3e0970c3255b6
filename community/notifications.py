"""Notifications: who is told what, and the e-mails (immediate or daily digest) that carry them.

Nothing reaches a person who may not read it: recipients are filtered by access when a notification is
made, and again when an e-mail is sent (membership may have changed in between). At most one e-mail per
thread per DIGEST_PERIOD: immediate e-mails skip a thread already e-mailed within it; a digest lists each
thread once and goes out at most once per period.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import (
    Community,
    EmailFrequency,
    Membership,
    Notification,
    NotificationKind,
    NotificationSettings,
    Role,
    Status,
    Visibility,
)
from .permissions import access_for

DIGEST_PERIOD = timedelta(hours=24)
# Kinds only the community's moderators receive; they lead to the moderation queue.
MODERATOR_KINDS = frozenset({NotificationKind.JOIN_REQUEST, NotificationKind.REPORT})
UNSUBSCRIBE_SALT = "community.unsubscribe"


def _readers(user_ids: list[int], community: Community) -> list[int]:
    """The ones among `user_ids` who may read the community's threads."""
    if community.visibility == Visibility.PUBLIC:
        return user_ids
    active = Membership.objects.filter(community=community, user_id__in=user_ids, status=Status.ACTIVE)
    allowed = set(active.values_list("user_id", flat=True))
    return [uid for uid in user_ids if uid in allowed]


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
        user_ids = _readers(user_ids, community)
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
        from .tasks import send_notification_emails

        send_notification_emails.enqueue(wanted)
    return set(user_ids)


def notify_mentions(mentioned: dict, community: Community, thread, post, actor) -> set[int]:
    """Tell the people mentioned in a post, if they may read it."""
    return notify(
        [user.pk for user in mentioned.values()], NotificationKind.MENTION, community, thread, post, actor
    )


def email_frequency(user) -> str:
    setting = NotificationSettings.objects.filter(user=user).first()
    return setting.email_frequency if setting else EmailFrequency.DAILY


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_from_unsubscribe_token(token: str):
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk).first()


def unsubscribe(user) -> None:
    NotificationSettings.objects.update_or_create(
        user=user, defaults={"email_frequency": EmailFrequency.NEVER}
    )


def may_receive(notification: Notification) -> bool:
    """Whether the person may still see this notification (membership may have changed since)."""
    user = notification.user
    if not user.is_active:
        return False
    access = access_for(user, notification.community)
    if notification.kind in MODERATOR_KINDS:
        return access.can_moderate
    if not access.can_see:
        return False
    if notification.thread_id is None:
        return True
    if not access.can_read:
        return False
    if notification.thread.hidden or (notification.post_id and notification.post.is_removed):
        return access.can_moderate
    return True


def visible_notifications(user):
    """The person's notifications that they may still see: a query (one for a page of them)."""
    from .models import Thread

    return (
        Notification.objects.filter(user=user)
        .filter(Q(thread__isnull=True) | Q(thread__in=Thread.objects.visible_to(user)))
        .filter(
            Q(kind__in=MODERATOR_KINDS, community__in=moderated_communities(user))
            | (~Q(kind__in=MODERATOR_KINDS) & Q(community__in=Community.objects.visible_to(user)))
        )
        .select_related("community", "thread", "actor", "post")
    )


def moderated_communities(user):
    from .models.community import is_editor

    if is_editor(user):
        return Community.objects.all()
    return Community.objects.filter(
        memberships__user=user, memberships__status=Status.ACTIVE, memberships__role=Role.MODERATOR
    )


def unread_count(user) -> int:
    return visible_notifications(user).filter(read_at__isnull=True).count()


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _send(user, subject: str, template: str, context: dict) -> None:
    unsubscribe_url = _absolute(reverse("community:unsubscribe", args=[unsubscribe_token(user)]))
    context = {**context, "user": user, "unsubscribe_url": unsubscribe_url, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=render_to_string(template, context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()


def _language(user) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def send_immediate(notification_ids: list[int]) -> int:
    """E-mail these notifications now, for people who chose "immediately"; returns how many were sent."""
    from django.utils.translation import gettext as _

    sent = 0
    now = timezone.now()
    pending = Notification.objects.filter(
        pk__in=notification_ids, emailed_at=None, email_skipped=False
    ).select_related("user", "community", "thread", "post", "actor")
    for notification in pending:
        user = notification.user
        if email_frequency(user) != EmailFrequency.IMMEDIATE:
            continue  # the choice changed since; a digest (or nothing) will carry it
        recent = (
            notification.thread_id
            and notification.kind not in MODERATOR_KINDS  # a report is its own news, told once per post
            and Notification.objects.filter(
                user=user, thread_id=notification.thread_id, emailed_at__gte=now - DIGEST_PERIOD
            ).exists()
        )
        if not user.email or recent or not may_receive(notification):
            Notification.objects.filter(pk=notification.pk).update(email_skipped=True)
            continue
        with translation.override(_language(user)):
            if notification.kind in MODERATOR_KINDS:
                target = reverse("community:moderation", args=[notification.community.slug])
            elif notification.thread_id:
                target = notification.thread.get_absolute_url()
            else:
                target = notification.community.get_absolute_url()
            subject = {
                NotificationKind.REPLY: _("New reply in “%(title)s”"),
                NotificationKind.NEW_THREAD: _("New thread: “%(title)s”"),
                NotificationKind.MENTION: _("You were mentioned in “%(title)s”"),
                NotificationKind.ACCEPTED: _("Your answer was accepted in “%(title)s”"),
                NotificationKind.JOIN_REQUEST: _("A request to join %(community)s"),
                NotificationKind.JOIN_APPROVED: _("Welcome to %(community)s"),
                NotificationKind.REPORT: _("A post was reported in %(community)s"),
            }[notification.kind] % {
                "title": notification.thread.title if notification.thread_id else "",
                "community": notification.community.name,
            }
            _send(
                user,
                subject,
                "community/email/notification.txt",
                {"notification": notification, "url": _absolute(target)},
            )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def users_due_for_digest() -> list[int]:
    """People with notifications not yet e-mailed who chose the daily digest (the default)."""
    others = NotificationSettings.objects.exclude(email_frequency=EmailFrequency.DAILY).values("user_id")
    recent = NotificationSettings.objects.filter(
        last_digest_at__gte=timezone.now() - DIGEST_PERIOD + timedelta(minutes=30)
    ).values("user_id")
    return list(
        Notification.objects.filter(emailed_at=None, email_skipped=False, read_at=None)
        .exclude(user_id__in=others)
        .exclude(user_id__in=recent)
        .values_list("user_id", flat=True)
        .distinct()
    )


def send_digest(user_id: int) -> bool:
    """One e-mail with each thread the person has news in listed once; returns whether one was sent."""
    from django.utils.translation import gettext as _

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or email_frequency(user) != EmailFrequency.DAILY:
        return False
    setting, _created = NotificationSettings.objects.get_or_create(user=user)
    now = timezone.now()
    if setting.last_digest_at and setting.last_digest_at > now - DIGEST_PERIOD + timedelta(minutes=30):
        return False
    pending = Notification.objects.filter(user=user, emailed_at=None, email_skipped=False)
    # Already read in the site: nothing to tell by e-mail.
    pending.filter(read_at__isnull=False).update(email_skipped=True)
    items: OrderedDict = OrderedDict()
    skipped, included = [], []
    for notification in (
        pending.filter(read_at=None)
        .select_related("community", "thread", "post", "actor")
        .order_by("created_at")
    ):
        notification.user = user
        if not may_receive(notification):
            skipped.append(notification.pk)
            continue
        if notification.kind in MODERATOR_KINDS:
            key = ("m", notification.pk)
        elif notification.thread_id:
            key = ("t", notification.thread_id)
        else:
            key = ("c", notification.pk)
        entry = items.setdefault(
            key, {"notifications": [], "thread": notification.thread, "community": notification.community}
        )
        entry["notifications"].append(notification)
        included.append(notification.pk)
    Notification.objects.filter(pk__in=skipped).update(email_skipped=True)
    if not items or not user.email:
        Notification.objects.filter(pk__in=included).update(email_skipped=True)
        return False
    with translation.override(_language(user)):
        entries = []
        for entry in items.values():
            first = entry["notifications"][0]
            if first.kind in MODERATOR_KINDS:
                url = reverse("community:moderation", args=[entry["community"].slug])
            elif entry["thread"] is not None:
                url = entry["thread"].get_absolute_url()
            else:
                url = entry["community"].get_absolute_url()
            entries.append({**entry, "url": _absolute(url), "count": len(entry["notifications"])})
        _send(user, _("Your daily community digest"), "community/email/digest.txt", {"entries": entries})
    Notification.objects.filter(pk__in=included).update(emailed_at=now)
    setting.last_digest_at = now
    setting.save(update_fields=["last_digest_at"])
    return True


def dashboard_summary(user) -> dict:
    """For the /me/ panel: the unread count and the five latest notifications (two queries)."""
    visible = visible_notifications(user)
    return {"unread": visible.filter(read_at__isnull=True).count(), "latest": list(visible[:5])}
