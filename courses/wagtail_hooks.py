"""Wagtail admin registrations for courses: the course report and its menu item, guessable-check warnings;
and the courses' part in the apps' meeting points (`content/hooks.py`): load_content, seed_demo, /me/."""

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from content.hooks import (
    CONTENT_LOADERS,
    DASHBOARD_PANELS,
    DEMO_SEEDERS,
    ContentLoader,
    DashboardPanel,
    DemoSeeder,
)

from .admin_views import CourseReportView, ReportMenuItem, warn_about_guessable_checks
from .loading import load_courses
from .queries import learning_summary
from .seeding import seed_courses


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("courses/report/", CourseReportView.as_view(), name="courses_report"),
        path(
            "courses/report/results/",
            CourseReportView.as_view(results_only=True),
            name="courses_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return ReportMenuItem(_("Courses"), reverse("courses_report"), icon_name="list-ul", order=700)


hooks.register("after_create_page", warn_about_guessable_checks)
hooks.register("after_edit_page", warn_about_guessable_checks)


# --- Meeting points (content/hooks.py): load_content, seed_demo and the /me/ panel ---------------------


@hooks.register(CONTENT_LOADERS, order=30)
def courses_loader() -> ContentLoader:
    return ContentLoader("courses", load_courses)


@hooks.register(DEMO_SEEDERS, order=30)
def courses_seeder() -> DemoSeeder:
    return DemoSeeder("courses", seed_courses)


@hooks.register(DASHBOARD_PANELS, order=10)
def courses_panel(request: HttpRequest) -> DashboardPanel | None:
    """The signed-in person's courses: percent and continue link, completed ones with certificates."""
    summary = learning_summary(request)
    return DashboardPanel("courses/dashboard_panel.html", summary) if summary else None
