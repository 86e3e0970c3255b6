"""Loading the bundled curriculum: one upsert for every item, which keeps editors' changes.

Each app registers its part of the library with the `CONTENT_LOADERS` hook (`content/hooks.py`);
`manage.py load_content` runs the parts in order in one transaction. A loader calls `sync_page` (a page),
`sync_model` (a row) or `sync` once per bundled item. `LoadedContent` records each item under its key
(where in the library it comes from) with the object it became, so a later load finds the object whatever
an editor renamed it to, and fingerprints of the source and of the fields as written. Each item is:

- created:   no object and no record: the object is made.
- unchanged: the source is as last loaded and nobody changed the object since.
- updated:   the source changed and nobody changed the object since (or `force`).
- kept:      somebody changed its loaded fields or slug since the load wrote it (or `edited_elsewhere`
             says so), or deleted it, or it existed before any load and differs from the source. Left
             alone unless `force`, which writes the source again (and re-creates what was deleted).

A library file that names something (a building block, role, community, course) names what the load made
of it, else the row with that slug (`references`); a name that matches nothing is a `LoadError` naming the
file and the item. Pages load under the default site's home page (`site_home`).
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import models, transaction
from wagtail import hooks
from wagtail.models import Page, Site

from .hooks import CONTENT_LOADERS, ContentLoader
from .library import LIBRARY, read_toml
from .models import BuildingBlock, LoadedContent, Role


class LoadError(CommandError):
    """The library cannot be loaded as it stands; the message names the file and the item."""


@dataclass
class LoadReport:
    """What a load did, item by item, for the command to print."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # changed or removed in the CMS since: left alone
    warnings: list[str] = field(default_factory=list)  # loaded, but an editor should look

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
        raise LoadError(f"Two content loaders share a name: {', '.join(sorted(names))}")
    return loaders


def load_all(force: bool = False, only: Iterable[str] | None = None) -> LoadReport:
    """Run the registered loaders (or only the named ones) in order, in one transaction."""
    report = LoadReport()
    wanted = set(only or [])
    with transaction.atomic():
        for loader in registered_loaders():
            if not wanted or loader.name in wanted:
                loader.load(report, force)
    return report


# --- the upsert ----------------------------------------------------------------------------------------


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

    `find()` looks it up by slug when no record points at it yet. `edited_elsewhere` reports edits the
    fields do not show (a draft, a new slug); `matches_source` lets an object made before any load that
    equals the source be adopted quietly. `added_fields`: fields later releases started loading, oldest
    first; a record written before them is unedited if the other fields match.
    """

    key: str
    source: Any
    fields: list[str]
    model: type[models.Model]
    find: Callable[[], models.Model | None]
    create: Callable[[], models.Model]
    update: Callable[[models.Model], models.Model]
    edited_elsewhere: Callable[[models.Model], bool] = lambda obj: False
    matches_source: Callable[[models.Model], bool] | None = None
    added_fields: Sequence[str] = ()


def sync(item: SyncItem, report: LoadReport, force: bool = False) -> models.Model | None:
    """Create or update one item, never overwriting an editor's later change unless forced.

    Returns the object, or None when an editor deleted it and it was left deleted.
    """
    source_hash = fingerprint(item.source)
    try:
        with transaction.atomic():
            record = LoadedContent.objects.select_for_update().filter(key=item.key).first()
            if record is not None and record.object_id is not None:
                obj = item.model._default_manager.filter(pk=record.object_id).first()  # whatever its slug
            else:
                obj = item.find()
            return _upsert(item, record, obj, source_hash, report, force)
    except ValidationError as error:
        raise LoadError(f"{item.key}: {'; '.join(error.messages)}") from error


def _upsert(
    item: SyncItem,
    record: LoadedContent | None,
    obj: models.Model | None,
    source_hash: str,
    report: LoadReport,
    force: bool,
) -> models.Model | None:
    if obj is None:
        if record is not None and not force:
            report.kept.append(item.key)  # loaded once, then deleted by an editor
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
        edited, written_hash = _changed_since_load(item, obj, record)
        if edited and not force:
            report.kept.append(item.key)
            _point_at(record, obj)
            return obj
        if not edited and record.source_hash == source_hash:
            report.unchanged.append(item.key)
            _point_at(record, obj, written_hash)
            return obj
        obj = item.update(obj)
        report.updated.append(item.key)
    LoadedContent.objects.update_or_create(
        key=item.key,
        defaults={
            "source_hash": source_hash,
            "written_hash": fingerprint(snapshot(obj, item.fields)),
            "content_type": ContentType.objects.get_for_model(obj),
            "object_id": obj.pk,
        },
    )
    return obj


def _changed_since_load(item: SyncItem, obj: models.Model, record: LoadedContent) -> tuple[bool, str]:
    """Whether someone changed the object since the load wrote it, and the fingerprint of it now."""
    current = fingerprint(snapshot(obj, item.fields))
    if item.edited_elsewhere(obj):
        return True, current
    if current == record.written_hash:
        return False, current
    # Written by a release that loaded fewer fields: compare the fields it wrote.
    for index in range(len(item.added_fields)):
        earlier = [name for name in item.fields if name not in item.added_fields[index:]]
        if fingerprint(snapshot(obj, earlier)) == record.written_hash:
            return False, current
    return True, current


def _point_at(record: LoadedContent, obj: models.Model, written_hash: str | None = None) -> None:
    """Complete a record an earlier release wrote: the object it is about, the fields as written now."""
    changes = {"content_type": ContentType.objects.get_for_model(obj), "object_id": obj.pk}
    if written_hash is not None:
        changes["written_hash"] = written_hash
    if any(getattr(record, name) != value for name, value in changes.items()):
        LoadedContent.objects.filter(pk=record.pk).update(**changes)


def sync_model(
    report: LoadReport, key: str, model: type[models.Model], lookup: dict, values: dict, force: bool = False
) -> models.Model | None:
    """`sync` for a plain model row identified by `lookup` (its slug), with `values` as the loaded fields.

    A row whose slug an editor changed is theirs (kept); `force` writes the bundled slug back.
    """

    def update(obj: models.Model) -> models.Model:
        for name, value in {**lookup, **values}.items():
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
            model=model,
            find=lambda: model._default_manager.filter(**lookup).first(),
            create=create,
            update=update,
            edited_elsewhere=lambda obj: any(getattr(obj, name) != value for name, value in lookup.items()),
            matches_source=matches_source,
        ),
        report,
        force,
    )


# --- pages ---------------------------------------------------------------------------------------------


def page_edited_elsewhere(page: Any) -> bool:
    """A person touched the page: it has unpublished changes, or its latest revision was saved by a user.

    Loaders save their revisions without a user, so a revision with one is a person's.
    """
    if page.has_unpublished_changes:
        return True
    latest = page.latest_revision
    return latest is not None and latest.user_id is not None


def _set_children(page: Any, relation: str, model: type[models.Model], rows: list[dict]) -> None:
    """Replace a page's inline rows, reusing its rows in order so that progress tied to them survives."""
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
    key: str,
    parent: Any,
    page_class: type,
    slug: str,
    values: dict,
    force: bool = False,
    *,
    children: dict[str, tuple[type[models.Model], list[dict]]] | None = None,
    source: Any = None,
    added_fields: Sequence[str] = (),
) -> Any:
    """`sync` for the page `slug` under `parent`, with `values` (fields and many-to-many lists) loaded.

    `children`: inline rows, {relation: (row model, [row values])}, replaced in order. Pages are published
    through a revision without a user. Under a parent an editor deleted (None), the page is kept out.
    """
    if parent is None:
        report.kept.append(key)
        return None

    def apply(page: Any) -> Any:
        for name, value in values.items():
            setattr(page, name, value)
        for relation, (row_model, rows) in (children or {}).items():
            _set_children(page, relation, row_model, rows)
        return page

    def publish(page: Any) -> Any:
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    def create() -> Any:
        page = apply(page_class(slug=slug, locale_id=parent.locale_id))
        parent.add_child(instance=page)
        return publish(page)

    def update(page: Any) -> Any:
        page.slug = slug
        return publish(apply(page))

    return sync(
        SyncItem(
            key=key,
            source=values if source is None else source,
            fields=list(values),
            model=page_class,
            find=lambda: page_class.objects.child_of(parent).filter(slug=slug).first(),
            create=create,
            update=update,
            edited_elsewhere=lambda page: page.slug != slug or page_edited_elsewhere(page),
            added_fields=added_fields,
        ),
        report,
        force,
    )


def site_home() -> Page:
    """The default site's home page, where the library's sections go (`setup_site` makes it)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page.specific if site is not None else None
    if home is None or type(home) is Page:  # a bare Page is Wagtail's placeholder, not a home page
        raise LoadError("There is no home page yet: run `python manage.py setup_site` first.")
    return home


# --- references -------------------------------------------------------------------------------------


def references(
    report: LoadReport, model: type[models.Model], key_prefix: str, slugs: Iterable[str], named_in: str
) -> dict[str, models.Model]:
    """{slug: object} for library slugs: what the load made of `key_prefix:slug`, else the row with the slug.

    A slug that matches neither is a LoadError naming `named_in`; one whose object an editor deleted is
    left out, with a warning.
    """
    wanted = list(dict.fromkeys(slugs))
    if not wanted:
        return {}
    keys = {f"{key_prefix}:{slug}": slug for slug in wanted}
    loaded = dict(LoadedContent.objects.filter(key__in=keys).values_list("key", "object_id"))
    by_id = model._default_manager.in_bulk([pk for pk in loaded.values() if pk is not None])
    by_slug = {obj.slug: obj for obj in model._default_manager.filter(slug__in=wanted)}
    found = {}
    label = model._meta.verbose_name
    for key, slug in keys.items():
        obj = by_id.get(loaded.get(key)) or by_slug.get(slug)
        if obj is not None:
            found[slug] = obj
        elif key in loaded:
            report.warnings.append(f"{named_in}: the {label} “{slug}” was removed by an editor: left out")
        else:
            raise LoadError(f"{named_in}: unknown {label} “{slug}”")
    return found


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
