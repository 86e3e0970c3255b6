"""Wagtail admin for organisers: registrations and waiting list per workshop, CSV export, attendance.

Also the workshops' part in the apps' meeting points (`content/hooks.py`): load_content, /me/.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.permission_policies.pages import PagePermissionPolicy

from content.hooks import CONTENT_LOADERS, DASHBOARD_PANELS, ContentLoader, DashboardPanel
from content.spreadsheet import safe_cell

from .loading import load_workshops
from .models import Registration, Status, WorkshopPage
from .queries import dashboard_summary
from .services import RegistrationRefused, mark_attendance, promote_from_waiting_list


def _workshop_for(request: HttpRequest, page_id: int) -> WorkshopPage:
    """The workshop, if this person may edit it (organisers are its editors)."""
    workshop = get_object_or_404(WorkshopPage, pk=page_id)
    if not workshop.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return workshop


def registrations_csv(workshop: WorkshopPage, registrations: list[Registration], viewer) -> HttpResponse:
    """The registrations as CSV. Organisation and country follow each person's choice of who sees them,
    as on every page: an export is one more way of showing them, and a file, once downloaded, cannot
    be taken back. (The e-mail address is there because organisers must be able to reach registrants.)"""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="workshop-{workshop.pk}-registrations.csv"'
    writer = csv.writer(response)
    writer.writerow(["name", "email", "organisation", "country", "status", "registered at", "attended"])
    for entry in registrations:
        person = entry.user
        attended = "" if entry.attended is None else ("yes" if entry.attended else "no")
        shown = person.details_visible_to(viewer)
        writer.writerow(
            [
                safe_cell(str(person.public_name)),
                safe_cell(person.email),
                safe_cell(person.organisation) if shown else "",
                str(person.country) if shown else "",
                entry.status,
                entry.created.isoformat(),
                attended,
            ]
        )
    return response


def registrations_view(request: HttpRequest, page_id: int) -> HttpResponse:
    """GET: the lists (or `?format=csv`); POST: attendance after the session, or fill free places."""
    workshop = _workshop_for(request, page_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "promote":
                promoted = promote_from_waiting_list(workshop)
                messages.success(
                    request,
                    ngettext(
                        "%(count)d person moved from the waiting list.",
                        "%(count)d people moved from the waiting list.",
                        len(promoted),
                    )
                    % {"count": len(promoted)},
                )
            else:
                ids = [int(value) for value in request.POST.getlist("attended") if value.isdigit()]
                mark_attendance(workshop, ids)
                messages.success(request, _("Attendance saved."))
        except RegistrationRefused as refusal:
            messages.error(request, str(refusal))
        return redirect("workshops_registrations", page_id=workshop.pk)
    registrations = list(
        Registration.objects.filter(workshop=workshop).select_related("user").order_by("created", "pk")
    )
    if request.GET.get("format") == "csv":
        return registrations_csv(
            workshop, [r for r in registrations if r.status != Status.CANCELLED], request.user
        )
    registered = [r for r in registrations if r.status == Status.REGISTERED]
    return render(
        request,
        "workshops/admin/registrations.html",
        {
            "workshop": workshop,
            "registered": registered,
            "waiting": [r for r in registrations if r.status == Status.WAITING],
            "cancelled": [r for r in registrations if r.status == Status.CANCELLED],
            "can_mark_attendance": workshop.start <= timezone.now(),
            "places_left": max(0, workshop.capacity - len(registered)),
            "page_title": _("Registrations"),
        },
    )


def workshops_view(request: HttpRequest) -> HttpResponse:
    """The workshops this person may organise, soonest first, with their numbers (fixed queries)."""
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(request.user, ["change"])
    workshops = _annotated(WorkshopPage.objects.filter(pk__in=editable.values("pk")))
    return render(
        request, "workshops/admin/workshops.html", {"workshops": workshops, "page_title": _("Workshops")}
    )


def _annotated(queryset) -> list[WorkshopPage]:
    return list(
        queryset.annotate(
            registered_count=Count("registrations", filter=Q(registrations__status=Status.REGISTERED)),
            waiting_count=Count("registrations", filter=Q(registrations__status=Status.WAITING)),
        ).order_by("-start")
    )


@hooks.register("register_admin_urls")
def register_workshop_urls():
    return [
        path("workshops/", workshops_view, name="workshops_admin"),
        path("workshops/<int:page_id>/registrations/", registrations_view, name="workshops_registrations"),
    ]


class WorkshopsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return PagePermissionPolicy().user_has_permission(request.user, "change")


@hooks.register("register_reports_menu_item")
def register_workshops_menu_item():
    return WorkshopsMenuItem(
        gettext_lazy("Workshop registrations"), reverse("workshops_admin"), icon_name="group", order=710
    )


@hooks.register("register_page_listing_more_buttons")
def registrations_button(page, user, next_url=None):
    if isinstance(page.specific_deferred, WorkshopPage) and page.permissions_for_user(user).can_edit():
        yield Button(
            gettext_lazy("Registrations"),
            reverse("workshops_registrations", args=[page.pk]),
            icon_name="group",
            priority=60,
        )


# --- Meeting points (content/hooks.py): load_content and the /me/ panel ----------------------------------


@hooks.register(CONTENT_LOADERS, order=45)
def workshops_loader() -> ContentLoader:
    return ContentLoader("workshops", load_workshops)


@hooks.register(DASHBOARD_PANELS, order=25)
def workshops_panel(request: HttpRequest) -> DashboardPanel | None:
    """The signed-in person's upcoming workshops and waiting-list places (two queries)."""
    summary = dashboard_summary(request.user)
    return DashboardPanel("workshops/dashboard_panel.html", summary) if summary else None
