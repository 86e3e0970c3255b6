"""In a real browser: a person registers for a workshop, finds it on /me/, and cancels; axe on both pages."""

import re

import pytest

from tests.e2e.conftest import axe_check

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CLINIC = "/workshops/identity-clinic/"


@pytest.fixture
def loaded_workshops(live_site):
    from community.loading import load_communities
    from content.loading import LoadReport, load_taxonomies
    from workshops.loading import load_workshops

    report = LoadReport()
    load_taxonomies(report)
    load_communities(report)  # the workshops name their communities
    load_workshops(report)


def test_register_see_on_me_and_cancel(page, loaded_workshops, user_factory):
    from workshops.models import Registration

    person = user_factory(password="a-long-Secret-phrase-42")
    page.goto("/workshops/")
    axe_check(page)
    # The reader's own time was rewritten by the script from the UTC fallback.
    assert "(UTC+00:00)" not in page.locator("time[data-local-time]").first.inner_text()
    page.get_by_role("link", name="Identity building block clinic").click()
    page.wait_for_url(re.compile(re.escape(CLINIC) + "$"))
    axe_check(page)
    assert "meet.example.org" not in page.locator("main").inner_text()
    page.locator("main").get_by_role("link", name="Sign in to register").click()
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", "a-long-Secret-phrase-42")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(CLINIC) + "$"))

    with page.expect_navigation():
        page.get_by_role("button", name="Register").click()
    assert "You are registered." in page.locator(".messages").inner_text()
    main = page.locator("main")
    assert "You are registered" in main.inner_text()
    assert "meet.example.org/govlearn-identity-clinic" in main.inner_text()
    axe_check(page)

    page.goto("/me/")
    panel = page.locator("section", has=page.get_by_role("heading", name="My upcoming workshops"))
    assert "Identity building block clinic" in panel.inner_text()
    panel.get_by_role("link", name="Identity building block clinic").click()

    with page.expect_navigation():
        page.get_by_role("button", name="Cancel my registration").click()
    assert "Your registration is cancelled." in page.locator(".messages").inner_text()
    assert page.get_by_role("button", name="Register").is_visible()
    assert not Registration.objects.active().filter(user=person).exists()
    assert page.console_errors == []
