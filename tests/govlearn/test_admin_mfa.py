"""The Wagtail admin is reached only through allauth's sign-in, so a second factor, once set up, applies."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def current_code(secret: str) -> str:
    """The code an authenticator app shows right now (the middle of allauth's tolerance window)."""
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


@pytest.fixture
def staff_with_totp(user_factory, site):
    staff = user_factory(is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    return staff, secret


def _is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_admin_login_url_never_logs_anyone_in(client, staff_with_totp):
    staff, _secret = staff_with_totp
    response = client.post("/admin/login/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not _is_logged_in(client)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_admin_login_redirect_keeps_only_local_next(client, site):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"


def test_password_alone_does_not_open_the_admin_when_totp_is_set_up(client, staff_with_totp):
    staff, secret = staff_with_totp
    response = client.post("/accounts/login/?next=/admin/", {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not _is_logged_in(client)
    assert client.get("/admin/").status_code == 302

    page = client.get("/accounts/2fa/authenticate/")
    assert page.status_code == 200
    assert '<label for="id_code">' in page.content.decode()

    response = client.post(
        "/accounts/2fa/authenticate/", {"code": "000000" if current_code(secret) != "000000" else "111111"}
    )
    assert response.status_code == 200
    assert not _is_logged_in(client)
    assert client.get("/admin/").status_code == 302

    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert _is_logged_in(client)
    assert client.get("/admin/").status_code == 200


def test_a_used_totp_code_cannot_be_replayed(client, staff_with_totp):
    staff, secret = staff_with_totp
    code = current_code(secret)
    client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert _is_logged_in(client)

    other = client.__class__()
    other.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    response = other.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert not _is_logged_in(other)


def test_a_recovery_code_is_accepted_once(client, staff_with_totp):
    staff, _secret = staff_with_totp
    codes = RecoveryCodes.activate(staff).get_unused_codes()
    client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert _is_logged_in(client)
    assert client.get("/admin/").status_code == 200
    assert (
        codes[0]
        not in RecoveryCodes(Authenticator.objects.get(user=staff, type="recovery_codes")).get_unused_codes()
    )


def test_a_user_without_admin_access_gets_no_admin(client, user_factory, site):
    person = user_factory()
    client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert _is_logged_in(client)
    # Sent to the sign-in page with a clear message, not around a redirect loop, and never into the admin.
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    html = response.content.decode()
    assert "You do not have permission to access the admin." in html
    assert "You are signed in as" in html
    assert 'href="/admin/"' not in client.get("/").content.decode()  # no admin link in the header
