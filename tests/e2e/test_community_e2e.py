"""In a real browser: one person joins and asks, another answers, the first is notified and accepts."""

import pytest

from tests.e2e.conftest import axe_check

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "a-long-Secret-phrase-42"


def _person(username: str, display_name: str):
    from allauth.account.models import EmailAddress

    from tests.factories import UserFactory

    person = UserFactory(username=username, display_name=display_name, email=f"{username}@example.gov")
    person.set_password(PASSWORD)
    person.save()
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return person


def _sign_in(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_ask_answer_notify_accept(page):
    from community.models import Community, Thread

    Community.objects.create(name="Payments", slug="payments", description="Moving money in public services.")
    _person("amina", "Amina Diallo")
    _person("kofi", "Kofi Mensah")

    _sign_in(page, "amina@example.gov")
    page.goto("/community/")
    page.get_by_role("link", name="Payments").click()
    page.get_by_role("button", name="Join community").click()
    page.get_by_role("link", name="Start a thread").click()
    page.get_by_label("Title").fill("How do you reconcile mobile money?")
    page.get_by_label("Message").fill("We get a daily file from each operator. **How** do you match it?")
    page.get_by_role("button", name="Post thread").click()
    page.wait_for_url("**/community/payments/t/**")
    axe_check(page)

    _sign_in(page, "kofi@example.gov")
    page.goto("/community/payments/")
    axe_check(page)
    page.get_by_role("button", name="Join community").click()
    page.get_by_role("link", name="How do you reconcile mobile money?").click()
    page.get_by_label("Your reply").fill("Match on the operator reference, @amina, then on amount and date.")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_load_state()
    assert page.locator(".post").count() == 2

    _sign_in(page, "amina@example.gov")
    page.get_by_role("link", name="Notifications (1 unread)").click()
    page.get_by_role("link", name="Kofi Mensah mentioned you in “How do you reconcile mobile money?”").click()
    page.get_by_role("button", name="Accept as answer").click()
    page.wait_for_load_state()
    assert page.locator(".accepted-answer").is_visible()
    thread = Thread.objects.get()
    assert thread.accepted_post.author.username == "kofi"
    axe_check(page)
    assert page.console_errors == []
