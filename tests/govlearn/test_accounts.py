"""Accounts through allauth: sign-up with e-mail verification, sign-in and out, password reset, e-mail change,
rate limits, single sign-on visibility, and allauth's pages rendered in the GovLearn layout."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _first_link(body: str) -> str:
    match = re.search(r"https?://testserver(/\S+)", body)
    assert match, body
    return match.group(1)


def _is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_signup_requires_email_verification_before_login(client, site, mailoutbox, settings):
    assert settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"
    response = client.post(
        "/accounts/signup/",
        {"email": "amina@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert not _is_logged_in(client)
    user = get_user_model().objects.get(email="amina@example.org")
    assert not EmailAddress.objects.get(user=user).verified

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["amina@example.org"]
    assert mail.subject.startswith("[GovLearn] ")
    confirm_url = _first_link(mail.body)

    # Before verification, signing in is refused and leads back to the verification-sent page.
    fresh = client.__class__()
    response = fresh.post("/accounts/login/", {"login": "amina@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert not _is_logged_in(fresh)

    # Opening the link only shows a confirmation form (ACCOUNT_CONFIRM_EMAIL_ON_GET is off) …
    response = client.get(confirm_url)
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert not EmailAddress.objects.get(user=user).verified
    # … posting it verifies the address.
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    response = fresh.post("/accounts/login/", {"login": "amina@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _is_logged_in(fresh)


def test_signup_errors_are_shown_beside_the_fields(client, site):
    response = client.post(
        "/accounts/signup/", {"email": "not-an-email", "password1": PASSWORD, "password2": "different-one"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_email_error"' in html
    assert (
        'aria-describedby="id_email_error"' in html
        or 'aria-describedby="id_email_helptext id_email_error"' in html
    )
    assert 'aria-invalid="true"' in html
    assert 'value="not-an-email"' in html  # nothing typed is lost


def test_login_and_logout_with_post_confirmation(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert _is_logged_in(client)

    response = client.get("/accounts/logout/")
    assert response.status_code == 200  # a confirmation page, not a logout on GET
    assert _is_logged_in(client)
    assert 'method="post"' in response.content.decode()

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not _is_logged_in(client)


def test_wrong_password_is_refused_with_a_message(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": "wrong-password-1"})
    assert response.status_code == 200
    assert not _is_logged_in(client)
    assert 'class="message message--error" role="alert"' in response.content.decode()


def test_repeated_failed_logins_are_rate_limited(client, user):
    """ACCOUNT_RATE_LIMITS["login_failed"] allows 5 failures per account in 5 minutes."""
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": user.email, "password": "wrong-password-1"})
        assert response.status_code == 200
        assert "Too many failed login attempts" not in response.content.decode()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert not _is_logged_in(client)  # even the right password is refused now


def test_password_reset_sends_a_working_link(client, user, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    reset_url = _first_link(mailoutbox[0].body)
    response = client.get(reset_url)
    assert response.status_code == 302  # allauth moves the key into the session
    form_url = response["Location"]
    new_password = "a-brand-new-passphrase"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_reset_for_unknown_address_reveals_nothing(client, site, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"


def test_change_email_sends_verification_to_the_new_address(user_client, user, mailoutbox):
    response = user_client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new@example.org"]
    # Until confirmed, the old address stays the one that counts.
    user.refresh_from_db()
    assert user.email != "new@example.org"
    confirm_url = _first_link(mailoutbox[0].body)
    user_client.post(confirm_url)
    user.refresh_from_db()
    assert user.email == "new@example.org"
    assert EmailAddress.objects.get(user=user, email="new@example.org").verified


def test_account_pages_render_in_our_layout_without_inline_code(client, user, site):
    pages = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
    for url in pages:
        _assert_our_layout(client.get(url), url)
    client.force_login(user)
    # Activating an authenticator asks for the password again first.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    _assert_our_layout(client.get(response["Location"]), "/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    manage = [
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/accounts/logout/",
    ]
    for url in manage:
        _assert_our_layout(client.get(url), url)


def _assert_our_layout(response, url: str) -> None:
    assert response.status_code == 200, url
    html = response.content.decode()
    assert 'class="skip-link"' in html, url
    assert "govlearn/css/govlearn.css" in html, url
    assert "style=" not in html, url
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
    # Every visible input has a label.
    ids = re.findall(r'<input(?![^>]*type="(?:hidden|submit)")[^>]*\bid="([^"]+)"', html)
    for input_id in ids:
        assert f'for="{input_id}"' in html, (url, input_id)


def test_login_form_has_visible_labels_and_styled_button(client, site):
    html = client.get("/accounts/login/").content.decode()
    assert '<label for="id_login">' in html
    assert '<label for="id_password">' in html
    assert '<button class="button"' in html


def test_single_sign_on_is_hidden_when_unconfigured(client, site, settings):
    assert settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] == []
    html = client.get("/accounts/login/").content.decode()
    assert "provider-list" not in html
    assert "/accounts/oidc/" not in html


def test_single_sign_on_button_shows_when_configured(client, site, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "national-id",
                    "name": "Republic eID",
                    "client_id": "govlearn",
                    "secret": "s3cret",
                    "settings": {"server_url": "https://id.example.gov"},
                }
            ],
        }
    }
    html = client.get("/accounts/login/").content.decode()
    assert 'class="provider-list"' in html
    assert "Continue with Republic eID" in html
    assert 'href="/accounts/oidc/national-id/login/' in html
    # Following the link first asks for a POST (no sign-in flow starts on a bare GET), in our layout.
    response = client.get("/accounts/oidc/national-id/login/?process=login")
    _assert_our_layout(response, "oidc login")
    assert "Republic eID" in response.content.decode()
