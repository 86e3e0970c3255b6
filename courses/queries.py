"""Read rules for course pages: catalogue cards, outlines, lesson position and progress, in fixed queries.

Page classes sit above this module: they pass themselves and their tree lookups (the courses of a
catalogue, the modules and live lessons of a course) in, and this module reads the records around them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from content.models import BuildingBlock

from .knowledge_checks import answers_revealed, attempt_results, lesson_checks, option_order
from .levels import Level
from .records import Certificate, Enrolment, LessonCompletion, QuizAttempt

if TYPE_CHECKING:  # for type hints only: the page classes import this module
    from .models.pages import CoursePage, LessonPage, ModulePage

COURSES_PER_PAGE = 12
MAX_SEARCH_WORDS = 8
# Words only: quotes, brackets, "*", "-", ":" and the like are search-engine syntax (FTS5, tsquery) that
# learners do not mean.
WORD = re.compile(r"\w+")


@dataclass
class Progress:
    total: int = 0
    done: int = 0
    enrolled: bool = False
    completed: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _under(courses: Iterable[CoursePage], prefix: str = "path") -> Q:
    return reduce(or_, (Q(**{f"{prefix}__startswith": course.path}) for course in courses), Q(pk__in=[]))


def _course_for_path(courses: list[CoursePage], path: str) -> CoursePage | None:
    for course in courses:
        if path.startswith(course.path):
            return course
    return None


def progress_for(user, courses: list[CoursePage], lessons: QuerySet) -> dict[int, Progress]:
    """Lesson totals, and for a signed-in learner enrolment and completions, for many courses: ≤ 3 queries.

    `lessons` are the live lesson pages a visitor may see, wherever they are (narrowed here to the courses).
    """
    progress = {course.pk: Progress() for course in courses}
    if not courses:
        return progress
    for path in lessons.filter(_under(courses)).values_list("path", flat=True):
        if course := _course_for_path(courses, path):
            progress[course.pk].total += 1
    if user.is_authenticated:
        for course_id, completed_at in Enrolment.objects.filter(user=user, course__in=courses).values_list(
            "course_id", "completed_at"
        ):
            progress[course_id].enrolled = True
            progress[course_id].completed = completed_at is not None
        done = LessonCompletion.objects.filter(_under(courses, "lesson__path"), user=user, lesson__live=True)
        for path in done.values_list("lesson__path", flat=True):
            if course := _course_for_path(courses, path):
                progress[course.pk].done += 1
    return progress


def continue_lesson(
    lessons: list[LessonPage], done: set[int], last_lesson_id: int | None
) -> LessonPage | None:
    """The first unfinished lesson after the last one visited (wrapping round), or None when all are done."""
    if not lessons:
        return None
    start = 0
    for index, lesson in enumerate(lessons):
        if lesson.pk == last_lesson_id:
            start = index
            break
    ordered = lessons[start:] + lessons[:start]
    return next((lesson for lesson in ordered if lesson.pk not in done), None)


def catalogue_blocks() -> list[tuple[str, str]]:
    """(slug, name) of the building blocks that live courses teach, for the catalogue's filter."""
    blocks = BuildingBlock.objects.filter(courses__live=True).distinct().order_by("name")
    return list(blocks.values_list("slug", "name"))


def find_courses(courses: QuerySet, filters: Mapping[str, str]):
    """The courses that pass the filters; a search goes through the search index, best matches first."""
    if filters["block"]:
        courses = courses.filter(building_blocks__slug=filters["block"])
    if filters["level"]:
        courses = courses.filter(level=filters["level"])
    if filters["language"]:
        courses = courses.filter(language=filters["language"])
    courses = courses.prefetch_related("building_blocks")
    if not filters["q"]:
        return courses.order_by("path")
    words = WORD.findall(filters["q"])[:MAX_SEARCH_WORDS]
    if not words:  # only punctuation or symbols: nothing a full-text index can match
        return courses.none()
    return courses.search(" ".join(words), operator="and")


def catalogue_context(
    request: HttpRequest,
    courses: QuerySet,
    lessons: QuerySet,
    filters: Mapping[str, str],
    blocks: list[tuple[str, str]],
) -> dict:
    """One page of the catalogue's courses, filtered and searched, with the learner's progress.

    `courses` are the catalogue's live courses a visitor may see, `lessons` all live lessons they may see,
    `filters` the valid values of the filter form, `blocks` the building blocks it offers.
    """
    page_obj = Paginator(find_courses(courses, filters), COURSES_PER_PAGE).get_page(request.GET.get("page"))
    page_courses = list(page_obj.object_list)
    progress = progress_for(request.user, page_courses, lessons)
    return {
        "page_obj": page_obj,
        "cards": [(course, progress[course.pk]) for course in page_courses],
        "filters": filters,
        "filtering": any(filters.values()),
        "building_blocks": blocks,
        "levels": Level.choices,
        "languages": settings.LANGUAGES,
        "filter_query": urlencode({key: value for key, value in filters.items() if value}),
    }


@dataclass
class OutlineModule:
    module: ModulePage
    lessons: list[tuple[LessonPage, bool]] = field(default_factory=list)


def _outline(modules: list[ModulePage], lessons: list[LessonPage], done: set[int]) -> list[OutlineModule]:
    by_path = {module.path: OutlineModule(module) for module in modules}
    for lesson in lessons:
        entry = by_path.get(lesson.path[: -lesson.steplen])
        if entry is not None:
            entry.lessons.append((lesson, lesson.pk in done))
    return list(by_path.values())


def _user_state(user, course: CoursePage, lessons: list[LessonPage]) -> tuple[Enrolment | None, set[int]]:
    if not user.is_authenticated:
        return None, set()
    enrolment = Enrolment.objects.filter(user=user, course=course).first()
    done = set(
        LessonCompletion.objects.filter(user=user, lesson__in=[lesson.pk for lesson in lessons]).values_list(
            "lesson_id", flat=True
        )
    )
    return enrolment, done


def course_context(
    course: CoursePage,
    request: HttpRequest,
    modules: list[ModulePage],
    lessons: list[LessonPage],
) -> dict:
    """The course outline with completion marks, enrolment, "Start"/"Continue".

    `modules` and `lessons` are the course's live modules and lessons a visitor may see, in order.
    """
    enrolment, done = _user_state(request.user, course, lessons)
    certificate = (
        Certificate.objects.filter(user=request.user, course=course).first()
        if enrolment and enrolment.completed_at
        else None
    )
    next_lesson = continue_lesson(lessons, done, enrolment.last_lesson_id if enrolment else None)
    done_count = sum(1 for lesson in lessons if lesson.pk in done)
    return {
        "outline": _outline(modules, lessons, done),
        "lesson_count": len(lessons),
        "done_count": done_count,
        "percent": round(100 * done_count / len(lessons)) if lessons else 0,
        "enrolment": enrolment,
        "certificate": certificate,
        "first_lesson": lessons[0] if lessons else None,
        "next_lesson": next_lesson,
        "started": bool(done) or bool(enrolment and enrolment.last_lesson_id),
        "course_building_blocks": list(course.building_blocks.all()),
    }


def public_check(
    check,
    attempts: list[QuizAttempt],
    learner_id: object = None,
    submitted: Mapping[str, Sequence[str]] | None = None,
) -> dict:
    """What the lesson page may show of a check: questions and options, never the answer key.

    Options come in the learner's shuffled order for the attempt the form submits. After a submission,
    the latest attempt's result is added (which questions were right or wrong; the right options and
    their feedback only once the check's policy reveals them), and the form shows the learner's choices
    again: those of `submitted` when a submission was refused, else those of the latest attempt.
    """
    latest = attempts[-1] if attempts else None
    passed = any(attempt.passed for attempt in attempts)
    remaining = max(check.max_attempts - len(attempts), 0) if check.max_attempts else None
    next_number = len(attempts) + 1
    reveal = answers_revealed(check, len(attempts), passed)
    results = attempt_results(check, latest, reveal=reveal) if latest else []
    right_by_question = {result.question_id: result.right for result in results}
    chosen = submitted if submitted is not None else (latest.answers if latest else {})
    questions = []
    for question in check.questions:
        selected = {str(option_id) for option_id in chosen.get(question.id, [])}
        questions.append(
            {
                "id": question.id,
                "prompt": question.prompt,
                "multiple": question.kind == "multiple",
                "last_right": right_by_question.get(question.id),
                "options": [
                    {"id": option.id, "text": option.text, "selected": option.id in selected}
                    for option in option_order(question, check.id, learner_id, next_number)
                ],
            }
        )
    return {
        "id": check.id,
        "title": check.title,
        "pass_mark": check.pass_mark,
        "max_attempts": check.max_attempts,
        "questions": questions,
        "latest": latest,
        "results": results,
        "wrong_numbers": [result.number for result in results if not result.right],
        "revealed": reveal,
        "passed": passed,
        "attempts_used": len(attempts),
        "remaining": remaining,
        "can_attempt": not passed and (remaining is None or remaining > 0),
        "next_number": next_number,
    }


def lesson_context(
    lesson: LessonPage,
    request: HttpRequest,
    course: CoursePage | None,
    lessons: list[LessonPage],
    check_error: tuple[str, str] | None = None,
    submitted: Mapping[str, Sequence[str]] | None = None,
) -> dict:
    """Lesson position ("Lesson 4 of 12"), previous/next across modules, completion and checks.

    `course` is the lesson's course and `lessons` its live lessons a visitor may see, in order;
    `check_error` is (check id, message) of a refused submission, `submitted` its answers, shown again.
    """
    position = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), None)
    user = request.user
    attempts_by_check: dict[str, list[QuizAttempt]] = defaultdict(list)
    enrolment, done = (None, set())
    if course is not None:
        enrolment, done = _user_state(user, course, lessons or [lesson])
    if user.is_authenticated:
        for attempt in QuizAttempt.objects.filter(user=user, lesson=lesson):
            attempts_by_check[attempt.check_id].append(attempt)
    error_check_id = check_error[0] if check_error else None
    checks = {
        check_id: public_check(
            check,
            attempts_by_check[check_id],
            user.pk,
            submitted if check_id == error_check_id else None,
        )
        for check_id, check in lesson_checks(lesson).items()
    }
    form_error = ""
    if check_error:
        if check_error[0] in checks:
            checks[check_error[0]]["error"] = check_error[1]
        else:
            form_error = check_error[1]
    done_count = sum(1 for item in lessons if item.pk in done)
    return {
        "course": course,
        "position": (position + 1) if position is not None else None,
        "lesson_count": len(lessons),
        "previous_lesson": lessons[position - 1] if position else None,
        "next_lesson": lessons[position + 1]
        if position is not None and position + 1 < len(lessons)
        else None,
        "completed": lesson.pk in done,
        "enrolment": enrolment,
        "done_count": done_count,
        "percent": round(100 * done_count / len(lessons)) if lessons else 0,
        "has_checks": bool(checks),
        "form_error": form_error,
        "body_items": [(block, checks.get(str(block.id))) for block in lesson.body],
    }


def _course_page_model(name: str):
    """A course page class, named rather than imported: page classes import this module.

    Only /me/'s summary needs one, because its caller (the site shell) passes nothing but the request.
    """
    return apps.get_model("courses", name)


def learning_summary(request: HttpRequest) -> dict | None:
    """For /me/: enrolled courses with percent and a continue link, completed ones with certificates."""
    user = request.user
    if not user.is_authenticated:
        return None
    enrolments = list(
        Enrolment.objects.filter(user=user, course__live=True)
        .select_related("course")
        .order_by("-enrolled_at")
    )
    certificates = {
        cert.course_id: cert for cert in Certificate.objects.filter(user=user).select_related("course")
    }
    courses = [enrolment.course for enrolment in enrolments]
    lessons_by_course: dict[int, list[LessonPage]] = defaultdict(list)
    done: set[int] = set()
    if courses:
        lessons = _course_page_model("LessonPage").objects.live().public()
        for lesson in lessons.filter(_under(courses)).order_by("path"):
            if course := _course_for_path(courses, lesson.path):
                lessons_by_course[course.pk].append(lesson)
        done = set(
            LessonCompletion.objects.filter(_under(courses, "lesson__path"), user=user).values_list(
                "lesson_id", flat=True
            )
        )
    in_progress, completed = [], []
    for enrolment in enrolments:
        lessons = lessons_by_course[enrolment.course_id]
        count = sum(1 for lesson in lessons if lesson.pk in done)
        entry = {
            "course": enrolment.course,
            "percent": round(100 * count / len(lessons)) if lessons else 0,
            "done": count,
            "total": len(lessons),
            "next_lesson": continue_lesson(lessons, done, enrolment.last_lesson_id),
            "certificate": certificates.pop(enrolment.course_id, None),
        }
        (completed if enrolment.completed_at else in_progress).append(entry)
    for certificate in certificates.values():  # completed, then left the course: the certificate stays
        completed.append({"course": certificate.course, "certificate": certificate, "percent": 100})
    catalogue = _course_page_model("CourseIndexPage").objects.live().order_by("path").first()
    return {
        "in_progress": in_progress,
        "completed": completed,
        "catalogue_url": catalogue.get_url(request) if catalogue else "",
    }
