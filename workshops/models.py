"""Workshop pages (index → workshop) and registrations with a waiting list and attendance."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateformat import format as django_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from content.blocks import BaseContentBlock

from .forms import WorkshopPageForm
from .times import WorkshopTimes, offset_label, workshop_times


def validate_time_zone(value: str) -> None:
    """An IANA time zone name such as Europe/Paris or Africa/Nairobi."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a known time zone (e.g. Europe/Paris)."), params={"value": value}
        )


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class Format(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class WorkshopIndexPage(Page):
    """The list at /workshops/: upcoming first, then past ones with materials; filters."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["govlearn.HomePage"]
    subpage_types = ["workshops.WorkshopPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("workshop list")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from .queries import index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(index_context(self, request))
        return context


class WorkshopQuerySet(PageQuerySet):
    def upcoming(self, now: datetime | None = None) -> WorkshopQuerySet:
        """Not yet ended, soonest first."""
        return self.filter(end__gt=now or timezone.now()).order_by("start", "pk")

    def past(self, now: datetime | None = None) -> WorkshopQuerySet:
        """Ended, most recent first."""
        return self.filter(end__lte=now or timezone.now()).order_by("-start", "-pk")


WorkshopManager = PageManager.from_queryset(WorkshopQuerySet)


class WorkshopPage(Page):
    """One live session: when (stored in UTC, shown in its own time zone), where, who, and registration."""

    summary = models.CharField(_("summary"), max_length=300)
    agenda = StreamField(BaseContentBlock(), blank=True, verbose_name=_("agenda"))
    start = models.DateTimeField(_("starts"), help_text=_("In the workshop's time zone."))
    end = models.DateTimeField(_("ends"), help_text=_("In the workshop's time zone."))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    format = models.CharField(_("format"), max_length=12, choices=Format.choices, default=Format.ONLINE)
    place = models.TextField(
        _("place"), blank=True, max_length=500, help_text=_("Venue and address, for in-person and hybrid.")
    )
    joining_details = models.TextField(
        _("joining details"),
        blank=True,
        max_length=2000,
        help_text=_("Video-call link, dial-in, room access. Shown only to registered people."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    capacity = models.PositiveIntegerField(_("places"), default=30)
    registration_open = models.BooleanField(
        _("registration open"), default=True, help_text=_("Untick to stop new registrations.")
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("In the workshop's time zone. Empty: registration closes when the workshop starts."),
    )
    facilitators = models.TextField(_("facilitators"), blank=True, help_text=_("One name per line."))
    related_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("related course or playbook step"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    community = models.ForeignKey(
        "community.Community",
        verbose_name=_("related community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshops",
    )
    building_blocks = ParentalManyToManyField(
        "content.BuildingBlock", verbose_name=_("building blocks"), blank=True, related_name="workshops"
    )
    materials = StreamField(
        BaseContentBlock(),
        blank=True,
        verbose_name=_("materials"),
        help_text=_("Slides, documents and recordings; shown once the workshop has ended."),
    )

    objects = WorkshopManager()
    base_form_class = WorkshopPageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("time_zone", widget=forms.Select(choices=time_zone_choices())),
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("format"),
                FieldPanel("place"),
                FieldPanel("joining_details"),
                FieldPanel("language"),
            ],
            heading=_("When and where"),
        ),
        MultiFieldPanel(
            [FieldPanel("capacity"), FieldPanel("registration_open"), FieldPanel("registration_deadline")],
            heading=_("Registration"),
        ),
        FieldPanel("facilitators"),
        FieldPanel("agenda"),
        PageChooserPanel("related_page", ["courses.CoursePage", "playbook.PlaybookStepPage"]),
        FieldPanel("community"),
        FieldPanel("building_blocks", widget=forms.CheckboxSelectMultiple),
        FieldPanel("materials"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("agenda"),
        index.FilterField("format"),
        index.FilterField("language"),
        index.FilterField("start"),
    ]
    parent_page_types = ["workshops.WorkshopIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("workshop")

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The workshop must end after it starts.")})
        if self.registration_deadline and self.start and self.registration_deadline > self.start:
            raise ValidationError(
                {"registration_deadline": _("Registration must close before the workshop starts.")}
            )

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def times(self) -> WorkshopTimes:
        return workshop_times(self.start, self.end, self.zone)

    @property
    def deadline_text(self) -> str:
        """The registration deadline in the workshop's zone, offset written out."""
        if self.registration_deadline is None:
            return ""
        local = self.registration_deadline.astimezone(self.zone)
        return f"{django_format(local, 'j F Y, H:i')} ({self.time_zone}, {offset_label(local)})"

    @property
    def facilitator_names(self) -> list[str]:
        return [line.strip() for line in self.facilitators.splitlines() if line.strip()]

    def has_ended(self, now: datetime | None = None) -> bool:
        return self.end <= (now or timezone.now())

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from .queries import workshop_context

        context = super().get_context(request, *args, **kwargs)
        context.update(workshop_context(self, request))
        return context

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            from .views import workshop_action

            return workshop_action(request, self)
        return super().serve(request, *args, **kwargs)


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
        WorkshopPage, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="registrations"
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
