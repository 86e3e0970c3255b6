"""Communities and who belongs to them: visibility, join policy, memberships with role and status."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone may read")
    MEMBERS = "members", _("Members only: listed, but only members read")
    PRIVATE = "private", _("Private: hidden from everyone but members")


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Open: anyone signed in may join")
    APPROVAL = "approval", _("Approval: moderators approve requests")
    INVITATION = "invitation", _("Invitation only")


class MembershipRole(models.TextChoices):
    """A member's role in one community (not content.Role, a role in a digital team)."""

    MEMBER = "member", _("Member")
    MODERATOR = "moderator", _("Moderator")


class Status(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    ACTIVE = "active", _("Active")
    BANNED = "banned", _("Banned")


# Paths under /community/ that are not communities (see community/urls.py).
RESERVED_SLUGS = frozenset({"people", "unsubscribe"})


class Community(models.Model):
    """A Community of Practice, managed by editors in the Wagtail admin."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    building_blocks = models.ManyToManyField(
        "content.BuildingBlock", verbose_name=_("building blocks"), blank=True, related_name="communities"
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    join_policy = models.CharField(
        _("join policy"), max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    # Stored counters, kept right by services with F() updates; never counted per request.
    thread_count = models.PositiveIntegerField(default=0, editable=False)
    member_count = models.PositiveIntegerField(default=0, editable=False)
    last_activity = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("building_blocks"),
        MultiFieldPanel([FieldPanel("visibility"), FieldPanel("join_policy")], heading=_("Access")),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:detail", args=[self.slug])

    def clean(self) -> None:
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {
                    "slug": _("“%(slug)s” is used by the site itself; choose another slug.")
                    % {"slug": self.slug}
                }
            )


class Membership(models.Model):
    """A person's place in a community: role (member / moderator) and status (pending / active / banned)."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="community_memberships",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    panels = [FieldPanel("community"), FieldPanel("user"), FieldPanel("role"), FieldPanel("status")]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "user"], name="community_one_membership")]
        indexes = [models.Index(fields=["user", "status"])]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} in {self.community} ({self.role}, {self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    @property
    def is_moderator(self) -> bool:
        return self.is_active and self.role == MembershipRole.MODERATOR
