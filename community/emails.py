"""Notification e-mails sent: immediate ones, the daily digest, and invitations (run by community.tasks).

Nothing reaches a person who may no longer read it (community.policy, asked again at sending time). At
most one e-mail per thread per DIGEST_PERIOD: immediate e-mails skip a thread already e-mailed within it;
a digest lists each thread once and goes out at most once per period.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .links import unsubscribe_token
from .models import Community, EmailFrequency, Notification, NotificationKind, NotificationSettings
from .policy import MODERATOR_KINDS, Policy

DIGEST_PERIOD = timedelta(hours=24)


def email_frequency(user) -> str:
    setting = NotificationSettings.objects.filter(user=user).first()
    return setting.email_frequency if setting else EmailFrequency.DAILY


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


def _target(notification: Notification) -> str:
    """Where a notification leads: the moderation queue, its thread, or its community."""
    if notification.kind in MODERATOR_KINDS:
        return reverse("community:moderation", args=[notification.community.slug])
    if notification.thread_id:
        return notification.thread.get_absolute_url()
    return notification.community.get_absolute_url()


def _subject(notification: Notification) -> str:
    return {
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


def send_immediate(notification_ids: list[int]) -> int:
    """E-mail these notifications now, for people who chose "immediately"; returns how many were sent."""
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
        if not user.email or recent or not Policy(user).may_receive(notification):
            Notification.objects.filter(pk=notification.pk).update(email_skipped=True)
            continue
        with translation.override(_language(user)):
            _send(
                user,
                _subject(notification),
                "community/email/notification.txt",
                {"notification": notification, "url": _absolute(_target(notification))},
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
    policy = Policy(user)
    items: OrderedDict = OrderedDict()
    skipped, included = [], []
    for notification in (
        pending.filter(read_at=None)
        .select_related("community", "thread", "post", "actor")
        .order_by("created_at")
    ):
        notification.user = user
        if not policy.may_receive(notification):
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
        entries = [
            {
                **entry,
                "url": _absolute(_target(entry["notifications"][0])),
                "count": len(entry["notifications"]),
            }
            for entry in items.values()
        ]
        _send(user, _("Your daily community digest"), "community/email/digest.txt", {"entries": entries})
    Notification.objects.filter(pk__in=included).update(emailed_at=now)
    setting.last_digest_at = now
    setting.save(update_fields=["last_digest_at"])
    return True


def send_invitation(community_id: int, email: str, link: str, inviter_id: int) -> None:
    """E-mail an invitation link to join a community, in the inviter's language."""
    community = Community.objects.get(pk=community_id)
    inviter = get_user_model().objects.filter(pk=inviter_id).first()
    with translation.override((inviter and inviter.preferred_language) or settings.LANGUAGE_CODE):
        body = render_to_string(
            "community/email/invitation.txt", {"community": community, "inviter": inviter, "link": link}
        )
        subject = _("An invitation to join %(community)s") % {"community": community.name}
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [email])
