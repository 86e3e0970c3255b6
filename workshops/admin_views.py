"""Wagtail admin views for organisers: their workshops, each workshop's registrations (with CSV and XLSX
export through Wagtail's report views), attendance after the session, filling places from the waiting list.

An organiser is whoever may edit the workshop page; everyone else gets Wagtail's "permission denied".
"""

from __future__ import annotations

import datetime
from collections import OrderedDict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies.pages import PagePermissionPolicy

from content.spreadsheet import safe_cell

from . import queries, services
from .forms import AttendanceForm, PromoteForm
from .models import WorkshopPage
from .records import Registration, Status


def workshop_for(request: HttpRequest, page_id: int) -> WorkshopPage:
    """The workshop, if this person may edit it (organisers are its editors)."""
    workshop = get_object_or_404(WorkshopPage, pk=page_id)
    if not workshop.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return workshop


class WorkshopsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return PagePermissionPolicy().user_has_permission(request.user, "change")


class WorkshopsReportView(ReportView):
    """The workshops this person may organise, latest first, with their numbers (fixed queries)."""

    page_title = gettext_lazy("Workshop registrations")
    header_icon = "group"
    index_url_name = "workshops_admin"
    columns = [
        TitleColumn("title", label=gettext_lazy("Workshop"), url_name="workshops_registrations"),
        Column(
            "start",
            label=gettext_lazy("Starts (UTC)"),
            accessor=lambda workshop: workshop.start.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M"),
        ),
        Column("capacity", label=gettext_lazy("Places")),
        Column("registered_count", label=gettext_lazy("Registered")),
        Column("waiting_count", label=gettext_lazy("Waiting")),
    ]

    def get_queryset(self) -> list[WorkshopPage]:
        editable = PagePermissionPolicy().instances_user_has_any_permission_for(self.request.user, ["change"])
        return queries.with_registration_counts(WorkshopPage.objects.filter(pk__in=editable.values("pk")))

    @cached_property
    def no_results_message(self) -> str:
        return _("No workshops you can organise yet.")


def _attended_text(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class RegistrationsReportView(ReportView):
    """One workshop's registrations: the registered (with attendance), the waiting list, the cancelled.

    The export (`?export=csv|xlsx`, or `?format=csv` as the page linked before) leaves out the cancelled.
    Organisation and country follow each person's choice of who sees them, as on every page: an export is
    one more way of showing them, and a file, once downloaded, cannot be taken back. (The e-mail address is
    there because organisers must be able to reach registrants.)
    """

    results_template_name = "workshops/admin/registrations_results.html"
    page_title = gettext_lazy("Registrations")
    header_icon = "group"
    paginate_by = None  # the attendance form needs every registered person on one page
    list_export = ["name", "email", "organisation", "country", "status", "created", "attended"]
    export_headings = {
        "name": "name",
        "email": "email",
        "organisation": "organisation",
        "country": "country",
        "status": "status",
        "created": "registered at",
        "attended": "attended",
    }
    custom_value_preprocess = {
        **ReportView.custom_value_preprocess,
        # No cell a spreadsheet would run as a formula (XLSX cells are already written as text by Wagtail).
        str: {ReportView.FORMAT_CSV: safe_cell},
        datetime.datetime: {
            **ReportView.custom_value_preprocess[datetime.datetime],
            ReportView.FORMAT_CSV: lambda value: value.isoformat(),
        },
    }

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self.export_format = request.GET.get("export")
        if self.export_format not in self.FORMATS and request.GET.get("format") == self.FORMAT_CSV:
            self.export_format = self.FORMAT_CSV
        self.is_export = self.export_format in self.FORMATS

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.workshop = workshop_for(request, kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        registrations = queries.registrations_of(self.workshop)
        return registrations.exclude(status=Status.CANCELLED) if self.is_export else registrations

    def render_to_response(self, context, **response_kwargs) -> HttpResponse:
        if self.is_export:
            return self.as_spreadsheet(context["object_list"], self.export_format)
        return super(ReportView, self).render_to_response(context, **response_kwargs)

    def get_filename(self) -> str:
        return f"workshop-{self.workshop.pk}-registrations"

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    def to_row_dict(self, item: Registration) -> OrderedDict:
        person = item.user
        shown = person.details_visible_to(self.request.user)
        return OrderedDict(
            [
                ("name", str(person.public_name)),
                ("email", person.email),
                ("organisation", person.organisation if shown else ""),
                ("country", str(person.country) if shown else ""),
                ("status", str(item.status)),
                ("created", item.created),
                ("attended", _attended_text(item.attended)),
            ]
        )

    def get_page_subtitle(self) -> str:
        return self.workshop.title

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("workshops_admin"), "label": _("Workshop registrations")},
            {"url": "", "label": self.workshop.title, "sublabel": self.get_page_title()},
        ]

    @cached_property
    def header_buttons(self) -> list:
        return [
            HeaderButton(
                _("Edit the workshop"),
                url=reverse("wagtailadmin_pages:edit", args=[self.workshop.pk]),
                icon_name="edit",
            )
        ]

    def get_context_data(self, *args, **kwargs) -> dict:
        context = super().get_context_data(*args, **kwargs)
        registrations = list(context["object_list"])
        registered = [entry for entry in registrations if entry.status == Status.REGISTERED]
        context.update(
            workshop=self.workshop,
            registered=registered,
            waiting=[entry for entry in registrations if entry.status == Status.WAITING],
            cancelled=[entry for entry in registrations if entry.status == Status.CANCELLED],
            can_mark_attendance=self.workshop.start <= timezone.now(),
            places_left=max(0, self.workshop.capacity - len(registered)),
        )
        return context


class AttendanceView(View):
    """POST after the session: the ticked registered people attended, the others did not."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, page_id: int) -> HttpResponse:
        workshop = workshop_for(request, page_id)
        form = AttendanceForm(queries.registered_people(workshop), request.POST)
        if not form.is_valid():
            messages.error(
                request, _("Attendance was not saved: the list of people changed. Please try again.")
            )
        else:
            try:
                services.mark_attendance(workshop, form.cleaned_data["attended"])
            except services.RegistrationRefused as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, _("Attendance saved."))
        return redirect("workshops_registrations", page_id=workshop.pk)


class PromoteView(View):
    """POST: give the free places to the waiting list, first come first served."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, page_id: int) -> HttpResponse:
        workshop = workshop_for(request, page_id)
        if PromoteForm(request.POST).is_valid():
            promoted = services.promote_from_waiting_list(workshop)
            messages.success(
                request,
                ngettext(
                    "%(count)d person moved from the waiting list.",
                    "%(count)d people moved from the waiting list.",
                    len(promoted),
                )
                % {"count": len(promoted)},
            )
        return redirect("workshops_registrations", page_id=workshop.pk)
