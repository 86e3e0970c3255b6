"""Wagtail admin: the programme office's course report (per course, by country) with CSV export."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from content.spreadsheet import safe_cell

from .reports import course_report, report_csv_rows

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
