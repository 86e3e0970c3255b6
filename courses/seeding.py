"""Demo data for `seed_demo`: enrolments, lesson progress and knowledge-check attempts."""

from content.seeding import SeedContext


def seed_courses(context: SeedContext) -> str:
    """Enrol demo users in bundled courses with some progress and attempts."""
    return "nothing yet"
