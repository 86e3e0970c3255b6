"""Abuse limits: no reset mail to addresses without an account, a per-address cap on reset mail, and only
the HTTP methods the site uses (405 for OPTIONS, TRACE and the rest)."""

import time
from contextlib import contextmanager
from unittest import mock

import pytest

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"


@contextmanager
def clock():
    """Move time.time() forward (allauth's rate limits and the local-memory cache both read it)."""
    real_time = time.time
    offset = {"seconds": 0.0}
    with mock.patch("time.time", lambda: real_time() + offset["seconds"]):
        yield offset


def ask_for_reset(client, email: str, ip: str = "198.51.100.7"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


# --- password-reset mail ----------------------------------------------------------------------------------


def test_no_reset_mail_goes_to_an_address_without_an_account(client, site, user, mailoutbox):
    unknown = ask_for_reset(client, "nobody@example.org")
    assert mailoutbox == []
    known = ask_for_reset(client, user.email)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [user.email]
    # The answer is the same either way: the form tells nobody whether an address has an account.
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert known["Location"] == "/accounts/password/reset/done/"


def test_reset_mail_to_one_address_is_capped_per_hour(client, site, user, mailoutbox):
    """Three reset mails an hour per address, however slowly and from however many addresses they are
    asked for; allauth's per-minute and per-IP limits stay in front."""
    with clock() as now:
        for n in range(3):
            response = ask_for_reset(client, user.email, ip=f"198.51.100.{n + 1}")
            assert response.status_code == 302
            now["seconds"] += 120
        assert len(mailoutbox) == 3

        refused = ask_for_reset(client, user.email.upper(), ip="203.0.113.9")  # any spelling of it
        assert refused.status_code == 429
        assert len(mailoutbox) == 3

        assert ask_for_reset(client, "someone-else@example.org", ip="203.0.113.9").status_code == 302

        now["seconds"] += 3600
        assert ask_for_reset(client, user.email).status_code == 302
        assert len(mailoutbox) == 4


def test_the_cap_applies_alike_to_unknown_addresses(client, site, mailoutbox):
    """Refusing only known addresses would tell which addresses have an account."""
    with clock() as now:
        for _ in range(3):
            assert ask_for_reset(client, "nobody@example.org").status_code == 302
            now["seconds"] += 120
        assert ask_for_reset(client, "nobody@example.org").status_code == 429
    assert mailoutbox == []


def test_the_refusal_is_a_page_not_an_error(client, site, user):
    with clock() as now:
        for _ in range(3):
            ask_for_reset(client, user.email)
            now["seconds"] += 120
        refused = ask_for_reset(client, user.email)
    assert refused.status_code == 429
    assert "too many" in refused.content.decode().lower()


# --- HTTP methods -----------------------------------------------------------------------------------------

PATHS = ["/", "/fr/", "/accounts/login/", "/community/", "/search/", "/healthz", "/admin/", "/no-such-page/"]


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "PROPFIND", "CONNECT", "BREW"])
@pytest.mark.parametrize("path", PATHS)
def test_methods_the_site_does_not_use_get_405(client, home_page, method, path):
    response = client.generic(method, path)
    assert response.status_code == 405
    allowed = {value.strip() for value in response["Allow"].split(",")}
    assert {"GET", "HEAD", "POST"} <= allowed and method not in allowed
    assert response.content == b""  # TRACE echoes nothing back


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_writing_methods_are_refused_outside_the_admin(client, home_page, method):
    for path in ("/", "/accounts/login/", "/community/", "/fr/"):
        response = client.generic(method, path)
        assert response.status_code == 405, path
        assert response["Allow"] == "GET, HEAD, POST"


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_the_admin_keeps_the_methods_its_scripts_use(client, home_page, method):
    """Wagtail's admin PATCHes dismissible notices and DELETEs preview data: they reach the admin (which
    sends an anonymous visitor to sign in)."""
    response = client.generic(method, "/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_get_head_and_post_keep_working(client, home_page, user):
    assert client.get("/").status_code == 200
    head = client.head("/")
    assert head.status_code == 200
    assert client.head("/healthz").status_code == 200
    response = client.post("/accounts/login/", {"login": user.email, "password": "correct-horse-battery"})
    assert response.status_code == 302


def test_static_files_refuse_other_methods_too(client, home_page, settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve from the apps, as in development
    assert client.get("/static/govlearn/css/govlearn.css").status_code == 200
    assert client.options("/static/govlearn/css/govlearn.css").status_code == 405


def test_a_405_carries_the_security_headers(client, home_page):
    response = client.options("/")
    assert response.status_code == 405
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
