"""Course fixtures: a catalogue under the home page and a builder for courses with modules and lessons."""

import pytest

from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage


def check_block(
    check_id: str = "chk", max_attempts: int = 2, pass_mark: int = 100, reveal: str | None = None
) -> dict:
    """Raw stream data for a two-question knowledge check with stable ids (`reveal`: when answers show)."""
    return {
        "type": "knowledge_check",
        "id": check_id,
        "value": {
            "title": "Check your understanding",
            "pass_mark": pass_mark,
            "max_attempts": max_attempts,
            **({"reveal_answers": reveal} if reveal else {}),
            "questions": [
                {
                    "type": "item",
                    "id": f"{check_id}-q1",
                    "value": {
                        "prompt": "Which building block exchanges data securely?",
                        "kind": "single",
                        "explanation": "EXPLAIN-Q1 the mediator carries the messages.",
                        "options": [
                            {
                                "type": "item",
                                "id": f"{check_id}-q1-a",
                                "value": {
                                    "text": "Information Mediator",
                                    "is_correct": True,
                                    "feedback": "FEEDBACK-RIGHT-A",
                                },
                            },
                            {
                                "type": "item",
                                "id": f"{check_id}-q1-b",
                                "value": {
                                    "text": "Scheduler",
                                    "is_correct": False,
                                    "feedback": "FEEDBACK-WRONG-B",
                                },
                            },
                        ],
                    },
                },
                {
                    "type": "item",
                    "id": f"{check_id}-q2",
                    "value": {
                        "prompt": "Which are wave-1 building blocks?",
                        "kind": "multiple",
                        "explanation": "EXPLAIN-Q2",
                        "options": [
                            {
                                "type": "item",
                                "id": f"{check_id}-q2-a",
                                "value": {
                                    "text": "Payments",
                                    "is_correct": True,
                                    "feedback": "FEEDBACK-RIGHT-C",
                                },
                            },
                            {
                                "type": "item",
                                "id": f"{check_id}-q2-b",
                                "value": {"text": "Registration", "is_correct": True, "feedback": ""},
                            },
                            {
                                "type": "item",
                                "id": f"{check_id}-q2-c",
                                "value": {
                                    "text": "Wallet",
                                    "is_correct": False,
                                    "feedback": "FEEDBACK-WRONG-D",
                                },
                            },
                        ],
                    },
                },
            ],
        },
    }


RIGHT = {"chk-q1": ["chk-q1-a"], "chk-q2": ["chk-q2-a", "chk-q2-b"]}
WRONG = {"chk-q1": ["chk-q1-b"], "chk-q2": ["chk-q2-a"]}


@pytest.fixture
def course_index(home_page):
    index = CourseIndexPage(title="Courses", slug="courses", show_in_menus=True, search_description="Learn")
    home_page.add_child(instance=index)
    return index


@pytest.fixture
def make_course(course_index):
    def make(
        title: str = "GovStack basics",
        modules: int = 2,
        lessons: int = 3,
        check_in: tuple = (),
        parent=None,
        **fields,
    ) -> CoursePage:
        parent = parent or course_index
        course = CoursePage(title=title, summary=f"About {title}", **fields)
        parent.add_child(instance=course)
        for m in range(modules):
            module = ModulePage(title=f"Module {m + 1}", slug=f"module-{m + 1}")
            course.add_child(instance=module)
            for n in range(lessons):
                number = m * lessons + n + 1
                body = [{"type": "markdown", "id": f"md{number}", "value": f"Lesson text {number}"}]
                if number in check_in:
                    body.append(check_block())
                module.add_child(
                    instance=LessonPage(title=f"Lesson {number}", slug=f"lesson-{number}", body=body)
                )
        return course

    return make


@pytest.fixture
def course(make_course):
    return make_course()


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.descendant_of(course).order_by("path"))
