"""Loads the bundled workshops (content/library/workshops/*.md) as pages, keeping editors' later changes.

`_index.md` is the /workshops/ page; every other file is one workshop with TOML front matter and the agenda
as Markdown. Dates in the files are fixed (in 2027), not relative to the load time: a relative date would
change on every run, so a second `load_content` would "update" the pages instead of leaving them alone.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.core.management.base import CommandError

from content.loading import LIBRARY, LoadReport, read_front_matter, sync_page
from content.models import BuildingBlock

from .models import WorkshopIndexPage, WorkshopPage

WORKSHOP_LIBRARY = LIBRARY / "workshops"
INDEX = "_index.md"


def _datetime(value: object, where: Path) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise CommandError(f"{where}: dates need an offset, e.g. 2027-03-16T09:00:00Z")
    return value


def _community(slug: str | None):
    if not slug:
        return None
    return apps.get_model("community", "Community").objects.filter(slug=slug).first()


def workshop_values(meta: dict, body: str, where: Path) -> dict:
    """The page fields for one workshop file."""
    slugs = meta.get("building_blocks", [])
    blocks = {block.slug: block for block in BuildingBlock.objects.filter(slug__in=slugs)}
    missing = sorted(set(slugs) - set(blocks))
    if missing:
        raise CommandError(f"{where}: unknown building block slug(s): {', '.join(missing)}")
    return {
        "title": meta["title"],
        "summary": meta["summary"].strip(),
        "search_description": meta.get("search_description", meta["summary"]).strip()[:255],
        "start": _datetime(meta["start"], where),
        "end": _datetime(meta["end"], where),
        "time_zone": meta.get("time_zone", "UTC"),
        "format": meta.get("format", "online"),
        "place": meta.get("place", "").strip(),
        "joining_details": meta.get("joining_details", "").strip(),
        "language": meta.get("language", "en"),
        "capacity": int(meta.get("capacity", 30)),
        "facilitators": "\n".join(meta.get("facilitators", [])),
        "community": _community(meta.get("community")),
        "building_blocks": [blocks[slug] for slug in slugs],
        "agenda": [{"type": "markdown", "value": body.strip()}] if body.strip() else [],
    }


def load_workshops(report: LoadReport, force: bool = False, library: Path | None = None) -> None:
    """The workshop list under the home page, and the bundled workshops under it."""
    root = library or WORKSHOP_LIBRARY
    home = apps.get_model("govlearn", "HomePage").objects.first()
    if home is None:
        raise CommandError("There is no home page yet: run `python manage.py setup_site` first.")
    meta, _body = read_front_matter(root / INDEX)
    index = sync_page(
        report,
        "workshops:_index.md",
        home,
        WorkshopIndexPage,
        meta.get("slug", "workshops"),
        {
            "title": meta["title"],
            "introduction": meta.get("introduction", "").strip(),
            "search_description": meta.get("search_description", "").strip()[:255],
            "show_in_menus": True,
        },
        force,
    )
    if index is None:
        return  # an editor deleted the list page: its workshops stay out too
    for path in sorted(root.glob("*.md")):
        if path.name == INDEX:
            continue
        meta, body = read_front_matter(path)
        sync_page(
            report,
            f"workshops:{path.name}",
            index,
            WorkshopPage,
            meta.get("slug", path.stem),
            workshop_values(meta, body, path),
            force,
        )
