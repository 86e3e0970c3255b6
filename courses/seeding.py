"""Demo data for `seed_demo`: enrolments, lesson progress and knowledge-check attempts for the demo users."""

import random

from content.seeding import SeedContext

from .models import CoursePage, Enrolment, LessonPage
from .services import Check, CheckError, complete_lesson, enrol, grade_attempt, lesson_checks


def _answers(check: Check, right: bool) -> dict[str, list[str]]:
    answers = {question.id: sorted(question.correct_ids) for question in check.questions}
    if not right:
        question = check.questions[0]
        wrong = [option.id for option in question.options if not option.is_correct]
        answers[question.id] = wrong[:1] or answers[question.id]
    return answers


def seed_courses(context: SeedContext) -> str:
    """Enrol about two thirds of the demo users, each with some progress; a few finish a course."""
    courses = list(CoursePage.objects.live().order_by("path"))
    if not courses or not context.users:
        return "no courses or users (run load_content first)"
    lessons = {
        course.pk: list(LessonPage.objects.live().descendant_of(course).order_by("path"))
        for course in courses
    }
    checks = {
        lesson.pk: lesson_checks(lesson) for course_lessons in lessons.values() for lesson in course_lessons
    }
    already = set(Enrolment.objects.filter(user__in=context.users).values_list("user_id", flat=True))
    base = context.rng.random()
    enrolments = attempts = completions = 0
    for user in context.users:
        rng = random.Random(f"{base}-{user.pk}")  # noqa: S311 - per-user, so a second run decides the same
        if user.pk in already or rng.random() > 0.66:
            continue
        for course in rng.sample(courses, k=rng.randint(1, len(courses))):
            enrol(user, course)
            enrolments += 1
            course_lessons = lessons[course.pk]
            for lesson in course_lessons[: rng.randint(0, len(course_lessons))]:
                lesson_checks_ = checks[lesson.pk]
                if not lesson_checks_:
                    complete_lesson(user, lesson, course)
                    completions += 1
                    continue
                for check in lesson_checks_.values():
                    first_try_right = rng.random() < 0.7
                    for number, right in enumerate([first_try_right, True][: 1 if first_try_right else 2], 1):
                        try:
                            grade_attempt(user, lesson, check.id, _answers(check, right), number)
                        except CheckError:
                            break
                        attempts += 1
                completions += 1
    return f"{enrolments} enrolments, {completions} lessons completed, {attempts} check attempts"
