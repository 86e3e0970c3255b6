"""Course page types and the learning facts (enrolments, completions, attempts, certificates)."""

from .pages import CourseIndexPage, CoursePage, LessonPage, ModulePage
from .progress import Certificate, Enrolment, LessonCompletion, QuizAttempt

__all__ = [
    "Certificate",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "LessonCompletion",
    "LessonPage",
    "ModulePage",
    "QuizAttempt",
]
