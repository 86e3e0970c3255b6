"""In a real browser: a person signs in, ticks deliverables on step 1 and sees the progress everywhere."""

import re

import pytest

from tests.e2e.conftest import axe_check

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STEP_1 = "/playbook/implementation/catalogue-services/"


@pytest.fixture
def loaded_playbook(live_site):
    from content.loading import LoadReport, load_taxonomies
    from playbook.loading import load_playbook

    report = LoadReport()
    load_taxonomies(report)
    load_playbook(report)


def test_tick_deliverables_and_see_progress(page, loaded_playbook, user_factory):
    from playbook.models import DeliverableCompletion

    person = user_factory(password="a-long-Secret-phrase-42")
    page.goto(STEP_1)
    axe_check(page)
    page.locator("main").get_by_role("link", name="Sign in to tick off deliverables").click()
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", "a-long-Secret-phrase-42")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(STEP_1) + "$"))

    summary = page.locator("[data-progress-summary]")
    assert summary.inner_text() == "0 of 3 deliverables done"
    assert page.locator(".tick-form__save").first.is_hidden()  # JavaScript took over the Save buttons
    page.get_by_label("Service catalogue mapped to life events").check()
    page.wait_for_function(
        "() => document.querySelector('[data-progress-summary]').textContent.startsWith('1 ')"
    )
    page.get_by_label("Service information sheet standard").check()
    page.wait_for_function(
        "() => document.querySelector('[data-progress-summary]').textContent.startsWith('2 ')"
    )
    assert page.url.endswith(STEP_1)  # no reload, no redirect
    assert DeliverableCompletion.objects.filter(user=person).count() == 2
    axe_check(page)

    page.goto("/playbook/")
    assert "Implementation: 2 of " in page.locator("main").inner_text()
    axe_check(page)
    page.goto("/me/")
    assert "2 of " in page.locator("main").inner_text()
    page.reload()
    page.goto(STEP_1)
    assert page.get_by_label("Service catalogue mapped to life events").is_checked()
    assert page.console_errors == []
