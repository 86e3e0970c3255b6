"""Loads the bundled courses from content/library/courses/ (Markdown with TOML front matter).

Layout: `catalogue.md` (the /courses/ page), and one folder per course with `course.md` (course fields,
modules and the order of their lessons in the front matter, the description as body) and one `<lesson>.md`
per lesson (title, minutes and an optional `[check]` in the front matter, the lesson text as body).
Pages are upserted through content.loading.sync_page, so a second load changes nothing and an editor's later
change is kept; stream block ids are derived from the item keys, so attempts stay attached across loads.
An option's id comes from its `id` in the front matter, else from its place (`o1`, `o2`…): give the old
`id` when reordering the options of a published check, so that stored attempts keep their meaning.
Checks whose answers could be guessed (see courses.check_quality) are reported as warnings.
"""

import uuid
from decimal import Decimal
from pathlib import Path

from content.library import LIBRARY, read_front_matter, where
from content.loading import LoadReport, references, site_home, sync_page
from content.markdown import render_markdown
from content.models import BuildingBlock

from .blocks import REVEAL_AFTER_PASSING
from .check_quality import check_warnings, course_warnings
from .knowledge_checks import checks_in_body
from .models import CourseIndexPage, CoursePage, LessonPage, ModulePage

COURSES = LIBRARY / "courses"
NAMESPACE = uuid.UUID("6f1f4a52-3c1e-4a8e-9a57-0d6b2c9f6a10")


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def check_stream_value(key: str, check: dict) -> dict:
    """Front-matter `[check]` → raw stream data for a KnowledgeCheckBlock with stable ids."""
    questions = []
    for q_index, question in enumerate(check.get("questions", []), start=1):
        q_key = f"q{q_index}"
        questions.append(
            {
                "type": "item",
                "id": stable_id(key, q_key),
                "value": {
                    "prompt": question["prompt"],
                    "kind": question.get("kind", "single"),
                    "explanation": question.get("explanation", ""),
                    "options": [
                        {
                            "type": "item",
                            "id": stable_id(key, q_key, str(option.get("id", f"o{o_index}"))),
                            "value": {
                                "text": option["text"],
                                "is_correct": bool(option.get("correct", False)),
                                "feedback": option.get("feedback", ""),
                            },
                        }
                        for o_index, option in enumerate(question["options"], start=1)
                    ],
                },
            }
        )
    return {
        "type": "knowledge_check",
        "id": stable_id(key, "check"),
        "value": {
            "title": check.get("title", "Check your understanding"),
            "pass_mark": int(check.get("pass_mark", 80)),
            "max_attempts": int(check.get("max_attempts", 3)),
            "reveal_answers": check.get("reveal_answers", REVEAL_AFTER_PASSING),
            "questions": questions,
        },
    }


def stream_value(body: list[dict]):
    """Raw lesson-body data as the StreamValue a saved page would hold (for checking it before saving)."""
    return LessonPage._meta.get_field("body").stream_block.to_python(body)


def lesson_body(key: str, meta: dict, text: str) -> list[dict]:
    body = [{"type": "markdown", "id": stable_id(key, "text"), "value": text.strip()}]
    if "check" in meta:
        body.append(check_stream_value(key, meta["check"]))
    return body


def load_catalogue(report: LoadReport, force: bool) -> CourseIndexPage | None:
    meta, body = read_front_matter(COURSES / "catalogue.md")
    values = {
        "title": meta["title"],
        "introduction": body.strip(),
        "search_description": meta.get("search_description", ""),
        "show_in_menus": True,
    }
    return sync_page(report, "courses:catalogue", site_home(), CourseIndexPage, meta["slug"], values, force)


def load_course(report: LoadReport, force: bool, index: CourseIndexPage | None, folder: Path) -> None:
    meta, description = read_front_matter(folder / "course.md")
    slug = meta["slug"]
    key = f"course:{slug}"
    block_slugs = list(meta.get("building_blocks", []))
    prerequisite_slugs = list(meta.get("prerequisites", []))
    named_in = where(folder / "course.md", key)
    blocks = references(report, BuildingBlock, "building-block", block_slugs, named_in)
    prerequisites = references(report, CoursePage, "course", prerequisite_slugs, named_in)
    values = {
        "title": meta["title"],
        "summary": meta["summary"],
        "description": render_markdown(description, hard_breaks=False),
        "learning_outcomes": "\n".join(meta.get("outcomes", [])),
        "audience": meta.get("audience", ""),
        "level": meta.get("level", "introductory"),
        "estimated_hours": Decimal(str(meta.get("estimated_hours", 1))),
        "language": meta.get("language", "en"),
        "search_description": meta["summary"],
    }
    course = sync_page(
        report,
        key,
        index,
        CoursePage,
        slug,
        {**values, "building_blocks": list(blocks.values()), "prerequisites": list(prerequisites.values())},
        force,
        source={**values, "building_blocks": block_slugs, "prerequisites": prerequisite_slugs},
    )
    course_checks = []
    for module_meta in meta.get("module", []):
        module_key = f"module:{slug}/{module_meta['slug']}"
        module = sync_page(
            report,
            module_key,
            course,
            ModulePage,
            module_meta["slug"],
            {"title": module_meta["title"], "summary": module_meta.get("summary", "")},
            force,
        )
        for lesson_slug in module_meta.get("lessons", []):
            lesson_key = f"lesson:{slug}/{lesson_slug}"
            lesson_meta, text = read_front_matter(folder / f"{lesson_slug}.md")
            body = lesson_body(lesson_key, lesson_meta, text)
            checks = checks_in_body(stream_value(body))
            course_checks.extend(checks.values())
            report.warnings.extend(
                f"{warning} ({folder.name}/{lesson_slug}.md)"
                for warning in check_warnings(checks, lesson_meta["title"])
            )
            sync_page(
                report,
                lesson_key,
                module,
                LessonPage,
                lesson_slug,
                {
                    "title": lesson_meta["title"],
                    "estimated_minutes": int(lesson_meta.get("minutes", 10)),
                    "body": body,
                    "search_description": lesson_meta.get("summary", ""),
                },
                force,
            )
    report.warnings.extend(
        f"{warning} ({folder.name}/)" for warning in course_warnings(course_checks, meta["title"])
    )


def course_folders() -> list[Path]:
    """Course folders in load order (`order` in course.md), so prerequisites exist before they are used."""
    folders = [path for path in COURSES.iterdir() if (path / "course.md").is_file()]
    return sorted(
        folders, key=lambda path: (read_front_matter(path / "course.md")[0].get("order", 99), path.name)
    )


def load_courses(report: LoadReport, force: bool = False) -> None:
    """Create or update the catalogue page and the bundled courses, keeping editors' changes."""
    index = load_catalogue(report, force)
    for folder in course_folders():
        load_course(report, force, index, folder)
