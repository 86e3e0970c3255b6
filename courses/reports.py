"""Programme-office reports per course: enrolments, completions, rate, average score, by country.

A read model like `courses.queries`: the admin view passes the courses in and shows or exports the lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Avg, Count, Q
from django.db.models.functions import Substr
from django_countries import countries

from .records import Enrolment, QuizAttempt

if TYPE_CHECKING:  # for type hints only: the page classes sit above this module
    from .models.pages import CoursePage


@dataclass
class CourseRow:
    course: CoursePage
    enrolments: int = 0
    completions: int = 0
    average_score: float | None = None
    by_country: list[dict] = field(default_factory=list)

    @property
    def completion_rate(self) -> int:
        return round(100 * self.completions / self.enrolments) if self.enrolments else 0


def course_report(courses: Iterable[CoursePage]) -> list[CourseRow]:
    """One row per course, in the order given, in a fixed number of queries."""
    rows = {course.pk: CourseRow(course) for course in courses}
    totals = (
        Enrolment.objects.filter(course__in=rows)
        .values("course_id")
        .annotate(enrolments=Count("pk"), completions=Count("pk", filter=Q(completed_at__isnull=False)))
    )
    for total in totals:
        rows[total["course_id"]].enrolments = total["enrolments"]
        rows[total["course_id"]].completions = total["completions"]
    by_country = (
        Enrolment.objects.filter(course__in=rows)
        .values("course_id", "user__country")
        .annotate(enrolments=Count("pk"), completions=Count("pk", filter=Q(completed_at__isnull=False)))
        .order_by("course_id", "-enrolments", "user__country")
    )
    for entry in by_country:
        code = entry["user__country"] or ""
        rows[entry["course_id"]].by_country.append(
            {
                "code": code,
                "name": countries.name(code) if code else "",
                "enrolments": entry["enrolments"],
                "completions": entry["completions"],
            }
        )
    paths_by_length: dict[int, dict[str, CourseRow]] = {}
    for row in rows.values():
        paths_by_length.setdefault(len(row.course.path), {})[row.course.path] = row
    for length, paths in paths_by_length.items():  # one query per course depth (normally one)
        averages = (
            QuizAttempt.objects.annotate(prefix=Substr("lesson__path", 1, length))
            .filter(prefix__in=list(paths))
            .values("prefix")
            .annotate(average=Avg("score"))
        )
        for entry in averages:
            paths[entry["prefix"]].average_score = round(entry["average"], 1)
    return list(rows.values())


@dataclass
class ReportLine:
    """One line of the report: a course's totals, or its learners from one country."""

    course: CoursePage
    enrolments: int
    completions: int
    average_score: float | None = None  # courses' totals only
    country_code: str | None = None  # None on a course's totals; "" for learners who gave no country
    country_name: str = ""

    @property
    def is_total(self) -> bool:
        return self.country_code is None

    @property
    def course_title(self) -> str:
        return self.course.title

    @property
    def country(self) -> str:
        """The country column of the export: "(all)" on totals, "(unknown)" when no country was given."""
        if self.is_total:
            return "(all)"
        return self.country_code or "(unknown)"

    @property
    def completion_rate(self) -> int:
        return round(100 * self.completions / self.enrolments) if self.enrolments else 0


def report_lines(rows: list[CourseRow], *, by_country: bool) -> list[ReportLine]:
    """Each course's totals line, followed, with `by_country`, by a line per country of its learners."""
    lines = []
    for row in rows:
        lines.append(ReportLine(row.course, row.enrolments, row.completions, row.average_score))
        if by_country:
            lines.extend(
                ReportLine(
                    row.course,
                    country["enrolments"],
                    country["completions"],
                    country_code=country["code"],
                    country_name=country["name"],
                )
                for country in row.by_country
            )
    return lines
