"""Loads the bundled courses from content/library/courses/ (Markdown with TOML front matter)."""

from content.loading import LoadReport


def load_courses(report: LoadReport, force: bool = False) -> None:
    """Create or update the catalogue page and the bundled courses, keeping editors' changes."""
