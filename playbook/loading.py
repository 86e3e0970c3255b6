"""Loads the bundled playbook (content/library/playbook/*.md) into pages, keeping editors' later changes.

Layout: `_index.md` is the playbook page; each folder is a section (its own `_index.md`), each `NN-name.md`
in it a step, and a folder named like a step file (`03-design-service/`) holds that step's sub-steps.
The playbook's `step_discussion_community` names the community where every step is discussed; a step's
own `discussion_community` overrides it (an empty string: no "Discuss this step" link).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import models
from wagtail.models import Page

from content.library import LIBRARY, read_front_matter, where
from content.loading import LoadReport, references, site_home, sync_page
from content.models import BuildingBlock, Role

from .models import Deliverable, PlaybookPage, PlaybookSectionPage, PlaybookStepPage, StepRole

PLAYBOOK_LIBRARY = LIBRARY / "playbook"
INDEX = "_index.md"
# Step fields loaded only since a later release, oldest first: records written before them still count as
# unedited when the other fields match (content.loading.sync_page's `added_fields`).
LATER_STEP_FIELDS = ("discussion_community", "building_blocks")


def _slug_for(path: Path, meta: dict) -> str:
    if meta.get("slug"):
        return meta["slug"]
    stem = path.parent.name if path.name == INDEX else path.stem
    return stem.split("-", 1)[1] if stem[:2].isdigit() and "-" in stem else stem


def _key(path: Path, root: Path) -> str:
    return f"playbook:{path.relative_to(root).as_posix()}"


def _body(markdown: str) -> list[dict]:
    return [{"type": "markdown", "value": markdown.strip()}] if markdown.strip() else []


def step_fields(
    meta: dict,
    body: str,
    where_from: Path,
    default_community: str = "",
    report: LoadReport | None = None,
    key: str = "",
) -> tuple[dict[str, Any], dict[str, tuple[type[models.Model], list[dict]]]]:
    """(page values, inline rows) for one step file; an unknown role or building block is a LoadError."""
    report = report if report is not None else LoadReport()
    named_in = where(where_from, key or where_from.stem)
    role_rows = meta.get("role", [])
    roles = references(report, Role, "role", [row["role"] for row in role_rows], named_in)
    blocks = references(report, BuildingBlock, "building-block", meta.get("building_blocks", []), named_in)
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
        "building_blocks": list(blocks.values()),
    }
    children = {
        "role_responsibilities": (
            StepRole,
            [
                {"role": roles[row["role"]], "responsibilities": row["responsibilities"].strip()}
                for row in role_rows
                if row["role"] in roles  # a role an editor deleted is left out (with a warning)
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
    return values, children


def _load_steps(
    report: LoadReport, force: bool, root: Path, folder: Path, parent: Page | None, default_community: str
) -> None:
    for path in sorted(folder.glob("*.md")):
        if path.name == INDEX:
            continue
        meta, body = read_front_matter(path)
        key = _key(path, root)
        values, children = step_fields(meta, body, path, default_community, report, key)
        step = sync_page(
            report,
            key,
            parent,
            PlaybookStepPage,
            _slug_for(path, meta),
            values,
            force,
            children=children,
            source={"meta": meta, "body": body, "discussion_community": values["discussion_community"]},
            added_fields=LATER_STEP_FIELDS,
        )
        sub_steps = path.with_suffix("")
        if sub_steps.is_dir():
            _load_steps(report, force, root, sub_steps, step, default_community)


def load_playbook(report: LoadReport, force: bool = False, library: Path | None = None) -> None:
    """Load the playbook under the site's home page: the playbook page, its sections and their steps."""
    root = library or PLAYBOOK_LIBRARY
    home = site_home()
    meta, body = read_front_matter(root / INDEX)
    default_community = meta.get("step_discussion_community", "")
    playbook = sync_page(
        report,
        _key(root / INDEX, root),
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
        force,
        source={"meta": meta, "body": body},
    )
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        meta, body = read_front_matter(folder / INDEX)
        section = sync_page(
            report,
            _key(folder / INDEX, root),
            playbook,
            PlaybookSectionPage,
            _slug_for(folder / INDEX, meta),
            {
                "title": meta["title"],
                "summary": meta.get("summary", "").strip(),
                "search_description": meta.get("summary", "").strip()[:255],
                "body": _body(body),
            },
            force,
            source={"meta": meta, "body": body},
        )
        _load_steps(report, force, root, folder, section, default_community)
