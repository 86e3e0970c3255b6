"""Wagtail admin registrations for organisers: the URLs of the admin views, the reports menu item, and a
"Registrations" button on each workshop in the page listing; and the workshops' part in the apps' meeting
points (`content/hooks.py`): load_content, /me/."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.widgets import Button

from content.hooks import CONTENT_LOADERS, DASHBOARD_PANELS, ContentLoader, DashboardPanel

from .admin_views import (
    AttendanceView,
    PromoteView,
    RegistrationsReportView,
    WorkshopsMenuItem,
    WorkshopsReportView,
)
from .loading import load_workshops
from .models import WorkshopPage
from .queries import dashboard_summary


@hooks.register("register_admin_urls")
def register_workshop_urls():
    return [
        path("workshops/", WorkshopsReportView.as_view(), name="workshops_admin"),
        path(
            "workshops/<int:page_id>/registrations/",
            RegistrationsReportView.as_view(),
            name="workshops_registrations",
        ),
        path(
            "workshops/<int:page_id>/registrations/attendance/",
            AttendanceView.as_view(),
            name="workshops_attendance",
        ),
        path(
            "workshops/<int:page_id>/registrations/promote/", PromoteView.as_view(), name="workshops_promote"
        ),
    ]


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
