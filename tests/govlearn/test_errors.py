"""Error pages: our 403/404 templates with the right status, and a 500 page that needs no database."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import path

import govlearn.urls
from govlearn import errors


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("boom")


# This module doubles as a URLconf: the real site plus two views that fail on purpose.
handler403 = govlearn.urls.handler403
handler404 = govlearn.urls.handler404
handler500 = govlearn.urls.handler500
urlpatterns = [
    path("test-forbidden/", _forbidden),
    path("test-broken/", _broken),
    *govlearn.urls.urlpatterns,
]


def test_the_site_uses_our_handlers():
    assert govlearn.urls.handler400 == "govlearn.errors.bad_request"
    assert govlearn.urls.handler403 == "govlearn.errors.permission_denied"
    assert govlearn.urls.handler404 == "govlearn.errors.page_not_found"
    assert govlearn.urls.handler500 == "govlearn.errors.server_error"


@pytest.mark.django_db
def test_unknown_page_gives_our_404(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert 'href="/search/"' in html
    assert 'id="main"' in html  # the full layout, with navigation


@pytest.mark.django_db
def test_unknown_page_in_french_gives_a_french_404(client, home_page):
    response = client.get("/fr/page-inconnue/")
    assert response.status_code == 404
    assert 'lang="fr"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_permission_denied_gives_our_403(client, home_page, settings):
    assert settings.DEBUG is False
    response = client.get("/test-forbidden/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You do not have access to this page" in html
    assert 'id="main"' in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_an_unexpected_error_gives_our_500(client, home_page):
    client.raise_request_exception = False
    response = client.get("/test-broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "boom" not in html and "Traceback" not in html


def test_the_500_page_renders_without_the_database():
    """No django_db mark: pytest-django makes any database access here an error."""
    response = errors.server_error(RequestFactory().get("/courses/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>")
    assert "Something went wrong on our side" in html
    assert "/static/govlearn/css/govlearn.css" in html
    assert 'id="main"' in html and "<title>" in html


def test_the_500_page_needs_no_database_even_when_one_is_configured(django_db_blocker):
    from unittest import mock

    from django.db import OperationalError, connection

    with django_db_blocker.unblock(), mock.patch.object(connection, "cursor", side_effect=OperationalError):
        response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_the_500_page_has_no_inline_script_or_style():
    html = errors.server_error(RequestFactory().get("/")).content.decode()
    assert "<script" not in html and "style=" not in html and "<style" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/community/people/a%00b/", None),
        ("get", "/search/", {"q": "identity\x00"}),
        ("post", "/accounts/login/", {"login": "a\x00@example.org", "password": "x"}),
        ("post", "/accounts/login/", {"log\x00in": "x"}),
    ],
)
def test_a_nul_character_anywhere_in_a_request_is_a_clear_400(client, home_page, method, url, data):
    """PostgreSQL cannot store NUL: refused at the door, with our page, instead of a DataError (a 500)."""
    response = getattr(client, method)(url, data or {})
    assert response.status_code == 400
    assert b"Something in that request was wrong" in response.content


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), (" 7 ", 7), ("0", None), ("-1", None), ("", None), (None, None), ("1e3", None),
     ("\u0661\u0662", None), ("9" * 19, None), ("9" * 18, int("9" * 18)), ("x", None)],
)  # fmt: skip
def test_ids_from_forms_parse_strictly(raw, expected):
    from content.ids import parse_id

    assert parse_id(raw) == expected
