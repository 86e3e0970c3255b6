"""Loads the bundled courses from content/library/courses/ (Markdown with TOML front matter).

Layout: `catalogue.md` (the /courses/ page), and one folder per course with `course.md` (course fields,
modules and the order of their lessons in the front matter, the description as body) and one `<lesson>.md`
per lesson (title, minutes and an optional `[check]` in the front matter, the lesson text as body).
Pages are upserted through content.loading.sync, so a second load changes nothing and an editor's later
change is kept; stream block ids are derived from the item keys, so attempts stay attached across loads.
An option's id comes from its `id` in the front matter, else from its place (`o1`, `o2`…): give the old
`id` when reordering the options of a published check, so that stored attempts keep their meaning.
Checks whose answers could be guessed (see courses.check_quality) are reported as warnings.
"""

import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from wagtail.models import Page

from content.loading import LIBRARY, LoadReport, SyncItem, read_front_matter, sync
from content.markdown import render_markdown
from content.models import BuildingBlock

from .blocks import REVEAL_AFTER_PASSING
from .check_quality import check_warnings, course_warnings
from .models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from .services import checks_in_body

COURSES = LIBRARY / "courses"
NAMESPACE = uuid.UUID("6f1f4a52-3c1e-4a8e-9a57-0d6b2c9f6a10")


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def edited_in_cms(page: Page) -> bool:
    """An editor has a draft, or made the latest revision (the loader's revisions have no user)."""
    if page.has_unpublished_changes:
        return True
    latest = page.latest_revision
    return latest is not None and latest.user_id is not None


def sync_page(
    report: LoadReport,
    force: bool,
    *,
    key: str,
    model: type[Page],
    parent: Page,
    slug: str,
    values: dict,
    relations: dict[str, Callable[[], list]] | None = None,
    source: object = None,
) -> Page:
    """Create or update one page under `parent`, published through a revision."""
    relations = relations or {}

    def apply(page: Page) -> Page:
        for name, value in values.items():
            setattr(page, name, value)
        for name, objects in relations.items():
            setattr(page, name, objects())
        return page

    def create() -> Page:
        page = apply(model(slug=slug, locale_id=parent.locale_id))
        parent.add_child(instance=page)
        for name, objects in relations.items():  # add_child saved the page; now set its relations
            setattr(page, name, objects())
        page.save_revision().publish()
        return page

    def update(page: Page) -> Page:
        apply(page).save_revision().publish()
        return page

    return sync(
        SyncItem(
            key=key,
            source=source if source is not None else values,
            fields=[*values, *relations],
            find=lambda: model.objects.child_of(parent).filter(slug=slug).first(),
            create=create,
            update=update,
            edited_elsewhere=edited_in_cms,
        ),
        report,
        force,
    )


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
    HomePage = CourseIndexPage.allowed_parent_page_models()[0]  # where the catalogue may live (govlearn)

    home = HomePage.objects.first()
    if home is None:
        return None
    meta, body = read_front_matter(COURSES / "catalogue.md")
    values = {
        "title": meta["title"],
        "introduction": body.strip(),
        "search_description": meta.get("search_description", ""),
        "show_in_menus": True,
    }
    return sync_page(
        report,
        force,
        key="courses:catalogue",
        model=CourseIndexPage,
        parent=home,
        slug=meta["slug"],
        values=values,
    )


def load_course(report: LoadReport, force: bool, index: CourseIndexPage, folder: Path) -> None:
    meta, description = read_front_matter(folder / "course.md")
    slug = meta["slug"]
    block_slugs = list(meta.get("building_blocks", []))
    prerequisite_slugs = list(meta.get("prerequisites", []))
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
        force,
        key=f"course:{slug}",
        model=CoursePage,
        parent=index,
        slug=slug,
        values=values,
        relations={
            "building_blocks": lambda: list(BuildingBlock.objects.filter(slug__in=block_slugs)),
            "prerequisites": lambda: list(CoursePage.objects.filter(slug__in=prerequisite_slugs)),
        },
        source={**values, "building_blocks": block_slugs, "prerequisites": prerequisite_slugs},
    )
    course_checks = []
    for module_meta in meta.get("module", []):
        module_key = f"module:{slug}/{module_meta['slug']}"
        module = sync_page(
            report,
            force,
            key=module_key,
            model=ModulePage,
            parent=course,
            slug=module_meta["slug"],
            values={"title": module_meta["title"], "summary": module_meta.get("summary", "")},
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
                force,
                key=lesson_key,
                model=LessonPage,
                parent=module,
                slug=lesson_slug,
                values={
                    "title": lesson_meta["title"],
                    "estimated_minutes": int(lesson_meta.get("minutes", 10)),
                    "body": body,
                    "search_description": lesson_meta.get("summary", ""),
                },
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
    if index is None:
        return
    for folder in course_folders():
        load_course(report, force, index, folder)
