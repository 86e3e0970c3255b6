"""Staff policy: the admin opens only to people who have a second factor and used it to sign in; the others
get a page that explains why and how to set one up. On by default outside debug, with a switch to turn
it off."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission

from tests.govlearn.envs import PRODUCTION_ENV, settings_values
from tests.govlearn.test_admin_mfa import current_code
from tests.govlearn.test_security_headers import inline_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
EXPLANATION = "Set up two-factor authentication to use the admin"


@pytest.fixture
def superuser(user_factory, site):
    return user_factory(username="chief", is_staff=True, is_superuser=True)


@pytest.fixture
def editor(user_factory, site):
    """Admin access through the Editors group, as `setup_site` grants it: not a superuser."""
    person = user_factory(username="editor")
    person.groups.add(Group.objects.get(name="Editors"))
    return person


def sign_in_with_password(client, person):
    """allauth's real sign-in form; for someone without a second factor, the password is all it asks."""
    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    return client


@pytest.mark.parametrize("who", ["superuser", "editor"])
def test_staff_without_a_second_factor_get_the_explanation_not_the_admin(client, who, request):
    person = request.getfixturevalue(who)
    sign_in_with_password(client, person)
    for path in ("/admin/", "/admin/pages/", "/admin/snippets/content/role/"):
        response = client.get(path)
        assert response.status_code == 403, path
        html = response.content.decode()
        assert f"<h1>{EXPLANATION}</h1>" in html
        assert 'href="/accounts/2fa/totp/activate/"' in html
        assert 'href="/accounts/2fa/"' in html
        assert f'href="{path}"' in html  # back to where they were going, once it is set up
        assert 'class="skip-link"' in html and 'id="main"' in html  # GovLearn's layout, not the admin's
        assert inline_code(html) == []


def test_the_admin_refuses_changes_from_staff_without_a_second_factor(client, superuser):
    sign_in_with_password(client, superuser)
    response = client.post("/admin/snippets/content/role/add/", {"name": "Sneaky", "slug": "sneaky"})
    assert response.status_code == 403
    from content.models import Role

    assert not Role.objects.filter(slug="sneaky").exists()


def test_the_explanation_speaks_the_persons_language(client, superuser, settings):
    """The admin's URLs have no language prefix: the page follows the profile, else the language cookie
    (set by the footer switcher), else the browser."""
    sign_in_with_password(client, superuser)
    assert '<html lang="en"' in client.get("/admin/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get("/admin/")
    assert '<html lang="fr"' in response.content.decode()
    assert response["Content-Language"] == "fr"
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert '<html lang="fr"' in client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    superuser.preferred_language = "en"
    superuser.save()
    assert '<html lang="en"' in client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_staff_who_signed_in_with_their_second_factor_open_the_admin(client, superuser):
    secret = generate_totp_secret()
    TOTP.activate(superuser, secret)
    response = client.post("/accounts/login/?next=/admin/", {"login": superuser.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pages/").status_code == 200


def test_a_session_signed_in_without_the_second_factor_is_asked_for_it(client, editor):
    """Signed in with a password, then an authenticator app set up: the admin wants a code from it first
    (allauth's MFA reauthentication), then opens."""
    sign_in_with_password(client, editor)
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)
    response = client.get("/admin/pages/?p=1")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2Fpages%2F%3Fp%3D1"
    assert client.get("/admin/").status_code == 302  # still no way round it

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()
    wrong = "000000" if current_code(secret) != "000000" else "111111"
    assert client.post(response["Location"], {"code": wrong}).status_code == 200
    assert client.get("/admin/").status_code == 302

    done = client.post(response["Location"], {"code": current_code(secret)})
    assert done.status_code == 302
    assert done["Location"] == "/admin/pages/?p=1"
    assert client.get("/admin/").status_code == 200


def test_someone_with_only_a_security_key_is_asked_for_the_key(client, editor):
    sign_in_with_password(client, editor)
    Authenticator.objects.create(user=editor, type=Authenticator.Type.WEBAUTHN, data={"name": "Key"})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/webauthn/reauthenticate/?next=%2Fadmin%2F"


def test_recovery_codes_alone_are_not_a_second_factor(client, editor):
    sign_in_with_password(client, editor)
    Authenticator.objects.create(user=editor, type=Authenticator.Type.RECOVERY_CODES, data={})
    assert client.get("/admin/").status_code == 403


def test_staff_can_always_sign_out(client, superuser):
    sign_in_with_password(client, superuser)
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_people_without_admin_access_are_left_to_wagtail(client, user_factory, site):
    person = user_factory(username="learner")
    sign_in_with_password(client, person)
    response = client.get("/admin/")
    assert response.status_code == 302  # Wagtail's own refusal: to the sign-in page with a message
    assert response["Location"].startswith("/accounts/login/")
    person.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert client.get("/admin/").status_code == 403  # admin access: the policy applies


def test_the_policy_leaves_the_rest_of_the_site_alone(client, superuser):
    sign_in_with_password(client, superuser)
    for path in ("/", "/me/", "/accounts/2fa/", "/fr/accounts/2fa/"):
        assert client.get(path).status_code == 200, path
    # Setting up the app is allauth's flow, which first asks for the password again.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"] == "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"


def test_with_the_policy_off_staff_open_the_admin_with_a_password(client, superuser, settings):
    settings.STAFF_MFA_REQUIRED = False
    sign_in_with_password(client, superuser)
    assert client.get("/admin/").status_code == 200


def test_the_policy_is_on_in_the_test_settings(settings):
    assert settings.STAFF_MFA_REQUIRED is True


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({**PRODUCTION_ENV}, True),
        ({**PRODUCTION_ENV, "STAFF_MFA_REQUIRED": "0"}, False),
        ({"DJANGO_DEBUG": "1"}, False),
        ({"DJANGO_DEBUG": "1", "STAFF_MFA_REQUIRED": "1"}, True),
    ],
)
def test_the_policy_is_on_outside_debug_unless_turned_off(environment, expected):
    assert settings_values(["STAFF_MFA_REQUIRED"], **environment)["STAFF_MFA_REQUIRED"] is expected
