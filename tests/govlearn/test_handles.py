"""Handles people can trust: one handle per canonical form (also in the database), no look-alikes, no
mixed scripts, reserved words kept for the site, URL-safe, and existing accounts canonicalised."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import resolve, reverse
from django.utils.encoding import uri_to_iri

from govlearn.forms import ProfileForm
from govlearn.handles import generate_handle, handle_key
from tests.signing_in import sign_in_with_second_factor

pytestmark = pytest.mark.django_db

User = get_user_model()
URL = "/me/profile/"
fill_migration = importlib.import_module("govlearn.migrations.0004_fill_handle_keys")


def _choose(client, handle: str):
    data = {"display_name": "Amina W.", "username": handle, "country": "SN", "organisation": "ICT agency"}
    return client.post(URL, data)


@pytest.fixture
def alice(user_factory):
    return user_factory(username="alice", display_name="Alice A.")


@pytest.mark.parametrize(
    "handle",
    [
        "ALICE",  # case
        "Alice",
        "ａｌｉｃｅ",  # full-width compatibility forms
        "Ａlice",
    ],
)
def test_a_handle_differing_only_by_case_or_width_is_taken(user_client, user, alice, handle):
    response = _choose(user_client, handle)
    assert response.status_code == 200
    assert "This handle is taken; please choose another." in response.content.decode()
    user.refresh_from_db()
    assert user.handle_key != "alice"


def test_a_compatibility_ligature_makes_the_same_handle(user_client, user, user_factory):
    user_factory(username="effie")
    response = _choose(user_client, "eﬀie")  # U+FB00 LATIN SMALL LIGATURE FF
    assert "This handle is taken" in response.content.decode()


@pytest.mark.parametrize("rival", ["ALICE", "Ａlice", "ａｌｉｃｅ"])
def test_the_database_refuses_a_second_holder_of_the_same_handle(alice, rival):
    """Through the ORM, past every form: the unique key on the canonical form holds."""
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username=rival, email="rival@example.org")
    assert User.objects.with_handles(["alice"]).get() == alice


def test_a_bulk_insert_without_the_key_is_refused_by_the_database(alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(username="bob", email="bob@example.org")])  # key never derived


def test_renaming_through_save_with_update_fields_keeps_the_key_in_step(alice):
    alice.username = "Alice.A"
    alice.save(update_fields=["username"])
    alice.refresh_from_db()
    assert (alice.handle_key, alice.handle_skeleton) == ("alice.a", "alice.a")


def test_cyrillic_a_in_alice_is_refused(user_client, user):
    response = _choose(user_client, "\u0430lice")  # CYRILLIC SMALL LETTER A, then Latin "lice"
    html = response.content.decode()
    assert response.status_code == 200
    assert "Use letters from one alphabet only" in html
    user.refresh_from_db()
    assert user.username != "\u0430lice"


@pytest.mark.parametrize("handle", ["j\u03bfhn", "Олегsmith", "amina\u0663"])  # Greek ο; Cyrillic; Arabic ٣
def test_mixed_script_handles_are_refused(user_client, handle):
    assert "Use letters from one alphabet only" in _choose(user_client, handle).content.decode()


@pytest.mark.parametrize("handle", ["\u0430\u0441\u0435", "\u0408\u043e\u0435"])  # Cyrillic "асе", "Јое"
def test_a_handle_in_another_alphabet_that_reads_as_latin_is_refused(user_client, handle):
    assert "reads as Latin letters" in _choose(user_client, handle).content.decode()


@pytest.mark.parametrize("handle", ["a1ice", "AIice"])  # digit one, capital i: both read as "l"
def test_a_look_alike_of_a_taken_handle_is_refused(user_client, alice, handle):
    html = _choose(user_client, handle).content.decode()
    assert "This handle looks too much like one that is taken" in html


@pytest.mark.parametrize("handle", ["admin", "ADMIN", "Moderator", "govlearn", "rnoderator", "support"])
def test_reserved_words_are_refused(user_client, handle):
    assert "This handle is reserved for the site" in _choose(user_client, handle).content.decode()


@pytest.mark.parametrize(
    "handle",
    [
        "amina@example.gov",
        "amina w",
        "alice.",
        ".alice",
        "a..b",
        "a_-b",
        "ab",
        "x" * 31,
        "ab+c",
        "a/b",
        "a%2Fb",
    ],
)
def test_bad_characters_and_shapes_are_refused_with_the_rule(user_client, user, handle):
    old = user.username
    response = _choose(user_client, handle)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Use 3 to 30 letters or digits for your handle" in html
    assert 'aria-invalid="true"' in html
    user.refresh_from_db()
    assert user.username == old


@pytest.mark.parametrize(
    "handle", ["Олег", "김민수", "田中さん", "Sofía", "jane.doe", "Nguyen_Van-An", "محمد"]
)
def test_handles_in_one_alphabet_are_accepted_and_make_working_addresses(client, user_client, user, handle):
    assert _choose(user_client, handle).status_code == 302
    user.refresh_from_db()
    assert user.username == handle
    url = reverse("community:person", args=[handle])
    match = resolve(uri_to_iri(url))  # as the request handler resolves it
    assert (match.view_name, match.kwargs) == ("community:person", {"username": handle})
    page = client.get(url)
    assert page.status_code == 200
    assert f"@{handle}" in page.content.decode()


def test_full_width_input_is_stored_in_its_plain_form(user_client, user):
    assert _choose(user_client, "Ａmina").status_code == 302
    user.refresh_from_db()
    assert (user.username, user.handle_key) == ("Amina", "amina")


def test_a_person_may_change_the_case_of_their_own_handle(user_client, user_factory):
    person = user_factory(username="kofi")
    user_client.force_login(person)
    assert _choose(user_client, "Kofi").status_code == 302
    person.refresh_from_db()
    assert person.username == "Kofi"


def test_an_existing_handle_that_breaks_todays_rules_is_kept_when_the_profile_is_saved(client, user_factory):
    legacy = user_factory(username="admin+ops")
    client.force_login(legacy)
    assert _choose(client, "admin+ops").status_code == 302
    assert _choose(client, "").status_code == 302
    legacy.refresh_from_db()
    assert legacy.username == "admin+ops"


def test_someone_taking_the_handle_between_check_and_save_gets_a_message_not_an_error(
    user_client, user, monkeypatch
):
    original_save = ProfileForm.save

    def rival_first(self, *args, **kwargs):
        User.objects.create(username="SAMEHANDLE", email="rival@example.org")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(ProfileForm, "save", rival_first)
    response = _choose(user_client, "samehandle")
    assert response.status_code == 200
    assert "This handle is taken; please choose another." in response.content.decode()
    user.refresh_from_db()
    assert user.username != "samehandle"


def test_the_admins_user_form_refuses_a_taken_handle_with_a_message(client, user_factory, alice):
    """Wagtail's user editor bypasses the profile form: it still gets a message, not an IntegrityError."""
    sign_in_with_second_factor(client, user_factory(username="root-admin", is_superuser=True, is_staff=True))
    data = {"username": "ALICE", "email": "rival@example.org", "first_name": "R", "last_name": "V"}
    response = client.post(reverse("wagtailusers_users:add"), data)
    assert response.status_code == 200
    assert "This handle is taken; please choose another." in response.content.decode()
    assert not User.objects.filter(email="rival@example.org").exists()


def test_a_model_clean_reports_a_taken_handle_on_the_username(alice):
    rival = User(username="Ａlice", email="rival@example.org", password="x")
    with pytest.raises(ValidationError) as refusal:
        rival.full_clean()
    assert refusal.value.message_dict["username"] == ["This handle is taken; please choose another."]


def test_the_person_page_answers_at_any_spelling_of_the_handle(client, alice):
    response = client.get("/community/people/ALICE/")
    assert (response.status_code, response["Location"]) == (302, "/community/people/alice/")
    assert client.get("/community/people/%EF%BC%A1lice/")["Location"] == "/community/people/alice/"
    assert client.get("/community/people/alice/").status_code == 200
    assert client.get("/community/people/a1ice/").status_code == 404


def test_a_generated_handle_avoids_taken_and_look_alike_handles(user_factory, monkeypatch):
    user_factory(username="member-1a2b3c")
    user_factory(username="member-la2b3d")
    tokens = iter(["1a2b3c", "1a2b3d", "0a0a0a"])
    monkeypatch.setattr("govlearn.handles.secrets.token_hex", lambda n: next(tokens))
    assert generate_handle() == "member-0a0a0a"


def test_sign_up_stores_the_key_of_the_generated_handle(client, site):
    client.post(
        "/accounts/signup/",
        {
            "email": "kofi@example.gov",
            "password1": "a-long-pass-phrase-1",
            "password2": "a-long-pass-phrase-1",
        },
    )
    person = User.objects.get(email="kofi@example.gov")
    assert person.handle_key == handle_key(person.username) != ""


# --- the data migration ---------------------------------------------------------------------------------


def _legacy(username: str, n: int) -> User:
    """An account as it was before handle keys: written past save(), with a placeholder key."""
    return User.objects.bulk_create(
        [User(username=username, email=f"legacy{n}@example.org", handle_key=f"legacy-{n}")]
    )[0]


def test_the_migration_canonicalises_existing_handles_and_renames_later_duplicates():
    first = _legacy("Alice", 1)
    second = _legacy("ALICE", 2)
    third = _legacy("ａｌｉｃｅ", 3)
    squatter = _legacy("alice-2", 4)  # the first free suffix is someone's already
    other = _legacy("Kofi", 5)

    fill_migration.canonicalise_handles(django_apps, None)

    names = dict(User.objects.values_list("pk", "username"))
    keys = dict(User.objects.values_list("pk", "handle_key"))
    assert names[first.pk] == "Alice" and keys[first.pk] == "alice"  # the earliest keeps it
    assert names[squatter.pk] == "alice-2" and keys[squatter.pk] == "alice-2"
    assert (names[second.pk], keys[second.pk]) == ("ALICE-3", "alice-3")
    assert (names[third.pk], keys[third.pk]) == ("ａｌｉｃｅ-4", "alice-4")
    assert (names[other.pk], keys[other.pk]) == ("Kofi", "kofi")
    assert User.objects.get(pk=first.pk).handle_skeleton == "alice"
    assert len(set(keys.values())) == len(keys)


def test_the_migration_is_deterministic_and_a_second_run_changes_nothing():
    _legacy("Amina", 1)
    _legacy("AMINA", 2)
    fill_migration.canonicalise_handles(django_apps, None)
    before = list(User.objects.order_by("pk").values_list("username", "handle_key", "handle_skeleton"))
    fill_migration.canonicalise_handles(django_apps, None)
    assert (
        list(User.objects.order_by("pk").values_list("username", "handle_key", "handle_skeleton")) == before
    )
