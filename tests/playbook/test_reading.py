"""Reading the playbook: order across sections, the role view, the print page, search, and query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from playbook.models import (
    Deliverable,
    DeliverableCompletion,
    PlaybookSectionPage,
    PlaybookStepPage,
    StepCompletion,
    StepRole,
)
from tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


def link(html: str, rel: str) -> str | None:
    match = re.search(rf'<a[^>]*rel="{rel}"[^>]*href="([^"]+)"', html)
    return match.group(1) if match else None


def test_previous_and_next_cross_section_boundaries(client, make_playbook):
    make_playbook(sections=2, steps=2)
    last_of_first = client.get("/playbook/section-1/step-2/").content.decode()
    assert link(last_of_first, "next") == "/playbook/section-2/step-1/"
    assert link(last_of_first, "prev") == "/playbook/section-1/step-1/"
    assert '<link rel="next" href="/playbook/section-2/step-1/">' in last_of_first
    first_of_second = client.get("/playbook/section-2/step-1/").content.decode()
    assert link(first_of_second, "prev") == "/playbook/section-1/step-2/"
    assert '<link rel="prev" href="/playbook/section-1/step-2/">' in first_of_second
    very_first = client.get("/playbook/section-1/step-1/").content.decode()
    assert link(very_first, "prev") is None
    assert "Step 1 of 2" in very_first


def test_reading_order_goes_through_sub_steps(client, bundled):
    html = client.get("/playbook/implementation/design-service/").content.decode()
    assert link(html, "next") == "/playbook/implementation/design-service/understand-current-service/"
    last_sub = client.get("/playbook/implementation/design-service/test-and-validate/").content.decode()
    assert link(last_sub, "next") == "/playbook/implementation/design-architecture/"
    first_impl = client.get("/playbook/implementation/catalogue-services/").content.decode()
    assert link(first_impl, "prev") == "/playbook/strategy-and-management/transformation-capabilities/"


def test_role_view_lists_every_step_where_the_role_has_work(client, bundled):
    response = client.get("/playbook/roles/solution-architect/")
    assert response.status_code == 200
    html = response.content.decode()
    expected = StepRole.objects.filter(role__slug="solution-architect").select_related("page")
    assert expected.count() >= 3
    for assignment in expected:
        assert assignment.page.url in html
        assert assignment.responsibilities in html
    assert "Catalogue services" not in html  # the architect has no part in step 1
    assert client.get("/playbook/roles/no-such-role/").status_code == 404
    index = client.get("/playbook/roles/").content.decode()
    assert 'href="/playbook/roles/solution-architect/"' in index


def test_step_page_links_each_role_to_its_path(client, bundled):
    html = client.get("/playbook/implementation/design-architecture/").content.decode()
    assert 'href="/playbook/roles/solution-architect/"' in html


def test_print_page_holds_every_step_in_order_without_navigation(client, bundled):
    response = client.get("/playbook/print/")
    assert response.status_code == 200
    html = response.content.decode()
    steps = PlaybookStepPage.objects.live().order_by("path")
    positions = [html.index(f'id="step-{step.pk}"') for step in steps]
    assert positions == sorted(positions)
    assert "Ranked list of priority services" in html and "Cut-over plan" in html
    assert 'class="main-nav"' not in html and "<footer" not in html


def test_steps_are_found_through_search(client, bundled):
    html = client.get("/search/", {"q": "blueprint"}).content.decode()
    assert "Design the future service" in html
    html = client.get("/search/", {"q": "cut-over"}).content.decode()
    assert "Procure and launch services" in html


def grow(playbook, steps_per_section: int) -> None:
    """Add steps to every section until each has `steps_per_section`."""
    role = RoleFactory()
    for section in PlaybookSectionPage.objects.child_of(playbook):
        for n in range(section.get_children().count(), steps_per_section):
            step = PlaybookStepPage(title=f"Extra {n}", slug=f"extra-{n}", number=str(n + 1), summary="More")
            step.deliverables = [Deliverable(title=f"D{d}") for d in range(4)]
            step.role_responsibilities = [StepRole(role=role, responsibilities="Works")]
            section.add_child(instance=step)
            step.save_revision().publish()


def give_progress(user) -> None:
    for deliverable in Deliverable.objects.all()[::2]:
        DeliverableCompletion.objects.get_or_create(user=user, deliverable=deliverable)
    for step in PlaybookStepPage.objects.all()[::3]:
        StepCompletion.objects.get_or_create(user=user, step=step)


def count_queries(client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm the site-root cache
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_query_counts_stay_fixed_as_the_playbook_grows(
    make_playbook, user, user_client, django_assert_max_num_queries
):
    playbook = make_playbook(sections=3, steps=2)
    give_progress(user)
    step_url = "/playbook/section-2/step-1/"
    small = {url: count_queries(user_client, url) for url in ("/playbook/", step_url, "/me/")}

    grow(playbook, 20)
    assert PlaybookStepPage.objects.count() == 60
    give_progress(user)
    assert DeliverableCompletion.objects.filter(user=user).count() > 60
    for url, queries in small.items():
        with django_assert_max_num_queries(queries):
            response = user_client.get(url)
        assert response.status_code == 200
    assert "Section 1: " in user_client.get("/playbook/").content.decode()
