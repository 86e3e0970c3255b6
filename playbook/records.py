"""Record models of the playbook: a step's roles and deliverables, and people's progress facts.

Plain Django models that name the step page by string ("playbook.PlaybookStepPage"), so the read rules and
services can import them without importing the page classes (which import those modules in turn).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable, Page


class StepRole(Orderable):
    """What one role of the digital team does in one step."""

    page = ParentalKey(
        "playbook.PlaybookStepPage", on_delete=models.CASCADE, related_name="role_responsibilities"
    )
    role = models.ForeignKey(
        "content.Role", on_delete=models.PROTECT, related_name="+", verbose_name=_("role")
    )
    responsibilities = models.TextField(_("responsibilities"))

    panels = [FieldPanel("role"), FieldPanel("responsibilities")]

    class Meta(Orderable.Meta):
        verbose_name = _("role and responsibilities")
        verbose_name_plural = _("roles and responsibilities")

    def __str__(self) -> str:
        return f"{self.role} — {self.page}"


class DeliverableQuerySet(models.QuerySet):
    def in_playbook(self, playbook: Page) -> DeliverableQuerySet:
        """Deliverables of the live steps under one playbook."""
        return self.filter(
            page__path__startswith=playbook.path, page__depth__gt=playbook.depth, page__live=True
        )


class Deliverable(Orderable):
    """Something a step produces, e.g. a ranked list of priority services; people tick it off."""

    page = ParentalKey("playbook.PlaybookStepPage", on_delete=models.CASCADE, related_name="deliverables")
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    template = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("template document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DeliverableQuerySet.as_manager()

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("template")]

    class Meta(Orderable.Meta):
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")

    def __str__(self) -> str:
        return self.title


class ProgressQuerySet(models.QuerySet):
    def for_user(self, user) -> ProgressQuerySet:
        """Only this person's facts; an anonymous visitor has none."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class DeliverableCompletion(models.Model):
    """A fact: this person finished this deliverable at this time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("completed deliverable")
        constraints = [
            models.UniqueConstraint(fields=["user", "deliverable"], name="playbook_deliverable_done_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.deliverable_id}"


class StepCompletion(models.Model):
    """A fact: this person marked this step complete at this time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    step = models.ForeignKey(
        "playbook.PlaybookStepPage", on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("completed step")
        constraints = [models.UniqueConstraint(fields=["user", "step"], name="playbook_step_done_once")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.step_id}"
