"""Workshop pages (index → workshop) with their routes: the top layer of the app.

The pages look up their workshops in the tree and hand them to the read rules in `queries`; a person's
register and cancel actions are routes on the workshop page, each with its form, calling `services`. The
record model (registrations) lives in `records` and is re-exported here, where Django and the tests look.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateformat import format as django_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from content.blocks import BaseContentBlock
from content.routes import moved_post, signed_in_post

from . import queries, services
from .forms import WorkshopPageForm
from .records import Format, Registration, Status
from .times import WorkshopTimes, offset_label, workshop_times

__all__ = ["Format", "Registration", "Status", "WorkshopIndexPage", "WorkshopPage", "validate_time_zone"]

# What a calendar shows of a workshop's time and place (DTSTART, DTEND, LOCATION): a published change to one
# of these raises the workshop's calendar sequence.
CALENDAR_FIELDS = ("start", "end", "place", "format")


def validate_time_zone(value: str) -> None:
    """An IANA time zone name such as Europe/Paris or Africa/Nairobi."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a known time zone (e.g. Europe/Paris)."), params={"value": value}
        )


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class WorkshopIndexPage(Page):
    """The list at /workshops/: upcoming first, then past ones with materials; filters."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["govlearn.HomePage"]
    subpage_types = ["workshops.WorkshopPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("workshop list")

    def listed_workshops(self) -> WorkshopQuerySet:
        """The published, public workshops of this list (not yet evaluated: the read rules filter it)."""
        return WorkshopPage.objects.live().public().child_of(self)

    def upcoming_workshops(self) -> WorkshopQuerySet:
        """The published, public workshops under this list that have not ended, soonest first."""
        return WorkshopPage.objects.live().public().descendant_of(self).upcoming()

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context.update(queries.index_context(self.listed_workshops(), request))
        return context


class WorkshopQuerySet(PageQuerySet):
    def upcoming(self, now: datetime | None = None) -> WorkshopQuerySet:
        """Not yet ended, soonest first."""
        return self.filter(end__gt=now or timezone.now()).order_by("start", "pk")

    def past(self, now: datetime | None = None) -> WorkshopQuerySet:
        """Ended, most recent first."""
        return self.filter(end__lte=now or timezone.now()).order_by("-start", "-pk")


WorkshopManager = PageManager.from_queryset(WorkshopQuerySet)


class WorkshopPage(RoutablePageMixin, Page):
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

    calendar_sequence = models.PositiveIntegerField(
        _("calendar sequence"),
        default=0,
        editable=False,
        help_text=_("Goes up by one each time a published change moves the workshop in time or place."),
    )

    objects = WorkshopManager()
    base_form_class = WorkshopPageForm
    exclude_fields_in_copy = ["calendar_sequence"]  # a copy is a new event, with a UID of its own

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

    def save(self, *args, **kwargs) -> None:
        """Saves the page; the calendar sequence goes up by one when the stored time or place changes.

        Every way a workshop's stored time or place changes (publishing from the editor, scheduled
        publishing, publishing an older revision, the content loader) ends here, so the rule lives here
        once. The number comes from the stored row, not from the revision being published, so it never
        goes down and calendars holding the old event take the new one (RFC 5545 SEQUENCE).
        """
        update_fields = kwargs.get("update_fields")
        if not self.pk or (update_fields is not None and not set(update_fields) & set(CALENDAR_FIELDS)):
            return super().save(*args, **kwargs)
        with transaction.atomic():  # two publishes at once: the second reads the first's number
            stored = (
                type(self)
                .objects.select_for_update(of=("self",))
                .filter(pk=self.pk)
                .values(*CALENDAR_FIELDS, "calendar_sequence")
                .first()
            )
            if stored is not None:
                moved = any(stored[name] != getattr(self, name) for name in CALENDAR_FIELDS)
                self.calendar_sequence = stored["calendar_sequence"] + (1 if moved else 0)
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "calendar_sequence"}
            return super().save(*args, **kwargs)

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context.update(queries.workshop_context(self, request))
        return context

    # --- Routes: the page, and a person's register and cancel actions. -----------------------------------

    @path("")
    def workshop_view(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """The page. A post here comes from a page served before the register and cancel routes existed
        (`action=register|cancel`): a 307 sends it on to its route with its method and form unchanged."""
        if request.method == "POST":
            return moved_post(request, self, {"register": "register", "cancel": "cancel"})
        return self.index_route(request, *args, **kwargs)

    @path("register/", name="register")
    @signed_in_post
    def register_view(self, request: HttpRequest) -> HttpResponse:
        """Take a place, or a place on the waiting list when the workshop is full (the workshop comes from the
        URL and the person from the session: there is nothing else to read)."""
        try:
            result = services.register(request.user, self)
        except services.RegistrationRefused as refusal:
            messages.error(request, str(refusal))
        else:
            if not result.created:
                messages.info(request, gettext("You were already registered; nothing has changed."))
            elif result.waiting:
                messages.success(
                    request,
                    gettext("Full, so you are on the waiting list. We will e-mail you if a place frees up."),
                )
            else:
                messages.success(
                    request,
                    gettext("You are registered. We have e-mailed you a confirmation with a calendar file."),
                )
        return redirect(self.get_url(request))

    @path("cancel/", name="cancel")
    @signed_in_post
    def cancel_view(self, request: HttpRequest) -> HttpResponse:
        """Give up a place, or leave the waiting list."""
        try:
            cancelled = services.cancel(request.user, self)
        except services.RegistrationRefused as refusal:
            messages.error(request, str(refusal))
        else:
            if cancelled is None:
                messages.info(request, gettext("You were not registered for this workshop."))
            else:
                messages.success(request, gettext("Your registration is cancelled."))
        return redirect(self.get_url(request))


def fill_freed_places(sender, instance: WorkshopPage, **kwargs) -> None:
    """On `page_published`: a published change (more places, say) gives free places to the waiting list."""
    services.promote_from_waiting_list(instance)
