"""Guessable knowledge checks: found by place and length, reported by load_content and the admin."""

from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.test.utils.form_data import nested_form_data, streamfield

from content.loading import load_all
from courses import loading
from courses.check_quality import check_warnings, course_warnings, guessable_patterns
from courses.knowledge_checks import Check, Option, Question, lesson_checks
from courses.models import LessonPage
from tests.courses.conftest import lessons_of

pytestmark = pytest.mark.django_db


def question(right: int, texts=("Alpha", "Bravo", "Gamma"), kind: str = "single", extra_right=()) -> Question:
    """A question whose option number `right` (from 1) is right, and `extra_right` too."""
    rights = {right, *extra_right}
    options = [Option(f"o{n}", text, n in rights, "") for n, text in enumerate(texts, start=1)]
    return Question(f"q{right}{len(texts)}", "Which?", kind, "", options)


def kinds(questions) -> list[tuple[str, int, int, int]]:
    return [(p.kind, p.position, p.count, p.total) for p in guessable_patterns(questions)]


def test_the_right_answer_always_first_is_reported():
    assert kinds([question(1), question(1), question(1)]) == [("position", 1, 3, 3)]


def test_the_same_place_in_two_questions_is_reported():
    assert kinds([question(2), question(2)]) == [("position", 2, 2, 2)]
    assert kinds([question(1, ("True", "False")), question(1, ("True", "False"))]) == [("position", 1, 2, 2)]


def test_the_same_place_in_most_questions_is_reported():
    four = ("Alpha", "Bravo", "Gamma", "Delta")
    assert kinds([question(1, four), question(1, four), question(1, four), question(3, four)]) == [
        ("position", 1, 3, 4)
    ]


def test_the_right_answer_always_last_is_reported_whatever_the_number_of_options():
    assert kinds([question(3), question(4, ("Alpha", "Bravo", "Gamma", "Delta"))]) == [("last", 0, 2, 2)]


def test_varied_places_and_one_question_alone_are_not_reported():
    assert kinds([question(1), question(2), question(3)]) == []
    assert kinds([question(1)]) == []
    assert kinds([question(n) for n in (1, 1, 1, 1, 1, 2, 3, 2)]) == []  # 5 of 8 is not "most"


def test_multiple_choice_questions_with_many_right_options_are_not_a_place_pattern():
    four = ("Alpha", "Bravo", "Gamma", "Delta")
    many = [question(1, four, "multiple", extra_right=(2, 3)) for _ in range(3)]
    assert [pattern for pattern in kinds(many) if pattern[0] != "longest"] == []


def test_the_right_answer_always_the_longest_is_reported():
    questions = [
        question(1, ("The detailed and fully right answer", "Short", "Brief")),
        question(3, ("Short", "Brief", "Another long and carefully hedged answer")),
        question(2, ("Tiny", "A rather long and qualified right answer", "Small")),
    ]
    assert kinds(questions) == [("longest", 0, 3, 3)]
    questions[2] = question(2, ("A much longer wrong answer than the right", "Right one", "Small"))
    assert kinds(questions) == []  # two of three questions is not "most"


def test_warnings_name_the_lesson_and_the_check():
    check = Check("c1", "Quick check", 80, 3, [question(1), question(1), question(1)])
    (warning,) = check_warnings({"c1": check}, "Payments")
    assert "Lesson “Payments”, knowledge check “Quick check”" in warning
    assert "The right answer is option 1 in 3 of 3 single-choice questions" in warning


def test_a_habit_across_a_course_is_reported_even_when_each_check_is_too_short_to_tell():
    checks = [Check(f"c{n}", "Check", 80, 3, [question(1)]) for n in range(3)]
    assert all(not check_warnings({check.id: check}, "Lesson") for check in checks)
    (warning,) = course_warnings(checks, "Basics")
    assert "Course “Basics”, all 3 knowledge checks together" in warning and "option 1 in 3 of 3" in warning
    assert course_warnings(checks[:1], "Basics") == []


# load_content -------------------------------------------------------------------------------------------

LESSON = """+++
title = "{title}"
[check]
title = "{check}"
{questions}
+++
Text.
"""

QUESTION = """[[check.questions]]
prompt = "Pick one"
options = [{options}]
"""


def library_lesson(title: str, check: str, questions: list[list[tuple[str, bool]]]) -> str:
    blocks = [
        QUESTION.format(
            options=", ".join(
                f'{{ text = "{text}", correct = {"true" if right else "false"} }}' for text, right in options
            )
        )
        for options in questions
    ]
    return LESSON.format(title=title, check=check, questions="\n".join(blocks))


@pytest.fixture
def guessable_library(tmp_path: Path, monkeypatch) -> Path:
    courses = tmp_path / "courses"
    (courses / "guessable").mkdir(parents=True)
    (courses / "catalogue.md").write_text('+++\ntitle = "Courses"\nslug = "courses"\n+++\nCourses.\n')
    (courses / "guessable" / "course.md").write_text(
        '+++\ntitle = "Guessable"\nslug = "guessable"\nsummary = "A course."\n\n'
        '[[module]]\nslug = "m"\ntitle = "M"\nlessons = ["first", "second"]\n+++\nAbout.\n'
    )
    first_right = [[("Alpha", True), ("Bravo", False), ("Gamma", False)]] * 3
    (courses / "guessable" / "first.md").write_text(
        library_lesson("First lesson", "First check", first_right)
    )
    longest_right = [
        [("Short", False), ("The long and carefully worded right answer", True), ("Brief", False)],
        [("The other long and carefully worded right answer", True), ("Tiny", False), ("Small", False)],
    ]
    (courses / "guessable" / "second.md").write_text(
        library_lesson("Second lesson", "Second check", longest_right)
    )
    monkeypatch.setattr(loading, "COURSES", courses)
    return courses


def test_load_content_prints_a_warning_naming_the_lesson_and_check(site, guessable_library, capsys):
    call_command("load_content", only=["courses"])
    out = capsys.readouterr().out
    assert "warning: Lesson “First lesson”, knowledge check “First check”" in out
    assert "option 1 in 3 of 3 single-choice questions" in out and "(guessable/first.md)" in out
    assert "warning: Lesson “Second lesson”, knowledge check “Second check”" in out
    assert "longest options in 2 of 2 questions" in out
    assert LessonPage.objects.filter(title="First lesson").exists()  # a warning, not a refusal


def test_the_bundled_curriculum_gives_no_warning(site):
    report = load_all(only=["taxonomies", "courses"])
    assert report.created and report.warnings == []


def test_reordering_bundled_options_kept_their_ids(site):
    """The library's options were reordered with their old `id`s: stored attempts keep their meaning."""
    load_all(only=["taxonomies", "courses"])
    lesson = LessonPage.objects.get(slug="what-is-a-building-block")
    (check,) = lesson_checks(lesson).values()
    first = check.questions[0]
    by_id = {option.id: option for option in first.options}
    assert by_id[
        loading.stable_id("lesson:govstack-fundamentals/what-is-a-building-block", "q1", "o1")
    ].is_correct
    assert [option.is_correct for option in first.options] != [True, False, False]


# The admin ----------------------------------------------------------------------------------------------


def form_list(items: list[dict]) -> dict:
    data = {
        str(n): {"value": value, "id": f"item-{n}", "deleted": "", "order": str(n)}
        for n, value in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def admin_check(options_per_question: list[list[tuple[str, bool]]]) -> dict:
    return {
        "title": "Admin check",
        "pass_mark": "80",
        "max_attempts": "3",
        "reveal_answers": "after_passing",
        "questions": form_list(
            [
                {
                    "prompt": "Pick one",
                    "kind": "single",
                    "explanation": "",
                    "options": form_list(
                        [
                            {"text": text, "feedback": "", **({"is_correct": "on"} if right else {})}
                            for text, right in options
                        ]
                    ),
                }
                for options in options_per_question
            ]
        ),
    }


def lesson_form(check: dict) -> dict:
    return nested_form_data(
        {
            "title": "Edited lesson",
            "slug": "lesson-1",
            "estimated_minutes": "10",
            "body": streamfield([("knowledge_check", check)]),
        }
    )


FIRST_RIGHT = [[("Alpha", True), ("Bravo", False), ("Gamma", False)]] * 3
VARIED = [
    [("Alpha", True), ("Bravo", False), ("Gamma", False)],
    [("Alpha", False), ("Bravo", True), ("Gamma", False)],
    [("Alpha", False), ("Bravo", False), ("Gamma", True)],
]


def test_saving_a_guessable_lesson_in_the_admin_warns_but_saves(admin_client, make_course):
    lesson = lessons_of(make_course(modules=1, lessons=1))[0]
    response = admin_client.post(
        f"/admin/pages/{lesson.pk}/edit/", lesson_form(admin_check(FIRST_RIGHT)), follow=True
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lesson “Edited lesson”, knowledge check “Admin check”: learners could guess the answers." in html
    assert LessonPage.objects.get(pk=lesson.pk).get_latest_revision().content["title"] == "Edited lesson"


def test_saving_a_varied_lesson_in_the_admin_does_not_warn(admin_client, make_course):
    lesson = lessons_of(make_course(modules=1, lessons=1))[0]
    response = admin_client.post(
        f"/admin/pages/{lesson.pk}/edit/", lesson_form(admin_check(VARIED)), follow=True
    )
    assert response.status_code == 200
    assert "learners could guess" not in response.content.decode()


def test_creating_a_guessable_lesson_in_the_admin_warns(admin_client, make_course):
    course = make_course(modules=1, lessons=0)
    module = course.get_children().get().specific
    data = lesson_form(admin_check(FIRST_RIGHT))
    data["slug"] = "new-lesson"
    response = admin_client.post(f"/admin/pages/add/courses/lessonpage/{module.pk}/", data, follow=True)
    assert response.status_code == 200
    assert LessonPage.objects.filter(slug="new-lesson").exists()
    assert "learners could guess the answers" in response.content.decode()
