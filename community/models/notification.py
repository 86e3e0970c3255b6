"""Following and notifications: subscriptions, in-site notifications, and each person's e-mail choice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .community import Community
from .thread import Post, Thread


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately (at most one e-mail per thread a day)")
    DAILY = "daily", _("A daily digest")
    NEVER = "never", _("Never")


class NotificationSettings(models.Model):
    """A person's e-mail choice for community notifications (absent means the default: daily digest)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_notification_settings"
    )
    email_frequency = models.CharField(
        _("e-mail me about notifications"),
        max_length=10,
        choices=EmailFrequency.choices,
        default=EmailFrequency.DAILY,
    )
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return f"E-mail {self.email_frequency} for {self.user_id}"


class Subscription(models.Model):
    """Following a thread or a whole community (exactly one of the two)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="community_follow_thread_once"),
            models.UniqueConstraint(fields=["user", "community"], name="community_follow_community_once"),
            models.CheckConstraint(
                condition=Q(thread__isnull=True, community__isnull=False)
                | Q(thread__isnull=False, community__isnull=True),
                name="community_follow_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.thread_id or self.community_id}"


class NotificationKind(models.TextChoices):
    REPLY = "reply", _("New reply")
    NEW_THREAD = "new_thread", _("New thread")
    MENTION = "mention", _("Mention")
    ACCEPTED = "accepted", _("Answer accepted")
    JOIN_REQUEST = "join_request", _("Request to join")
    JOIN_APPROVED = "join_approved", _("Request approved")
    REPORT = "report", _("Post reported")


class Notification(models.Model):
    """Something a person should know about; read in the site, and e-mailed as they chose."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Decided once: not to be e-mailed (preference "never", or another e-mail covered its thread).
    email_skipped = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["user", "emailed_at", "email_skipped"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"
