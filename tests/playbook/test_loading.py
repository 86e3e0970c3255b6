"""Loading the bundled playbook: the right pages, idempotent, and an editor's later change is kept."""

import pytest
from django.core.management.base import CommandError

from content.loading import LoadReport, load_all
from playbook.loading import load_playbook
from playbook.models import Deliverable, PlaybookPage, PlaybookSectionPage, PlaybookStepPage, StepRole

pytestmark = pytest.mark.django_db


def page_state() -> list[tuple]:
    return list(
        PlaybookStepPage.objects.order_by("path").values_list("pk", "path", "title", "number", "live")
    ) + list(PlaybookSectionPage.objects.order_by("path").values_list("pk", "path", "title", "slug", "live"))


def test_bundled_playbook_has_the_sections_and_five_steps_with_sub_steps(bundled):
    assert list(PlaybookSectionPage.objects.order_by("path").values_list("title", flat=True)) == [
        "Introduction",
        "Strategy and management",
        "Implementation",
    ]
    implementation = PlaybookSectionPage.objects.get(slug="implementation")
    numbers = [page.specific.number for page in implementation.get_children().order_by("path")]
    assert numbers == ["1", "2", "3", "4", "5"]
    design = PlaybookStepPage.objects.get(number="3")
    assert [p.specific.number for p in design.get_children().order_by("path")] == ["3.1", "3.2", "3.3"]
    for number in ("1", "2", "3.1", "3.2", "3.3", "4", "5"):
        step = PlaybookStepPage.objects.get(number=number)
        assert step.live and step.activities, number
        assert Deliverable.objects.filter(page=step).exists(), number
        assert StepRole.objects.filter(page=step).exists(), number
    assert bundled.show_in_menus and bundled.search_description


def test_loading_twice_gives_the_same_pages(bundled):
    before = page_state()
    deliverables = list(Deliverable.objects.order_by("pk").values_list("pk", "title"))
    report = load_all(only=["taxonomies", "playbook"])
    assert report.created == [] and report.updated == []
    assert page_state() == before
    assert list(Deliverable.objects.order_by("pk").values_list("pk", "title")) == deliverables
    assert PlaybookPage.objects.count() == 1


def test_an_editors_published_change_survives_a_reload(bundled, user_factory):
    editor = user_factory(is_staff=True, is_superuser=True)
    step = PlaybookStepPage.objects.get(number="2")
    step.summary = "Our own summary, agreed with the ministry."
    step.save_revision(user=editor).publish()
    report = LoadReport()
    load_playbook(report, force=False)
    assert "playbook:03-implementation/02-prioritise-services.md" in report.kept
    step.refresh_from_db()
    assert step.summary == "Our own summary, agreed with the ministry."


def test_an_editors_draft_is_kept_too(bundled, user_factory):
    editor = user_factory(is_staff=True, is_superuser=True)
    step = PlaybookStepPage.objects.get(number="4")
    step.title = "Draft title"
    step.save_revision(user=editor)
    load_playbook(LoadReport())
    step = PlaybookStepPage.objects.get(number="4")
    assert step.has_unpublished_changes
    assert step.get_latest_revision_as_object().title == "Draft title"


def test_loading_without_a_home_page_says_to_run_setup_site(db):
    with pytest.raises(CommandError, match="setup_site"):
        load_playbook(LoadReport())
