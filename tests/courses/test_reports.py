"""The programme office's course report in the Wagtail admin, its CSV export, and the demo seeder."""

import csv
import io
import random

import pytest

from content.seeding import SeedContext
from courses import services
from courses.models import Enrolment, LessonCompletion, QuizAttempt
from courses.seeding import seed_courses
from tests.courses.conftest import RIGHT, WRONG, lessons_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(user_factory, make_course):
    course = make_course(title="Payments basics", modules=1, lessons=2, check_in=(1,))
    lessons = lessons_of(course)
    kenyan, french, idle = user_factory(country="KE"), user_factory(country="FR"), user_factory(country="KE")
    for learner in (kenyan, french):
        services.grade_attempt(learner, lessons[0], "chk", WRONG, 1)
        services.grade_attempt(learner, lessons[0], "chk", RIGHT, 2)
    services.complete_lesson(kenyan, lessons[1])
    services.enrol(idle, course)
    return course


def test_report_shows_enrolments_completions_rate_score_and_countries(admin_client, activity):
    html = admin_client.get(f"/admin/courses/report/?course={activity.pk}").content.decode()
    assert "Payments basics" in html
    assert "<td>3</td><td>1</td><td>33%</td>" in html  # 3 enrolled, 1 completed
    assert "50.0%" in html  # attempts scored 0 and 100
    assert "Kenya" in html and "France" in html


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV download (Wagtail's exports stream)."""
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_report_exports_csv(admin_client, activity):
    response = admin_client.get("/admin/courses/report/?export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0][0] == "course"
    assert ["Payments basics", "(all)", "3", "1", "33", "50.0"] in rows
    assert ["Payments basics", "KE", "2", "1", "50", ""] in rows


def test_the_earlier_csv_link_still_downloads_the_csv(admin_client, activity):
    response = admin_client.get(f"/admin/courses/report/?course={activity.pk}&format=csv", follow=True)
    assert response["Content-Type"].startswith("text/csv")
    assert ["Payments basics", "(all)", "3", "1", "33", "50.0"] in csv_rows(response)


def test_report_exports_xlsx(admin_client, activity):
    from openpyxl import load_workbook

    response = admin_client.get("/admin/courses/report/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["course", "country"]
    assert ["Payments basics", "(all)", 3, 1, 33, 50.0] in rows


def test_a_title_a_spreadsheet_would_run_is_exported_as_text(admin_client, make_course, user):
    course = make_course(title="=HYPERLINK(evil)", modules=1, lessons=1)
    services.enrol(user, course)
    rows = csv_rows(admin_client.get("/admin/courses/report/?export=csv"))
    assert ["'=HYPERLINK(evil)", "(all)", "1", "0", "0", ""] in rows


def test_the_report_breaks_a_course_down_by_country_only_when_it_is_chosen(admin_client, activity):
    assert "Kenya" not in admin_client.get("/admin/courses/report/").content.decode()
    assert "Kenya" in admin_client.get(f"/admin/courses/report/?course={activity.pk}").content.decode()
    assert admin_client.get("/admin/courses/report/?course=not-a-number").status_code == 200


def test_report_needs_permission(client, user, activity):
    client.force_login(user)
    assert client.get("/admin/courses/report/").status_code in (302, 403)


def test_seeder_adds_enrolments_progress_and_attempts(user_factory, make_course):
    make_course(title="Seeded", modules=1, lessons=3, check_in=(2,))
    users = [user_factory() for _ in range(12)]
    summary = seed_courses(SeedContext(scale=1, rng=random.Random(3), users=users))  # noqa: S311
    assert "enrolments" in summary
    assert Enrolment.objects.exists() and LessonCompletion.objects.exists() and QuizAttempt.objects.exists()
    enrolments = Enrolment.objects.count()
    seed_courses(SeedContext(scale=1, rng=random.Random(3), users=users))  # noqa: S311
    assert Enrolment.objects.count() == enrolments
