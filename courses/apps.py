"""App configuration for courses: registers the bundled-course loader and the demo seeder."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from content.loading import register_loader
        from content.seeding import register_seeder

        from .loading import load_courses
        from .seeding import seed_courses

        register_loader("courses", load_courses, order=30)
        register_seeder("courses", seed_courses, order=30)
