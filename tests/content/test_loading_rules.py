"""The one page upsert: a load finds what it made by its record, not its slug, and one rule for references.

An editor may rename what the library made (a page, a community); a later load neither copies it nor
loses it, and the library's references still reach it. A reference to nothing is an error naming the
file and the item; a page whose parent an editor deleted stays out.
"""

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail import hooks
from wagtail.models import Page

from community.models import Community
from content.hooks import CONTENT_LOADERS, ContentLoader
from content.library import read_front_matter
from content.loading import LIBRARY, LoadError, LoadReport, fingerprint, load_all, snapshot
from content.models import BuildingBlock, LoadedContent
from courses import loading as course_loading
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from playbook.loading import PLAYBOOK_LIBRARY, load_playbook, step_fields
from playbook.models import PlaybookStepPage
from workshops.loading import load_workshops
from workshops.models import WorkshopPage

pytestmark = pytest.mark.django_db

FUNDAMENTALS = "course:govstack-fundamentals"


@pytest.fixture
def loaded(site):
    """The whole bundled library, loaded once."""
    report = load_all()
    assert report.created and not report.kept and not report.warnings
    return report


def publish_as(person, page, **changes):
    """Change a page in the CMS as an editor does: a revision saved and published by that person."""
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision(user=person).publish(user=person)
    return type(page).objects.get(pk=page.pk)


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (CoursePage, ModulePage, LessonPage, PlaybookStepPage))


def nothing_new(report: LoadReport) -> bool:
    return report.created == [] and report.updated == []


# --- found by the record, whatever the slug -------------------------------------------------------------


def test_a_page_an_editor_renamed_is_not_loaded_twice_and_keeps_the_editors_slug(loaded, admin_user):
    before = counts()
    course = publish_as(admin_user, CoursePage.objects.get(slug="govstack-fundamentals"), slug="fundamentals")

    report = load_all()

    assert nothing_new(report) and report.kept == [FUNDAMENTALS]
    assert counts() == before
    assert CoursePage.objects.get(pk=course.pk).slug == "fundamentals"
    assert not CoursePage.objects.filter(slug="govstack-fundamentals").exists()
    # Its modules and lessons were found under it, and the other course's prerequisite still reaches it.
    assert "module:govstack-fundamentals/the-approach" in report.unchanged
    wave1 = CoursePage.objects.get(slug="wave-1-building-blocks")
    assert list(wave1.prerequisites.all()) == [course]
    assert nothing_new(load_all())


def test_force_writes_the_bundled_slug_back_without_a_second_page(loaded, admin_user):
    before = counts()
    course = publish_as(admin_user, CoursePage.objects.get(slug="govstack-fundamentals"), slug="fundamentals")

    report = load_all(force=True)

    assert FUNDAMENTALS in report.updated and report.created == []
    assert counts() == before
    assert CoursePage.objects.get(pk=course.pk).slug == "govstack-fundamentals"
    again = load_all()
    assert nothing_new(again) and again.kept == []


def test_a_playbook_step_renamed_by_an_editor_keeps_its_place_and_progress_rows(loaded, admin_user):
    step = PlaybookStepPage.objects.get(number="2")
    deliverables = list(step.deliverables.values_list("pk", flat=True))
    publish_as(admin_user, step, slug="our-priorities")

    report = load_all(only=["taxonomies", "playbook"])

    assert nothing_new(report) and report.kept == ["playbook:03-implementation/02-prioritise-services.md"]
    assert PlaybookStepPage.objects.filter(number="2").count() == 1
    assert list(PlaybookStepPage.objects.get(pk=step.pk).deliverables.values_list("pk", flat=True)) == (
        deliverables
    )


def test_a_community_renamed_by_an_editor_stays_one_and_its_workshops_still_name_it(loaded):
    community = Community.objects.get(slug="digital-identity")
    community.slug = "identity"
    community.save()

    report = load_all()

    assert nothing_new(report) and report.kept == ["community:digital-identity"]
    assert Community.objects.count() == 4 and not Community.objects.filter(slug="digital-identity").exists()
    assert WorkshopPage.objects.get(slug="identity-clinic").community_id == community.pk


def test_a_site_loaded_before_records_pointed_at_their_objects_is_recognised(loaded, admin_user):
    """Records written by the earlier loader: no object, and steps fingerprinted without their blocks."""
    source = PLAYBOOK_LIBRARY / "03-implementation" / "01-catalogue-services.md"
    step_field_names = list(step_fields(*read_front_matter(source), source)[0])
    earlier = [name for name in step_field_names if name != "building_blocks"]
    for record in LoadedContent.objects.select_related("content_type"):
        if record.content_type.model_class() is PlaybookStepPage:
            step = PlaybookStepPage.objects.get(pk=record.object_id)
            record.written_hash = fingerprint(snapshot(step, earlier))
        record.content_type = record.object_id = None
        record.save()

    report = load_all()

    assert nothing_new(report) and report.kept == [] and len(report.unchanged) == len(loaded.created)
    assert not LoadedContent.objects.filter(object_id__isnull=True).exists()
    # From now on a rename is recognised too.
    publish_as(admin_user, PlaybookStepPage.objects.get(number="4"), slug="architecture")
    after = load_all()
    assert nothing_new(after) and PlaybookStepPage.objects.filter(number="4").count() == 1


# --- references: one rule -------------------------------------------------------------------------------


@pytest.fixture
def library_copy(tmp_path) -> Path:
    copy = tmp_path / "library"
    shutil.copytree(LIBRARY, copy)
    return copy


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unknown_building_block_in_a_course_is_an_error_naming_the_file_and_the_course(
    site, library_copy, monkeypatch
):
    course_file = library_copy / "courses" / "wave-1-building-blocks" / "course.md"
    replace_in(course_file, '"payments",', '"paymentz",')
    monkeypatch.setattr(course_loading, "COURSES", library_copy / "courses")

    with pytest.raises(CommandError) as refused:
        call_command("load_content", verbosity=0)

    message = str(refused.value)
    assert str(course_file) in message and "course:wave-1-building-blocks" in message
    assert "unknown building block “paymentz”" in message
    assert not CoursePage.objects.exists() and not BuildingBlock.objects.exists()  # nothing half loaded


def test_an_unknown_prerequisite_is_an_error(site, library_copy, monkeypatch):
    replace_in(
        library_copy / "courses" / "wave-1-building-blocks" / "course.md",
        'prerequisites = ["govstack-fundamentals"]',
        'prerequisites = ["govstack-basics"]',
    )
    monkeypatch.setattr(course_loading, "COURSES", library_copy / "courses")
    with pytest.raises(LoadError, match="course:wave-1-building-blocks.*unknown course “govstack-basics”"):
        load_all(only=["taxonomies", "courses"])


def test_an_unknown_role_in_a_step_is_an_error(site, library_copy):
    step_file = library_copy / "playbook" / "03-implementation" / "02-prioritise-services.md"
    text = step_file.read_text(encoding="utf-8")
    role = text.split('role = "', 1)[1].split('"', 1)[0]
    replace_in(step_file, f'role = "{role}"', 'role = "court-jester"')
    load_all(only=["taxonomies"])
    with pytest.raises(LoadError) as refused:
        load_playbook(LoadReport(), library=library_copy / "playbook")
    message = str(refused.value)
    assert str(step_file) in message and "playbook:03-implementation/02-prioritise-services.md" in message
    assert "unknown role “court-jester”" in message


def test_an_unknown_community_in_a_workshop_is_an_error_not_a_workshop_without_one(site, library_copy):
    replace_in(
        library_copy / "workshops" / "identity-clinic.md",
        'community = "digital-identity"',
        'community = "digital-identiti"',
    )
    load_all(only=["taxonomies", "communities"])
    with pytest.raises(LoadError, match="workshops:identity-clinic.md.*unknown community “digital-identiti”"):
        load_workshops(LoadReport(), library=library_copy / "workshops")


def test_a_reference_to_something_an_editor_deleted_is_left_out_with_a_warning(site):
    load_all(only=["taxonomies"])
    BuildingBlock.objects.filter(slug="payments").delete()

    report = load_all(only=["taxonomies", "courses"])

    assert "building-block:payments" in report.kept
    assert any("payments" in warning and "course.md" in warning for warning in report.warnings)
    wave1 = CoursePage.objects.get(slug="wave-1-building-blocks")
    assert wave1.building_blocks.exists() and not wave1.building_blocks.filter(slug="payments").exists()


def test_a_building_block_renamed_by_an_editor_is_still_the_one_the_library_names(site):
    load_all(only=["taxonomies"])
    BuildingBlock.objects.filter(slug="payments").update(slug="payment-systems")

    report = load_all(only=["taxonomies", "courses"])

    assert report.warnings == []
    wave1 = CoursePage.objects.get(slug="wave-1-building-blocks")
    assert wave1.building_blocks.filter(slug="payment-systems").exists()


# --- parents --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("part", ["courses", "playbook", "workshops"])
def test_pages_without_a_home_page_say_to_run_setup_site(db, part):
    with pytest.raises(LoadError, match="setup_site"):
        load_all(only=["taxonomies", part])


def test_pages_under_a_parent_an_editor_deleted_stay_out(loaded):
    module = ModulePage.objects.get(slug="the-approach")
    lessons = LessonPage.objects.child_of(module).count()
    module.delete()

    report = load_all()

    approach = "module:govstack-fundamentals/the-approach"
    assert report.created == [] and approach in report.kept
    assert len([key for key in report.kept if key.startswith("lesson:govstack-fundamentals/")]) == lessons
    assert not ModulePage.objects.filter(slug="the-approach").exists()


def test_a_slug_taken_by_an_editors_page_is_a_clear_error(home_page):
    home_page.add_child(instance=Page(title="Our courses", slug="courses"))
    with pytest.raises(LoadError, match="courses:catalogue: .*slug"):
        load_all(only=["taxonomies", "courses"])
    assert not CourseIndexPage.objects.exists()


# --- the hook -------------------------------------------------------------------------------------------


def test_loaders_come_from_the_hook_in_its_order(site):
    ran = []

    def loader(name: str):
        return lambda: ContentLoader(name, lambda report, force: ran.append(name))

    with (
        hooks.register_temporarily(CONTENT_LOADERS, loader("first"), order=1),
        hooks.register_temporarily(CONTENT_LOADERS, loader("last"), order=99),
    ):
        call_command("load_content", only=["last", "first"], verbosity=0)
        assert ran == ["first", "last"]
        with (
            hooks.register_temporarily(CONTENT_LOADERS, loader("first"), order=50),
            pytest.raises(LoadError, match="share a name"),
        ):
            load_all()
