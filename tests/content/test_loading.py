"""load_content: idempotent, reports what it did, and never overwrites an editor's change without --force."""

import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail import hooks
from wagtail.models import Page

from content import loading
from content.hooks import CONTENT_LOADERS, ContentLoader
from content.loading import LoadReport, load_all, read_toml, sync_page
from content.models import BuildingBlock, LoadedContent, Role

BLOCKS = read_toml(loading.LIBRARY / "building_blocks.toml")["building_block"]
ROLES = read_toml(loading.LIBRARY / "roles.toml")["role"]
TOTAL = len(BLOCKS) + len(ROLES)


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_content", "--only", "taxonomies", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def library_copy(tmp_path, monkeypatch):
    """A private copy of the bundled library that a test may change."""
    copy = tmp_path / "library"
    shutil.copytree(loading.LIBRARY, copy)
    monkeypatch.setattr(loading, "LIBRARY", copy)
    return copy


def replace_in(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.django_db
def test_first_run_creates_the_taxonomies():
    output = run()
    assert BuildingBlock.objects.count() == len(BLOCKS)
    assert Role.objects.count() == len(ROLES)
    assert f"{TOTAL} created, 0 updated, 0 unchanged, 0 kept" in output
    payments = BuildingBlock.objects.get(slug="payments")
    assert payments.wave == 1
    assert LoadedContent.objects.filter(key="building-block:payments").exists()


@pytest.mark.django_db
def test_second_run_changes_nothing():
    run()
    output = run()
    assert f"0 created, 0 updated, {TOTAL} unchanged, 0 kept" in output
    assert BuildingBlock.objects.count() == len(BLOCKS)
    assert Role.objects.count() == len(ROLES)


@pytest.mark.django_db
def test_verbose_run_lists_items():
    output = run("--verbosity", "2")
    assert "created: role:service-designer" in output


@pytest.mark.django_db
def test_an_editors_change_is_kept_and_force_restores_the_bundled_value():
    run()
    role = Role.objects.get(slug="service-designer")
    bundled = role.description
    role.description = "Edited by an editor."
    role.save()

    output = run()
    assert "kept: role:service-designer" in output
    assert f"0 created, 0 updated, {TOTAL - 1} unchanged, 1 kept" in output
    assert "--force" in output
    assert Role.objects.get(slug="service-designer").description == "Edited by an editor."

    output = run("--force")
    assert f"0 created, 1 updated, {TOTAL - 1} unchanged, 0 kept" in output
    assert Role.objects.get(slug="service-designer").description == bundled
    assert f"{TOTAL} unchanged" in run()


@pytest.mark.django_db
def test_a_changed_source_updates_an_unedited_item(library_copy):
    run()
    replace_in(
        library_copy / "building_blocks.toml", 'name = "GIS"', 'name = "Geographic Information System"'
    )
    output = run()
    assert f"0 created, 1 updated, {TOTAL - 1} unchanged, 0 kept" in output
    assert BuildingBlock.objects.get(slug="gis").name == "Geographic Information System"


@pytest.mark.django_db
def test_a_changed_source_does_not_overwrite_an_edited_item(library_copy):
    run()
    BuildingBlock.objects.filter(slug="gis").update(summary="Our own words.")
    replace_in(
        library_copy / "building_blocks.toml", 'name = "GIS"', 'name = "Geographic Information System"'
    )
    output = run()
    assert "kept: building-block:gis" in output
    gis = BuildingBlock.objects.get(slug="gis")
    assert (gis.name, gis.summary) == ("GIS", "Our own words.")


@pytest.mark.django_db
def test_a_new_source_entry_is_created(library_copy):
    run()
    with (library_copy / "roles.toml").open("a", encoding="utf-8") as handle:
        handle.write(
            '\n[[role]]\nslug = "behavioural-scientist"\n'
            'name = "Behavioural scientist"\ngroup = "Service design"\n'
        )
    output = run()
    assert f"1 created, 0 updated, {TOTAL} unchanged, 0 kept" in output
    assert Role.objects.filter(slug="behavioural-scientist").exists()


@pytest.mark.django_db
def test_an_item_deleted_by_an_editor_stays_deleted_unless_forced():
    run()
    Role.objects.filter(slug="minister").delete()
    output = run()
    assert "kept: role:minister" in output
    assert not Role.objects.filter(slug="minister").exists()
    output = run("--force")
    assert "1 created" in output
    assert Role.objects.filter(slug="minister").exists()


@pytest.mark.django_db
def test_a_renamed_slug_does_not_make_a_duplicate():
    run()
    Role.objects.filter(slug="minister").update(slug="minister-of-ict")
    output = run()
    assert "kept: role:minister" in output
    assert Role.objects.filter(name="Minister").count() == 1


@pytest.mark.django_db
def test_rows_that_existed_before_any_load():
    entry = next(e for e in ROLES if e["slug"] == "cio")
    Role.objects.create(
        slug="cio", name=entry["name"], group=entry["group"], description=entry["description"]
    )
    Role.objects.create(slug="minister", name="Minister", group="Strategy", description="Written by hand.")
    output = run()
    # Identical to the source: adopted quietly. Different: an editor's, left alone.
    assert f"{TOTAL - 2} created, 0 updated, 1 unchanged, 1 kept" in output
    assert Role.objects.get(slug="minister").description == "Written by hand."
    assert f"{TOTAL - 1} unchanged, 1 kept" in run()


@pytest.mark.django_db
def test_a_failing_loader_leaves_nothing_half_loaded():
    def broken(report: LoadReport, force: bool) -> None:
        raise RuntimeError("bad library entry")

    broken_loader = lambda: ContentLoader("broken", broken)  # noqa: E731
    with hooks.register_temporarily(CONTENT_LOADERS, broken_loader, order=99), pytest.raises(RuntimeError):
        load_all(only=["taxonomies", "broken"])
    assert not BuildingBlock.objects.exists()
    assert not LoadedContent.objects.exists()


# --- pages --------------------------------------------------------------------------------------------


def load_page(home_page, title: str = "About the playbook", force: bool = False) -> tuple[LoadReport, Page]:
    report = LoadReport()
    page = sync_page(report, "page:about", home_page, Page, "about", {"title": title}, force)
    return report, page


@pytest.mark.django_db
def test_sync_page_creates_publishes_and_then_leaves_alone(home_page):
    report, page = load_page(home_page)
    assert report.created == ["page:about"]
    assert page.live and not page.has_unpublished_changes
    assert page.get_parent().pk == home_page.pk

    report, again = load_page(home_page)
    assert report.unchanged == ["page:about"]
    assert again.pk == page.pk

    report, page = load_page(home_page, title="About the Implementation Playbook")
    assert report.updated == ["page:about"]
    assert Page.objects.get(pk=page.pk).title == "About the Implementation Playbook"


@pytest.mark.django_db
def test_sync_page_keeps_a_draft_and_a_persons_revision(home_page, admin_user):
    _, page = load_page(home_page)

    page.title = "A person's draft"
    page.save_revision(user=admin_user)  # a draft: unpublished changes
    report, _ = load_page(home_page, title="New bundled title")
    assert report.kept == ["page:about"]

    page = Page.objects.get(pk=page.pk)
    page.get_latest_revision().publish(user=admin_user)  # published by the person
    report, _ = load_page(home_page, title="New bundled title")
    assert report.kept == ["page:about"]
    assert Page.objects.get(pk=page.pk).title == "A person's draft"

    report, _ = load_page(home_page, title="New bundled title", force=True)
    assert report.updated == ["page:about"]
    assert Page.objects.get(pk=page.pk).title == "New bundled title"
    report, _ = load_page(home_page, title="New bundled title")
    assert report.unchanged == ["page:about"]
