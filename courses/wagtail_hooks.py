"""Wagtail admin registrations for courses: the course report and its menu item, guessable-check warnings."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .admin_views import CourseReportView, ReportMenuItem, warn_about_guessable_checks


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
