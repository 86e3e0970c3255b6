"""Record models of workshops: a person's registration (or place in the queue), and the choices that the
pages and the read rules share.

Plain Django models that name the workshop page by string ("workshops.WorkshopPage"), so the read rules and
services can import them without importing the page classes (which import those modules in turn).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Format(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationQuerySet(models.QuerySet):
    def active(self) -> RegistrationQuerySet:
        """Registered or waiting: the person still wants a place."""
        return self.exclude(status=Status.CANCELLED)

    def registered(self) -> RegistrationQuerySet:
        return self.filter(status=Status.REGISTERED)

    def waiting(self) -> RegistrationQuerySet:
        """The waiting list in order: first come, first promoted."""
        return self.filter(status=Status.WAITING).order_by("created", "pk")


class Registration(models.Model):
    """A person's place (or place in the queue) for one workshop; cancelled rows stay as history."""

    workshop = models.ForeignKey(
        "workshops.WorkshopPage",
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="workshop_registrations",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    created = models.DateTimeField(_("registered at"), default=timezone.now, db_index=True)
    promoted_at = models.DateTimeField(_("promoted from the waiting list at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop registration")
        verbose_name_plural = _("workshop registrations")
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "user"],
                condition=~Q(status="cancelled"),
                name="workshops_one_active_registration",
            )
        ]
        indexes = [models.Index(fields=["workshop", "status", "created"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.workshop} ({self.get_status_display()})"
