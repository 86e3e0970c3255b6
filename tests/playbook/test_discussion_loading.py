"""The bundled playbook names the community its steps are discussed in; reloads set it and keep edits."""

import pytest

from content.library import LIBRARY, read_front_matter
from content.loading import LoadReport, fingerprint, snapshot
from content.models import LoadedContent
from playbook.loading import LATER_STEP_FIELDS, PLAYBOOK_LIBRARY, load_playbook, step_fields
from playbook.models import PlaybookStepPage

pytestmark = pytest.mark.django_db


def test_bundled_steps_are_discussed_among_playbook_practitioners(bundled):
    communities = set(PlaybookStepPage.objects.values_list("discussion_community", flat=True))
    assert communities == {"playbook-practitioners"}
    slugs = {read_front_matter(path)[0]["slug"] for path in (LIBRARY / "communities").glob("*.md")}
    assert "playbook-practitioners" in slugs  # the bundled community that load_content creates


def test_an_editors_choice_of_community_survives_a_reload(bundled, user_factory):
    editor = user_factory(is_staff=True, is_superuser=True)
    step = PlaybookStepPage.objects.get(number="5")
    step.discussion_community = "payments"
    step.save_revision(user=editor).publish()
    load_playbook(LoadReport())
    step.refresh_from_db()
    assert step.discussion_community == "payments"


def test_a_reload_fills_the_community_into_steps_loaded_before_the_field_existed(bundled):
    """A database loaded by an earlier release: its records were fingerprinted without the field."""
    key = "playbook:03-implementation/01-catalogue-services.md"
    step = PlaybookStepPage.objects.get(number="1")
    PlaybookStepPage.objects.filter(pk=step.pk).update(discussion_community="")
    source = PLAYBOOK_LIBRARY / "03-implementation" / "01-catalogue-services.md"
    fields = list(step_fields(*read_front_matter(source), source)[0])
    earlier = [name for name in fields if name not in LATER_STEP_FIELDS]
    LoadedContent.objects.filter(key=key).update(
        written_hash=fingerprint(snapshot(step, earlier)), source_hash="from an earlier release"
    )
    report = LoadReport()
    load_playbook(report)
    assert key in report.updated and key not in report.kept
    step.refresh_from_db()
    assert step.discussion_community == "playbook-practitioners"
    again = LoadReport()
    load_playbook(again)
    assert again.created == [] and again.updated == []
