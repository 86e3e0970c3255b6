"""Wagtail admin views of courses: the course report (with CSV/XLSX export) and guessable-check warnings.

`courses.wagtail_hooks` registers them; the report is one of Wagtail's report views, so listing,
filtering, pagination and spreadsheet export are Wagtail's.
"""

import django_filters
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from content.spreadsheet import safe_cell

from .check_quality import check_warnings, course_warnings
from .knowledge_checks import checks_in_body, lesson_checks
from .models import CoursePage, Enrolment, LessonPage
from .reports import course_report, report_lines

REPORT_PERMISSION = "courses.view_enrolment"


class CourseReportFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label=_("Course"),
        queryset=CoursePage.objects.order_by("title"),
        empty_label=_("All courses"),
        method="filter_course",
    )

    class Meta:
        model = CoursePage
        fields: list[str] = []

    def filter_course(self, queryset, name: str, course: CoursePage | None):
        return queryset.filter(pk=course.pk) if course else queryset


class CourseReportView(ReportView):
    """Enrolments, completions, rate and average check score per course; a chosen course by country too.

    The export holds every course with its countries, one line each (the format of the earlier CSV).
    """

    page_title = _("Course report")
    header_icon = "list-ul"
    results_template_name = "courses/admin/report_results.html"
    index_url_name = "courses_report"
    index_results_url_name = "courses_report_results"
    filterset_class = CourseReportFilterSet
    permission_policy = ModelPermissionPolicy(Enrolment)
    permission_required = "view"
    export_filename = "course-report"
    list_export = ["course_title", "country", "enrolments", "completions", "completion_rate", "average_score"]
    export_headings = {
        "course_title": "course",
        "country": "country",
        "enrolments": "enrolments",
        "completions": "completions",
        "completion_rate": "completion rate %",
        "average_score": "average score %",
    }
    # A title or country a spreadsheet would run as a formula gets a leading apostrophe in the CSV (the
    # XLSX writer already stores such cells as text).
    custom_value_preprocess = {
        **ReportView.custom_value_preprocess,
        str: {ReportView.FORMAT_CSV: safe_cell},
    }

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.GET.get("format") in self.FORMATS and "export" not in request.GET:
            # The download link before this was a Wagtail report said ?format=csv: keep bookmarks working.
            params = request.GET.copy()
            params["export"] = params.pop("format")[-1]
            return redirect(f"{request.path}?{params.urlencode()}")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return CoursePage.objects.order_by("path")

    def get_filtered_queryset(self):
        courses = self.filter_queryset(self.get_queryset())
        chosen = self.filters and self.filters.is_valid() and self.filters.form.cleaned_data.get("course")
        return report_lines(course_report(courses), by_country=self.is_export or bool(chosen))


class ReportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(REPORT_PERMISSION)


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
    course = page.get_course()
    if course is not None:
        course_checks = list(checks.values())
        for lesson in LessonPage.objects.descendant_of(course).exclude(pk=page.pk).only("pk", "body"):
            course_checks.extend(checks_in_body(lesson.body).values())
        warnings += course_warnings(course_checks, course.title)
    for warning in warnings:
        messages.warning(request, warning)
