"""Loads the bundled workshops (content/library/workshops/*.md) as pages, keeping editors' later changes.

`_index.md` is the /workshops/ page; every other file is one workshop with TOML front matter and the agenda
as Markdown. Dates in the files are fixed (in 2027), not relative to the load time: a relative date would
change on every run, so a second `load_content` would "update" the pages instead of leaving them alone.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.apps import apps

from content.library import LIBRARY, read_front_matter, where
from content.loading import LoadError, LoadReport, references, site_home, sync_page
from content.models import BuildingBlock

from .models import WorkshopIndexPage, WorkshopPage

WORKSHOP_LIBRARY = LIBRARY / "workshops"
INDEX = "_index.md"


def _datetime(value: object, named_in: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise LoadError(f"{named_in}: dates need an offset, e.g. 2027-03-16T09:00:00Z")
    return value


def workshop_values(meta: dict, body: str, where_from: Path, report: LoadReport | None = None) -> dict:
    """The page fields for one workshop file; an unknown building block or community is a LoadError."""
    report = report if report is not None else LoadReport()
    named_in = where(where_from, f"workshops:{where_from.name}")
    slugs = meta.get("building_blocks", [])
    blocks = references(report, BuildingBlock, "building-block", slugs, named_in)
    community_slug = meta.get("community")
    # By name, not by import: workshops and community are feature apps that never import each other.
    community_model = apps.get_model("community", "Community")
    communities = references(
        report, community_model, "community", [community_slug] if community_slug else [], named_in
    )
    return {
        "title": meta["title"],
        "summary": meta["summary"].strip(),
        "search_description": meta.get("search_description", meta["summary"]).strip()[:255],
        "start": _datetime(meta["start"], named_in),
        "end": _datetime(meta["end"], named_in),
        "time_zone": meta.get("time_zone", "UTC"),
        "format": meta.get("format", "online"),
        "place": meta.get("place", "").strip(),
        "joining_details": meta.get("joining_details", "").strip(),
        "language": meta.get("language", "en"),
        "capacity": int(meta.get("capacity", 30)),
        "facilitators": "\n".join(meta.get("facilitators", [])),
        "community": communities.get(community_slug),
        "building_blocks": list(blocks.values()),
        "agenda": [{"type": "markdown", "value": body.strip()}] if body.strip() else [],
    }


def load_workshops(report: LoadReport, force: bool = False, library: Path | None = None) -> None:
    """The workshop list under the home page, and the bundled workshops under it."""
    root = library or WORKSHOP_LIBRARY
    meta, _body = read_front_matter(root / INDEX)
    index = sync_page(
        report,
        "workshops:_index.md",
        site_home(),
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
    for path in sorted(root.glob("*.md")):
        if path.name == INDEX:
            continue
        meta, body = read_front_matter(path)
        sync_page(
            report,
            f"workshops:{path.name}",
            index,  # None when an editor deleted the list page: its workshops stay out too
            WorkshopPage,
            meta.get("slug", path.stem),
            workshop_values(meta, body, path, report),
            force,
        )
