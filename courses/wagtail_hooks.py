"""Wagtail admin: the course report (per course, by country) with CSV export; guessable-check warnings.

Also the courses' part in the apps' meeting points (`content/hooks.py`): load_content, seed_demo, /me/.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from content.hooks import (
    CONTENT_LOADERS,
    DASHBOARD_PANELS,
    DEMO_SEEDERS,
    ContentLoader,
    DashboardPanel,
    DemoSeeder,
)
from content.spreadsheet import safe_cell

from .check_quality import check_warnings, course_warnings
from .loading import load_courses
from .models import LessonPage
from .queries import learning_summary
from .reports import course_report, report_csv_rows
from .seeding import seed_courses
from .services import checks_in_body, course_of, lesson_checks

REPORT_PERMISSION = "courses.view_enrolment"


def _check(request: HttpRequest) -> None:
    if not request.user.has_perm(REPORT_PERMISSION):
        raise PermissionDenied


def course_report_view(request: HttpRequest) -> HttpResponse:
    """All courses; `?course=<id>` narrows to one; `?format=csv` downloads the same data."""
    _check(request)
    try:
        course_id = int(request.GET["course"]) if request.GET.get("course") else None
    except ValueError:
        course_id = None
    rows = course_report(course_id)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="course-report.csv"'
        writer = csv.writer(response)
        for line in report_csv_rows(rows):
            writer.writerow([safe_cell(cell) for cell in line])
        return response
    return render(
        request,
        "courses/admin/report.html",
        {
            "rows": rows,
            "course_id": course_id,
            "header_title": _("Course report"),
            "page_title": _("Course report"),
        },
    )


@hooks.register("register_admin_urls")
def register_report_url():
    return [path("courses/report/", course_report_view, name="courses_report")]


class ReportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(REPORT_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return ReportMenuItem(_("Courses"), reverse("courses_report"), icon_name="list-ul", order=700)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_guessable_checks(request: HttpRequest, page) -> None:
    """After a lesson is saved: warn (never block) when its checks, or its course's, are guessable.

    The saved lesson counts with what the editor just saved; the course's other lessons with their
    current page content.
    """
    if not isinstance(page, LessonPage):
        return
    checks = lesson_checks(page)
    if not checks:
        return
    warnings = check_warnings(checks, page.title)
    course = course_of(page)
    if course is not None:
        course_checks = list(checks.values())
        for lesson in LessonPage.objects.descendant_of(course).exclude(pk=page.pk).only("pk", "body"):
            course_checks.extend(checks_in_body(lesson.body).values())
        warnings += course_warnings(course_checks, course.title)
    for warning in warnings:
        messages.warning(request, warning)


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
