"""Loading the bundled curriculum: an upsert that keeps editors' changes.

How it works. Each app registers its loader with the `CONTENT_LOADERS` hook (`content/hooks.py`) in its
`wagtail_hooks.py`, and `manage.py load_content` runs them in order, all in one transaction (a failure
leaves nothing half loaded). A loader calls `sync(SyncItem(...), report, force)` once per bundled item,
or a shortcut: `sync_model` for a plain model row, `sync_page` for a Wagtail page. Every loaded item is
recorded in `LoadedContent` under its key with two fingerprints: of the source it came from, and of the
object's loaded fields as they were written. For each item the report gets exactly one of:

- created:   no object and no record: the object is made.
- unchanged: the source is as last loaded and nobody changed the object since.
- updated:   the source changed and nobody changed the object since (or `force`).
- kept:      somebody changed the object since the load wrote it (its loaded fields differ from what was
             written, or `edited_elsewhere(obj)` says so), or deleted or renamed it (a record but no
             object), or it existed before any load and differs from the source. Left alone unless
             `force`, which writes the source again (and re-creates what was deleted).

A SyncItem for a page: `find` returns the page or None, `create` adds and publishes it, `update` applies
the source to it and publishes a revision saved without a user, and `edited_elsewhere` is
`page_edited_elsewhere` ("has unpublished changes, or its latest revision was saved by a person").
`sync_page(report, key, parent, MyPage, slug, {"title": ..., "body": [...]}, force)` does all of that.
"""

import hashlib
import json
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from wagtail import hooks

from .hooks import CONTENT_LOADERS, ContentLoader
from .models import BuildingBlock, LoadedContent, Role

LIBRARY = Path(__file__).resolve().parent / "library"


@dataclass
class LoadReport:
    """What a load did, item by item, for the command to print."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited in the CMS since the last load: left alone
    warnings: list[str] = field(
        default_factory=list
    )  # loaded, but an editor should look (e.g. a guessable quiz)

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.kept)} kept (changed or removed by an editor)"
        )


def registered_loaders() -> list[ContentLoader]:
    """The parts of the library in the order they load (the `CONTENT_LOADERS` hooks)."""
    loaders = [register() for register in hooks.get_hooks(CONTENT_LOADERS)]
    names = [loader.name for loader in loaders]
    if len(set(names)) != len(names):
        raise ValueError(f"Two content loaders share a name: {', '.join(sorted(names))}")
    return loaders


def fingerprint(data: Any) -> str:
    encoded = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def snapshot(obj: models.Model, field_names: Iterable[str]) -> dict[str, Any]:
    """The stored form of the given fields, read back from the database."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    data = {}
    for name in field_names:
        model_field = fresh._meta.get_field(name)
        if model_field.many_to_many:
            data[name] = sorted(getattr(fresh, name).values_list("pk", flat=True))
        else:
            data[name] = model_field.value_to_string(fresh)
    return data


@dataclass
class SyncItem:
    """One bundled item: how to find, create and update it, and which fields the load owns.

    `edited_elsewhere(obj)` may report edits the loaded fields do not show (e.g. a page draft);
    `matches_source(obj)`, if given, tells whether an object that existed before any load already
    equals the source, so that it is adopted quietly instead of being reported as kept.
    """

    key: str
    source: Any
    fields: list[str]
    find: Callable[[], models.Model | None]
    create: Callable[[], models.Model]
    update: Callable[[models.Model], models.Model]
    edited_elsewhere: Callable[[models.Model], bool] = lambda obj: False
    matches_source: Callable[[models.Model], bool] | None = None


def _record(item: SyncItem, obj: models.Model, source_hash: str) -> None:
    LoadedContent.objects.update_or_create(
        key=item.key,
        defaults={"source_hash": source_hash, "written_hash": fingerprint(snapshot(obj, item.fields))},
    )


def sync(item: SyncItem, report: LoadReport, force: bool = False) -> models.Model | None:
    """Create or update one item, never overwriting an editor's later change unless forced.

    Returns the object, or None when an editor deleted it and it was left deleted.
    """
    source_hash = fingerprint(item.source)
    with transaction.atomic():
        record = LoadedContent.objects.select_for_update().filter(key=item.key).first()
        obj = item.find()
        if obj is None:
            if record is not None and not force:
                report.kept.append(item.key)  # loaded once, then deleted or renamed by an editor
                return None
            obj = item.create()
            report.created.append(item.key)
        elif record is None:
            # It exists but no load wrote it: adopt it only if it already says what the source says.
            if item.matches_source is not None and item.matches_source(obj):
                report.unchanged.append(item.key)
            elif force:
                obj = item.update(obj)
                report.updated.append(item.key)
            else:
                report.kept.append(item.key)
                return obj
        else:
            edited = (
                item.edited_elsewhere(obj) or fingerprint(snapshot(obj, item.fields)) != record.written_hash
            )
            if edited and not force:
                report.kept.append(item.key)
                return obj
            if not edited and record.source_hash == source_hash:
                report.unchanged.append(item.key)
                return obj
            obj = item.update(obj)
            report.updated.append(item.key)
        _record(item, obj, source_hash)
    return obj


def sync_model(
    report: LoadReport, key: str, model: type[models.Model], lookup: dict, values: dict, force: bool = False
) -> models.Model | None:
    """`sync` for a plain model row identified by `lookup`, with `values` as the loaded fields."""

    def update(obj: models.Model) -> models.Model:
        for name, value in values.items():
            setattr(obj, name, value)
        obj.full_clean()
        obj.save()
        return obj

    def create() -> models.Model:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj

    def matches_source(obj: models.Model) -> bool:
        return all(
            getattr(obj, name) == model._meta.get_field(name).to_python(value)
            for name, value in values.items()
        )

    return sync(
        SyncItem(
            key=key,
            source=values,
            fields=list(values),
            find=lambda: model._default_manager.filter(**lookup).first(),
            create=create,
            update=update,
            matches_source=matches_source,
        ),
        report,
        force,
    )


def page_edited_elsewhere(page: Any) -> bool:
    """A person touched the page: it has unpublished changes, or its latest revision was saved by a user.

    Loaders save their revisions without a user, so a revision with one is a person's.
    """
    if page.has_unpublished_changes:
        return True
    latest = page.get_latest_revision()
    return latest is not None and latest.user_id is not None


def sync_page(
    report: LoadReport,
    key: str,
    parent: Any,
    page_class: type,
    slug: str,
    values: dict,
    force: bool = False,
) -> Any:
    """`sync` for a Wagtail page: the child `slug` of `parent`, with `values` as its loaded fields.

    Created and updated pages are published through a revision saved without a user.
    """

    def find() -> Any:
        page = parent.get_children().filter(slug=slug).first()
        return page.specific if page is not None else None

    def publish(page: Any) -> Any:
        page.save_revision(clean=True).publish()
        page.refresh_from_db()
        return page

    def create() -> Any:
        page = page_class(slug=slug, **values)
        parent.add_child(instance=page)
        return publish(page)

    def update(page: Any) -> Any:
        for name, value in values.items():
            setattr(page, name, value)
        return publish(page)

    return sync(
        SyncItem(
            key=key,
            source=values,
            fields=list(values),
            find=find,
            create=create,
            update=update,
            edited_elsewhere=page_edited_elsewhere,
        ),
        report,
        force,
    )


def read_toml(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def read_front_matter(path: Path) -> tuple[dict, str]:
    """A Markdown file with TOML front matter between `+++` lines: returns (metadata, body)."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("+++"):
        return {}, text
    _, meta, body = text.split("+++", 2)
    return tomllib.loads(meta), body.lstrip("\n")


def load_taxonomies(report: LoadReport, force: bool = False) -> None:
    """The building blocks and digital-team roles from content/library/*.toml."""
    for entry in read_toml(LIBRARY / "building_blocks.toml")["building_block"]:
        values = {
            "name": entry["name"],
            "summary": entry.get("summary", ""),
            "wave": entry.get("wave"),
            "specification_url": entry.get("specification_url", ""),
        }
        sync_model(
            report, f"building-block:{entry['slug']}", BuildingBlock, {"slug": entry["slug"]}, values, force
        )
    for entry in read_toml(LIBRARY / "roles.toml")["role"]:
        values = {"name": entry["name"], "group": entry["group"], "description": entry.get("description", "")}
        sync_model(report, f"role:{entry['slug']}", Role, {"slug": entry["slug"]}, values, force)


def load_all(force: bool = False, only: Iterable[str] | None = None) -> LoadReport:
    """Run the registered loaders (or only the named ones) in order, in one transaction."""
    report = LoadReport()
    wanted = set(only or [])
    with transaction.atomic():
        for loader in registered_loaders():
            if not wanted or loader.name in wanted:
                loader.load(report, force)
    return report
