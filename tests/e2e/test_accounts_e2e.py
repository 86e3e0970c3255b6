"""In a real browser: a person signs up, verifies their e-mail and fills their profile; phones fit."""

import re

import pytest
from django.core import mail

from tests.e2e.conftest import assert_stylesheet_loaded
from tests.factories import RoleFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def test_sign_up_verify_email_and_fill_profile(page):
    from govlearn.models import User

    RoleFactory(name="Service designer", group="Design")
    page.goto("/accounts/signup/")
    assert_stylesheet_loaded(page)
    page.fill("input[name=email]", "amina@example.gov")
    page.fill("input[name=password1]", "a-long-Secret-phrase-42")
    page.fill("input[name=password2]", "a-long-Secret-phrase-42")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amina@example.gov"]
    link = CONFIRM_LINK.search(message.body).group(0)
    assert link.startswith(page.url.split("/accounts/")[0])  # the link points at this site

    page.goto(link)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/confirm-email/" not in url)
    assert User.objects.get(email="amina@example.gov").emailaddress_set.get().verified
    assert page.locator(".account-nav").get_by_role("link", name="Sign out").is_visible()

    page.goto("/me/profile/")
    page.get_by_label("Display name").fill("Amina Diallo")
    page.get_by_label("Country").select_option("SN")
    page.get_by_label("Organisation").fill("Ministère de l'Économie numérique")
    page.get_by_label("Role in the digital team").select_option(label="Service designer")
    page.get_by_role("button", name="Save profile").click()

    page.wait_for_load_state()
    assert page.locator(".messages").inner_text().strip() == "Your profile has been saved."
    assert page.get_by_label("Display name").input_value() == "Amina Diallo"
    assert page.get_by_label("Country").input_value() == "SN"
    assert page.get_by_label("Organisation").input_value() == "Ministère de l'Économie numérique"
    person = User.objects.get(email="amina@example.gov")
    assert (person.display_name, person.country.code, person.team_role.name) == (
        "Amina Diallo",
        "SN",
        "Service designer",
    )
    assert page.console_errors == []


def test_home_page_fits_a_phone_and_starts_with_the_skip_link(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    assert_stylesheet_loaded(page)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"horizontal scroll at phone width: {widths}"

    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.textContent]")
    assert focused == ["skip-link", "Skip to main content"]
    assert page.locator(".skip-link").is_visible()  # shown once focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    assert page.console_errors == []
