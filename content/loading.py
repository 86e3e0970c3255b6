"""Loading the bundled curriculum: a registry of loaders, and an upsert that keeps editors' changes.

Each feature app registers a loader in its AppConfig.ready(); `manage.py load_content` runs them in order.
Every loaded item is recorded in `LoadedContent` with two fingerprints: of the source it came from, and
of the object's fields as they were written. A later load updates an item only when its source changed
and nobody edited the object since (or with `force`), so a second run changes nothing.
"""

import hashlib
import json
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from .models import LoadedContent

LIBRARY = Path(__file__).resolve().parent / "library"


@dataclass
class LoadReport:
    """What a load did, item by item, for the command to print."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited in the CMS since the last load: left alone

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.kept)} kept (changed by an editor)"
        )


Loader = Callable[[LoadReport, bool], None]


@dataclass(order=True)
class RegisteredLoader:
    order: int
    name: str
    load: Loader = field(compare=False)


_loaders: dict[str, RegisteredLoader] = {}


def register_loader(name: str, load: Loader, order: int = 50) -> None:
    """Called from an app's ready(): `load(report, force)` loads that app's part of the library."""
    _loaders[name] = RegisteredLoader(order, name, load)


def registered_loaders() -> list[RegisteredLoader]:
    return sorted(_loaders.values())


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
    """One bundled item: how to find, create and update it, and which fields the load owns."""

    key: str
    source: Any
    fields: list[str]
    find: Callable[[], models.Model | None]
    create: Callable[[], models.Model]
    update: Callable[[models.Model], models.Model]
    edited_elsewhere: Callable[[models.Model], bool] = lambda obj: False


def sync(item: SyncItem, report: LoadReport, force: bool = False) -> models.Model:
    """Create or update one item, never overwriting an editor's later change unless forced."""
    source_hash = fingerprint(item.source)
    with transaction.atomic():
        record = LoadedContent.objects.select_for_update().filter(key=item.key).first()
        obj = item.find()
        if obj is None:
            obj = item.create()
            report.created.append(item.key)
        else:
            edited = item.edited_elsewhere(obj) or (
                fingerprint(snapshot(obj, item.fields)) != (record.written_hash if record else None)
            )
            if record and record.source_hash == source_hash and not edited:
                report.unchanged.append(item.key)
                return obj
            if edited and not force:
                report.kept.append(item.key)
                return obj
            obj = item.update(obj)
            report.updated.append(item.key)
        LoadedContent.objects.update_or_create(
            key=item.key,
            defaults={"source_hash": source_hash, "written_hash": fingerprint(snapshot(obj, item.fields))},
        )
    return obj


def sync_model(
    report: LoadReport, key: str, model: type[models.Model], lookup: dict, values: dict, force: bool = False
) -> models.Model:
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

    return sync(
        SyncItem(
            key=key,
            source=values,
            fields=list(values),
            find=lambda: model._default_manager.filter(**lookup).first(),
            create=create,
            update=update,
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
    from .models import BuildingBlock, Role

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
    report = LoadReport()
    wanted = set(only or [])
    for loader in registered_loaders():
        if not wanted or loader.name in wanted:
            loader.load(report, force)
    return report
