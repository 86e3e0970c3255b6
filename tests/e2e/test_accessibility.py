"""In a real browser: the public pages pass axe (no serious or critical issue) and focus stays visible."""

import pytest

from tests.e2e.conftest import assert_stylesheet_loaded, axe_check

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_public_pages_have_no_serious_accessibility_violations(page):
    for path in ("/", "/accounts/login/", "/accounts/signup/", "/search/?q=digital"):
        page.goto(path)
        assert page.locator("main h1").count() == 1, path
        axe_check(page)
    # The search above found the home page: the results list was checked, not an empty page.
    assert page.locator(".results .result").count() >= 1
    assert page.console_errors == []

    # The check itself bites: an unlabelled button and an image without alt text are reported.
    page.evaluate(
        "() => document.querySelector('main').insertAdjacentHTML('beforeend',"
        " '<button></button><img src=\"/static/govlearn/favicon.svg\">')"
    )
    with pytest.raises(pytest.fail.Exception, match=r"button-name \(critical\)[\s\S]*image-alt"):
        axe_check(page)


def outline_of(page) -> dict:
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return {id: document.activeElement.id, tag: document.activeElement.tagName,"
        " style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor}; }"
    )


def test_keyboard_focus_is_visible(page):
    page.goto("/")
    assert_stylesheet_loaded(page)
    page.focus("#site-search-q")
    focused = outline_of(page)
    assert focused["id"] == "site-search-q"
    assert focused["style"] != "none" and focused["width"] >= 2, focused
    page.keyboard.press("Tab")  # on to the search button, by keyboard
    focused = outline_of(page)
    assert focused["tag"] == "BUTTON"
    assert focused["style"] != "none" and focused["width"] >= 2, focused
