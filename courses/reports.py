"""Programme-office reports per course: enrolments, completions, rate, average score, by country."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.db.models.functions import Substr
from django_countries import countries

from .models import CoursePage, Enrolment, QuizAttempt


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


def course_report(course_id: int | None = None) -> list[CourseRow]:
    """One row per course (or just one course), in a fixed number of queries."""
    courses = CoursePage.objects.order_by("path")
    if course_id is not None:
        courses = courses.filter(pk=course_id)
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


def report_csv_rows(rows: list[CourseRow]) -> list[list[str]]:
    """The report as CSV rows: one line per course and country, plus a line for the course's totals."""
    lines = [["course", "country", "enrolments", "completions", "completion rate %", "average score %"]]
    for row in rows:
        score = "" if row.average_score is None else str(row.average_score)
        lines.append(
            [
                row.course.title,
                "(all)",
                str(row.enrolments),
                str(row.completions),
                str(row.completion_rate),
                score,
            ]
        )
        for country in row.by_country:
            rate = round(100 * country["completions"] / country["enrolments"]) if country["enrolments"] else 0
            lines.append(
                [
                    row.course.title,
                    country["code"] or "(unknown)",
                    str(country["enrolments"]),
                    str(country["completions"]),
                    str(rate),
                    "",
                ]
            )
    return lines
