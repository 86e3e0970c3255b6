"""Record models, the bottom layer of courses: who enrolled, completed lessons, check attempts, certificates.

They refer to course pages by string foreign keys ("courses.CoursePage"), so this module imports no page
class: page classes sit above the queries and services that read and write these records.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_certificate_code() -> str:
    """An unguessable, URL-safe verification code."""
    return secrets.token_urlsafe(16)


class EnrolmentQuerySet(models.QuerySet):
    def for_user(self, user) -> "EnrolmentQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class Enrolment(models.Model):
    """A learner taking a course; `last_lesson` drives "Continue where you left off"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="enrolments")
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        "courses.LessonPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="courses_one_enrolment")]
        indexes = [models.Index(fields=["course", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.course_id}"


class LessonCompletion(models.Model):
    """The fact that a learner completed a lesson (once, however often they press the button)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lesson completion")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="courses_one_completion_per_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ✓ {self.lesson_id}"


class QuizAttempt(models.Model):
    """One graded submission of a knowledge check; `number` counts attempts per learner and check."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="attempts")
    check_id = models.CharField(max_length=64)
    number = models.PositiveSmallIntegerField()
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(help_text=_("Percent of questions answered right."))
    passed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("knowledge-check attempt")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "check_id", "number"], name="courses_attempt_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.lesson_id}/{self.check_id} #{self.number}: {self.score}%"


class Certificate(models.Model):
    """Proof that a learner completed a course, verifiable by anyone through its code.

    `recipient_name` and `course_title` are copied at issue: renaming the course or changing one's
    display name later does not change a certificate already issued.
    """

    code = models.CharField(max_length=40, unique=True, default=new_certificate_code, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="certificates")
    recipient_name = models.CharField(_("issued to"), max_length=300)
    course_title = models.CharField(_("course title at issue"), max_length=255)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    issuer = models.CharField(_("issuer"), max_length=200)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="courses_one_certificate")]

    def __str__(self) -> str:
        return self.code

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
