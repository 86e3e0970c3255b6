"""Loads the bundled playbook (content/library/playbook/*.md) into pages, keeping editors' later changes.

Layout: `_index.md` is the playbook page; each folder is a section (its own `_index.md`), each `NN-name.md`
in it a step, and a folder named like a step file (`03-design-service/`) holds that step's sub-steps.
The playbook's `step_discussion_community` names the community where every step is discussed; a step's
own `discussion_community` overrides it (an empty string: no "Discuss this step" link).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import CommandError
from django.db import models
from wagtail.models import Page

from content.loading import LIBRARY, LoadReport, SyncItem, fingerprint, read_front_matter, snapshot, sync
from content.models import BuildingBlock, LoadedContent, Role

from .models import Deliverable, PlaybookPage, PlaybookSectionPage, PlaybookStepPage, StepRole

PLAYBOOK_LIBRARY = LIBRARY / "playbook"
INDEX = "_index.md"
# Step fields loaded only since a later release: records written before them are fingerprinted again.
LATER_STEP_FIELDS = ("discussion_community",)


def page_edited_elsewhere(page: Page) -> bool:
    """An editor touched the page: it has a draft, or its latest revision was made by a person."""
    if page.has_unpublished_changes:
        return True
    revision = page.latest_revision
    return revision is not None and revision.user_id is not None


def _slug_for(path: Path, meta: dict) -> str:
    if meta.get("slug"):
        return meta["slug"]
    stem = path.parent.name if path.name == INDEX else path.stem
    return stem.split("-", 1)[1] if stem[:2].isdigit() and "-" in stem else stem


def _set_children(page: Page, relation: str, model: type[models.Model], rows: list[dict]) -> None:
    """Replace a page's child rows, reusing existing rows in order so that progress tied to them survives."""
    existing = list(getattr(page, relation).all()) if page.pk else []
    objects = []
    for index, row in enumerate(rows):
        obj = existing[index] if index < len(existing) else model()
        for name, value in row.items():
            setattr(obj, name, value)
        obj.sort_order = index
        objects.append(obj)
    setattr(page, relation, objects)


def sync_page(
    report: LoadReport,
    force: bool,
    key: str,
    parent: Page,
    model: type[Page],
    slug: str,
    values: dict[str, Any],
    source: Any,
    children: dict[str, tuple[type[models.Model], list[dict]]] | None = None,
    many: dict[str, list[models.Model]] | None = None,
) -> Page:
    """Create or update one page under `parent`, published, unless an editor has changed it since."""

    def apply(page: Page) -> Page:
        for name, value in values.items():
            setattr(page, name, value)
        for relation, (child_model, rows) in (children or {}).items():
            _set_children(page, relation, child_model, rows)
        for name, objects in (many or {}).items():
            setattr(page, name, objects)
        return page

    def create() -> Page:
        page = apply(model(slug=slug, locale_id=parent.locale_id))
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    def update(page: Page) -> Page:
        apply(page)
        page.save_revision().publish()
        return page

    return sync(
        SyncItem(
            key=key,
            source=source,
            fields=list(values),
            find=lambda: model.objects.child_of(parent).filter(slug=slug).first(),
            create=create,
            update=update,
            edited_elsewhere=page_edited_elsewhere,
        ),
        report,
        force,
    )


def _lookup(model: type[models.Model], slugs: list[str], where: Path) -> dict[str, models.Model]:
    found = {obj.slug: obj for obj in model._default_manager.filter(slug__in=slugs)}
    missing = sorted(set(slugs) - set(found))
    if missing:
        raise CommandError(f"{where}: unknown {model._meta.verbose_name} slug(s): {', '.join(missing)}")
    return found


def _body(markdown: str) -> list[dict]:
    return [{"type": "markdown", "value": markdown.strip()}] if markdown.strip() else []


def step_fields(meta: dict, body: str, where: Path, default_community: str = "") -> tuple[dict, dict, dict]:
    """(page values, child rows, many-to-many) for one step file."""
    roles = _lookup(Role, [row["role"] for row in meta.get("role", [])], where)
    blocks = _lookup(BuildingBlock, meta.get("building_blocks", []), where)
    values = {
        "title": meta["title"],
        "number": str(meta.get("number", "")),
        "summary": meta["summary"].strip(),
        "search_description": meta.get("search_description", meta["summary"]).strip()[:255],
        "why_it_matters": meta.get("why_it_matters", "").strip(),
        "effort": meta.get("effort", ""),
        "done_when": "\n".join(meta.get("done_when", [])),
        "body": _body(body),
        "discussion_community": meta.get("discussion_community", default_community),
        "activities": [
            {
                "type": "activity",
                "value": {
                    "title": activity["title"],
                    "description": activity.get("description", "").strip(),
                    "resources": [
                        {
                            "kind": resource.get("kind", "link"),
                            "label": resource["label"],
                            "url": resource.get("url", ""),
                            "page": None,
                            "document": None,
                        }
                        for resource in activity.get("resources", [])
                    ],
                },
            }
            for activity in meta.get("activity", [])
        ],
    }
    children = {
        "role_responsibilities": (
            StepRole,
            [
                {"role": roles[row["role"]], "responsibilities": row["responsibilities"].strip()}
                for row in meta.get("role", [])
            ],
        ),
        "deliverables": (
            Deliverable,
            [
                {"title": row["title"], "description": row.get("description", "").strip()}
                for row in meta.get("deliverable", [])
            ],
        ),
    }
    many = {"building_blocks": [blocks[slug] for slug in meta.get("building_blocks", [])]}
    return values, children, many


def _refingerprint_earlier_load(key: str, parent: Page, slug: str, fields: list[str]) -> None:
    """A step loaded before LATER_STEP_FIELDS were loaded: record its fingerprint with them included.

    Without this, the new fields would make every earlier-loaded step look edited by a person, and a
    reload would keep them as they were instead of filling the new fields in.
    """
    record = LoadedContent.objects.filter(key=key).first()
    page = PlaybookStepPage.objects.child_of(parent).filter(slug=slug).first() if record else None
    if page is None:
        return
    earlier = [name for name in fields if name not in LATER_STEP_FIELDS]
    if fingerprint(snapshot(page, earlier)) == record.written_hash:
        record.written_hash = fingerprint(snapshot(page, fields))
        record.save(update_fields=["written_hash"])


def _load_steps(
    report: LoadReport, force: bool, folder: Path, parent: Page, default_community: str = ""
) -> None:
    for path in sorted(folder.glob("*.md")):
        if path.name == INDEX:
            continue
        meta, body = read_front_matter(path)
        values, children, many = step_fields(meta, body, path, default_community)
        key = f"playbook:{path.relative_to(PLAYBOOK_LIBRARY).as_posix()}"
        slug = _slug_for(path, meta)
        _refingerprint_earlier_load(key, parent, slug, list(values))
        step = sync_page(
            report,
            force,
            key,
            parent,
            PlaybookStepPage,
            slug,
            values,
            {"meta": meta, "body": body, "discussion_community": values["discussion_community"]},
            children,
            many,
        )
        sub_steps = path.with_suffix("")
        if sub_steps.is_dir():
            _load_steps(report, force, sub_steps, step, default_community)


def load_playbook(report: LoadReport, force: bool = False, library: Path | None = None) -> None:
    """Load the playbook under the site's home page: the playbook page, its sections and their steps."""
    root = library or PLAYBOOK_LIBRARY
    home = apps.get_model("govlearn", "HomePage").objects.first()
    if home is None:
        raise CommandError("There is no home page yet: run `python manage.py setup_site` first.")
    meta, body = read_front_matter(root / INDEX)
    default_community = meta.get("step_discussion_community", "")
    playbook = sync_page(
        report,
        force,
        "playbook:_index.md",
        home,
        PlaybookPage,
        _slug_for(root / INDEX, meta) if meta.get("slug") else "playbook",
        {
            "title": meta["title"],
            "introduction": meta.get("introduction", "").strip(),
            "search_description": meta.get("search_description", "").strip(),
            "show_in_menus": True,
            "body": _body(body),
        },
        {"meta": meta, "body": body},
    )
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        meta, body = read_front_matter(folder / INDEX)
        section = sync_page(
            report,
            force,
            f"playbook:{folder.name}/{INDEX}",
            playbook,
            PlaybookSectionPage,
            _slug_for(folder / INDEX, meta),
            {
                "title": meta["title"],
                "summary": meta.get("summary", "").strip(),
                "search_description": meta.get("summary", "").strip()[:255],
                "body": _body(body),
            },
            {"meta": meta, "body": body},
        )
        _load_steps(report, force, folder, section, default_community)
