"""The profile at /me/profile/: only one's own, validated with clear messages, switches the language."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from tests.factories import RoleFactory

pytestmark = pytest.mark.django_db

URL = "/me/profile/"


def _data(**overrides) -> dict:
    data = {
        "display_name": "Amina W.",
        "country": "SN",
        "organisation": "Ministry of Digital Economy",
        "team_role": "",
        "team_role_other": "",
        "preferred_language": "",
    }
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_sign_in(client, site):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"
    assert client.post(URL, _data())["Location"].startswith("/accounts/login/")


def test_profile_form_shows_current_values_with_labels(user_client, user):
    response = user_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{user.display_name}"' in html
    for name in (
        "display_name",
        "country",
        "organisation",
        "team_role",
        "team_role_other",
        "preferred_language",
    ):
        assert f'<label for="id_{name}">' in html
    assert '<option value="KE" selected>' in html  # the ISO country list from django-countries


def test_edit_saves(user_client, user):
    role = RoleFactory(name="Service designer")
    response = user_client.post(URL, _data(team_role=str(role.pk)))
    assert response.status_code == 302
    assert response["Location"] == URL
    user.refresh_from_db()
    assert user.display_name == "Amina W."
    assert user.country.code == "SN"
    assert user.organisation == "Ministry of Digital Economy"
    assert user.team_role == role
    assert user.role_label == "Service designer"
    follow = user_client.get(URL)
    assert "Your profile has been saved." in follow.content.decode()


def test_display_name_is_required_and_never_an_email_address(user_client, user):
    old_name = user.display_name
    response = user_client.post(
        URL, _data(display_name="amina@example.org", organisation="Senegal ICT agency")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please do not use an e-mail address as your display name." in html
    assert 'aria-invalid="true"' in html and 'id="id_display_name_error"' in html
    # Nothing the person typed is lost.
    assert 'value="amina@example.org"' in html
    assert 'value="Senegal ICT agency"' in html
    assert '<option value="SN" selected>' in html
    user.refresh_from_db()
    assert user.display_name == old_name

    response = user_client.post(URL, _data(display_name="   "))
    assert response.status_code == 200
    assert 'id="id_display_name_error"' in response.content.decode()


def test_unknown_choices_are_refused_clearly(user_client, user):
    response = user_client.post(URL, _data(country="XX", team_role="999999", preferred_language="tlh"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("country", "team_role", "preferred_language"):
        assert f'id="id_{name}_error"' in html
    assert "Please correct the errors below." in html


def test_other_role_is_kept_only_when_no_role_is_chosen(user_client, user):
    role = RoleFactory(name="Product owner")
    user_client.post(URL, _data(team_role=str(role.pk), team_role_other="Chief digital officer"))
    user.refresh_from_db()
    assert user.team_role == role
    assert user.team_role_other == ""

    user_client.post(URL, _data(team_role="", team_role_other="  Chief   digital officer "))
    user.refresh_from_db()
    assert user.team_role is None
    assert user.team_role_other == "Chief digital officer"
    assert user.role_label == "Chief digital officer"

    user_client.post(URL, _data())
    user.refresh_from_db()
    assert user.team_role is None and user.team_role_other == ""


def test_preferred_language_switches_the_site(user_client, user):
    response = user_client.post(URL, _data(preferred_language="fr"))
    assert response.status_code == 302
    assert response["Location"] == "/fr/me/profile/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    user.refresh_from_db()
    assert user.preferred_language == "fr"
    page = user_client.get("/fr/me/profile/")
    assert '<html lang="fr"' in page.content.decode()


def test_a_user_can_only_edit_their_own_profile(user_client, user, user_factory):
    other = user_factory(display_name="Other person")
    response = user_client.post(
        URL,
        _data(id=str(other.pk), pk=str(other.pk), email="x@example.org", is_staff="on"),
    )
    assert response.status_code == 302
    other.refresh_from_db()
    user.refresh_from_db()
    assert other.display_name == "Other person"
    assert user.display_name == "Amina W."
    assert user.email != "x@example.org"
    assert not user.is_staff
    # There is no URL to reach anyone else's profile.
    assert user_client.get(f"/me/profile/{other.pk}/").status_code == 404


def test_a_new_account_gets_a_handle_that_does_not_reveal_the_email_address(client, site):
    client.post(
        "/accounts/signup/",
        {
            "email": "amina.diallo@example.gov",
            "password1": "a-long-pass-phrase-1",
            "password2": "a-long-pass-phrase-1",
        },
    )
    person = get_user_model().objects.get(email="amina.diallo@example.gov")
    assert person.username.startswith("member-")
    assert "amina" not in person.username.lower()


def test_the_handle_can_be_changed_but_not_to_a_taken_or_malformed_one(user_client, user, user_factory):
    other = user_factory(username="kofi")
    refused = user_client.post(URL, _data(username="KOFI"))
    assert refused.status_code == 200
    assert "This handle is taken" in refused.content.decode()
    malformed = user_client.post(URL, _data(username="amina@example.gov"))
    assert "no spaces, no @" in malformed.content.decode()
    user.refresh_from_db()
    assert user.username != other.username
    assert user_client.post(URL, _data(username="amina.w")).status_code == 302
    user.refresh_from_db()
    assert user.username == "amina.w"
