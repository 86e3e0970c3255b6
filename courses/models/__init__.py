"""The models Django registers for courses: the page types (the top layer) and the record models.

Record models live in `courses.records`, outside this package, so that the queries and services under
the pages can import them without importing the pages (which import those queries and services).
"""

from ..records import Certificate, Enrolment, LessonCompletion, QuizAttempt
from .pages import CourseIndexPage, CoursePage, LessonPage, ModulePage

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
