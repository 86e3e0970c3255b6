"""Course rules: enrol, complete lessons, grade knowledge checks, complete courses, issue certificates.

Plain functions over record models. They import no page class: pages are passed in, and a tree lookup
(the course of a lesson, the live lessons of a course) is asked of the page instance itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .knowledge_checks import Check, CheckError, checks_in_body, lesson_checks, parse_answers, score_answers
from .records import Certificate, Enrolment, LessonCompletion, QuizAttempt

if TYPE_CHECKING:  # for type hints only: the page classes import this module
    from .models.pages import CoursePage, LessonPage

# Check, CheckError, checks_in_body and lesson_checks are also read from here by courses.loading and
# courses.seeding (they lived here before courses.knowledge_checks).
__all__ = [
    "Check",
    "CheckError",
    "CompletionResult",
    "LessonNotReady",
    "all_checks_passed",
    "checks_in_body",
    "complete_course_if_done",
    "complete_lesson",
    "enrol",
    "grade_attempt",
    "issue_certificate",
    "leave",
    "lesson_checks",
    "record_visit",
]

ISSUER = getattr(settings, "WAGTAIL_SITE_NAME", "GovLearn")


class LessonNotReady(Exception):
    """The lesson has a knowledge check the learner has not passed yet."""


def enrol(user, course: CoursePage) -> Enrolment:
    """Enrol the learner (once; enrolling again returns the existing enrolment)."""
    enrolment, _created = Enrolment.objects.get_or_create(user=user, course=course)
    return enrolment


def leave(user, course: CoursePage) -> None:
    """Leave a course; completed lessons and any certificate stay, so coming back resumes."""
    Enrolment.objects.filter(user=user, course=course).delete()


def record_visit(user, course: CoursePage, lesson: LessonPage) -> None:
    """Remember the last lesson visited, for "Continue where you left off" (one UPDATE, no read)."""
    Enrolment.objects.filter(user=user, course=course).update(last_lesson=lesson)


@dataclass
class CompletionResult:
    newly_completed: bool
    course_completed: bool = False
    certificate: Certificate | None = None


def complete_lesson(
    user, lesson: LessonPage, course: CoursePage | None = None, *, checked: bool = False
) -> CompletionResult:
    """Record that the learner completed the lesson; enrols them; completes the course when it was the last.

    A lesson with knowledge checks completes only by passing them (`checked=True` comes from grading).
    """
    course = course or lesson.get_course()
    if course is None:
        raise ValueError("A lesson outside a course cannot be completed.")
    if not checked:
        checks = lesson_checks(lesson)
        if checks and not all_checks_passed(user, lesson, checks):
            raise LessonNotReady(_("Pass the knowledge check to complete this lesson."))
    enrol(user, course)
    # get_or_create also settles a simultaneous double submit: the loser of the race gets the winner's row.
    _completion, created = LessonCompletion.objects.get_or_create(user=user, lesson=lesson)
    result = CompletionResult(newly_completed=created)
    certificate = complete_course_if_done(user, course)
    if certificate is not None:
        result.course_completed = True
        result.certificate = certificate
    return result


def complete_course_if_done(user, course: CoursePage) -> Certificate | None:
    """When every live lesson is complete: mark the enrolment complete and issue the certificate."""
    lesson_ids = course.live_lesson_ids()
    if not lesson_ids:
        return None
    done = LessonCompletion.objects.filter(user=user, lesson_id__in=lesson_ids).count()
    if done < len(lesson_ids):
        return None
    Enrolment.objects.filter(user=user, course=course, completed_at__isnull=True).update(
        completed_at=timezone.now()
    )
    return issue_certificate(user, course)


def issue_certificate(user, course: CoursePage) -> Certificate:
    """The learner's one certificate for the course (issued the first time, returned after).

    The name it is issued to and the course title are copied onto it: a certificate says what was true
    when it was issued, whatever the profile or the course page say later.
    """
    name_field = Certificate._meta.get_field("recipient_name")
    title_field = Certificate._meta.get_field("course_title")
    defaults = {
        "issuer": ISSUER,
        "recipient_name": str(user.public_name)[: name_field.max_length],
        "course_title": course.title[: title_field.max_length],
    }
    certificate, _created = Certificate.objects.get_or_create(user=user, course=course, defaults=defaults)
    return certificate


def all_checks_passed(user, lesson: LessonPage, checks: Mapping[str, Check]) -> bool:
    passed = set(
        QuizAttempt.objects.filter(user=user, lesson=lesson, passed=True).values_list("check_id", flat=True)
    )
    return set(checks) <= passed


def grade_attempt(
    user, lesson: LessonPage, check_id: str, answers: Mapping[str, Sequence[str]], attempt_number: int
) -> QuizAttempt:
    """Grade one submission on the server, store it, and complete the lesson when every check is passed.

    `attempt_number` is the attempt the learner's form was rendered for: a replayed form repeats an old
    number and is refused, so a double submit is stored once.
    """
    checks = lesson_checks(lesson)
    check = checks.get(str(check_id))
    if check is None:
        raise CheckError(_("This knowledge check does not exist. Reload the lesson and try again."))
    cleaned = parse_answers(check, answers)
    previous = list(
        QuizAttempt.objects.filter(user=user, lesson=lesson, check_id=check.id).values_list(
            "number", "passed"
        )
    )
    if any(passed for _number, passed in previous):
        raise CheckError(_("You have already passed this knowledge check."))
    if check.max_attempts and len(previous) >= check.max_attempts:
        raise CheckError(
            ngettext(
                "You have used your %(count)s attempt for this knowledge check.",
                "You have used all %(count)s attempts for this knowledge check.",
                check.max_attempts,
            )
            % {"count": check.max_attempts}
        )
    replayed = _("These answers were already submitted. Your result is shown below.")
    if attempt_number != len(previous) + 1:
        raise CheckError(replayed)
    score = score_answers(check, cleaned)
    # The number is unique per learner and check: of two simultaneous submits, one is stored.
    attempt, created = QuizAttempt.objects.get_or_create(
        user=user,
        lesson=lesson,
        check_id=check.id,
        number=attempt_number,
        defaults={"answers": cleaned, "score": score, "passed": score >= check.pass_mark},
    )
    if not created:
        raise CheckError(replayed)
    course = lesson.get_course()
    if course is not None:
        enrol(user, course)
        if attempt.passed and all_checks_passed(user, lesson, checks):
            complete_lesson(user, lesson, course, checked=True)
    return attempt
