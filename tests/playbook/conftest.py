"""Fixtures for the playbook tests: the bundled playbook loaded, and a synthetic playbook of any size."""

import pytest

from content.loading import LoadReport, load_taxonomies
from playbook.loading import load_playbook
from playbook.models import (
    Deliverable,
    PlaybookPage,
    PlaybookSectionPage,
    PlaybookStepPage,
    StepRole,
)
from tests.factories import RoleFactory


@pytest.fixture
def bundled(home_page):
    """The bundled playbook as `load_content` loads it; returns the playbook page."""
    report = LoadReport()
    load_taxonomies(report)
    load_playbook(report)
    return PlaybookPage.objects.get()


def step_by_number(number: str) -> PlaybookStepPage:
    return PlaybookStepPage.objects.get(number=number)


@pytest.fixture
def make_playbook(home_page):
    """Build a playbook with `sections` sections of `steps` steps, each with roles and deliverables."""

    def make(
        sections: int = 2, steps: int = 3, deliverables: int = 3, slug: str = "playbook"
    ) -> PlaybookPage:
        role = RoleFactory(slug="solution-architect", name="Solution architect")
        playbook = PlaybookPage(title="Playbook", slug=slug, show_in_menus=True)
        home_page.add_child(instance=playbook)
        playbook.save_revision().publish()
        for s in range(sections):
            section = PlaybookSectionPage(title=f"Section {s + 1}", slug=f"section-{s + 1}")
            playbook.add_child(instance=section)
            section.save_revision().publish()
            for n in range(steps):
                step = PlaybookStepPage(
                    title=f"Step {s + 1}.{n + 1}",
                    slug=f"step-{n + 1}",
                    number=str(n + 1),
                    summary=f"Summary of step {s + 1}.{n + 1}",
                )
                step.deliverables = [Deliverable(title=f"Deliverable {d + 1}") for d in range(deliverables)]
                step.role_responsibilities = [
                    StepRole(role=role, responsibilities=f"Designs {s + 1}.{n + 1}")
                ]
                section.add_child(instance=step)
                step.save_revision().publish()
        return playbook

    return make
