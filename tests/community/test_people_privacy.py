"""A person chooses who sees their organisation and country: everyone, signed-in people, or nobody
(the default: signed-in people). One rule serves the person page, post bylines and organisers' lists."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from community import services
from community.models import Post
from govlearn.models import DetailsVisibility

pytestmark = pytest.mark.django_db

ORGANISATION, COUNTRY = "Revenue Service of Kenya", "Kenya"
# (choice, who looks) → does that viewer see the organisation and country?
CASES = [
    (DetailsVisibility.EVERYONE, "anonymous", True),
    (DetailsVisibility.EVERYONE, "signed-in", True),
    (DetailsVisibility.EVERYONE, "themself", True),
    (DetailsVisibility.MEMBERS, "anonymous", False),
    (DetailsVisibility.MEMBERS, "signed-in", True),
    (DetailsVisibility.MEMBERS, "themself", True),
    (DetailsVisibility.NOBODY, "anonymous", False),
    (DetailsVisibility.NOBODY, "signed-in", False),
    (DetailsVisibility.NOBODY, "themself", True),
]


@pytest.fixture
def person(user_factory, community, add_member):
    someone = user_factory(username="amina", display_name="Amina D.", organisation=ORGANISATION, country="KE")
    add_member(community, someone)
    return someone


@pytest.fixture
def viewer_client(client_for, user_factory, person):
    def make(who: str):
        return client_for({"anonymous": None, "signed-in": user_factory(), "themself": person}[who])

    return make


def _shows_details(html: str) -> bool:
    shown = ORGANISATION in html, COUNTRY in html
    assert shown[0] == shown[1], "organisation and country follow one rule"
    return shown[0]


@pytest.mark.parametrize(("choice", "who", "visible"), CASES)
def test_person_page_shows_organisation_and_country_as_the_person_chose(
    viewer_client, person, choice, who, visible
):
    person.details_visibility = choice
    person.save()
    response = viewer_client(who).get("/community/people/amina/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Amina D." in html and "@amina" in html  # name and handle are always shown
    assert _shows_details(html) is visible


@pytest.mark.parametrize(("choice", "who", "visible"), CASES)
def test_post_byline_shows_organisation_and_country_as_the_person_chose(
    viewer_client, person, community, choice, who, visible
):
    person.details_visibility = choice
    person.save()
    thread = services.start_thread(person, community, "Reconciling payments", "How do you do it?")
    html = viewer_client(who).get(thread.get_absolute_url()).content.decode()
    byline = html[html.index(f'id="post-{thread.first_post_id}-by"') :]
    byline = byline[: byline.index("</p>")]
    assert "Amina D." in byline
    assert _shows_details(byline) is visible


def test_the_person_sees_their_own_choice_and_where_to_change_it(client_for, person):
    html = client_for(person).get("/community/people/amina/").content.decode()
    assert "Who sees your organisation and country: Only people signed in to GovLearn." in html
    assert 'href="/me/profile/"' in html
    other = client_for(None).get("/community/people/amina/").content.decode()
    assert "Who sees your organisation and country" not in other


def test_a_new_account_shows_its_details_to_signed_in_people_by_default(client, site):
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.gov",
            "password1": "a-long-pass-phrase-1",
            "password2": "a-long-pass-phrase-1",
        },
    )
    assert get_user_model().objects.get(email="new@example.gov").details_visibility == "members"
    assert get_user_model()(username="x").details_visibility == DetailsVisibility.MEMBERS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_accounts_get_the_signed_in_default_from_the_migration():
    before = [("govlearn", "0005_user_handle_key_unique")]
    after = [("govlearn", "0006_user_details_visibility")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_user = executor.loader.project_state(before).apps.get_model("govlearn", "User")
    old_user.objects.create(username="veteran", email="veteran@example.org", handle_key="veteran")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    assert get_user_model().objects.get(username="veteran").details_visibility == "members"


def test_profile_form_offers_the_three_choices_with_a_label_and_help(user_client, user):
    html = user_client.get("/me/profile/").content.decode()
    assert "<legend>Who sees your organisation and country" in html
    assert 'aria-describedby="id_details_visibility_helptext"' in html
    assert "Your name, handle and role are always shown" in html
    for value in ("everyone", "members", "nobody"):
        assert f'value="{value}"' in html
    assert 'value="members" id="id_details_visibility_1" checked>' in html  # the default
    data = {"display_name": "Amina W.", "country": "SN", "organisation": "ICT agency"}
    assert user_client.post("/me/profile/", {**data, "details_visibility": "nobody"}).status_code == 302
    user.refresh_from_db()
    assert user.details_visibility == "nobody"
    assert user_client.post("/me/profile/", data).status_code == 302  # not sent: the choice is kept
    user.refresh_from_db()
    assert user.details_visibility == "nobody"
    refused = user_client.post("/me/profile/", {**data, "details_visibility": "the-world"})
    assert refused.status_code == 200 and "Select a valid choice." in refused.content.decode()
    user.refresh_from_db()
    assert user.details_visibility == "nobody"


def test_thread_page_pays_no_query_per_author(client_for, person, community, user_factory, add_member):
    thread = services.start_thread(person, community, "Many voices", "Start")
    client = client_for(person)

    def queries() -> int:
        client.get(thread.get_absolute_url())  # warm the session and caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(thread.get_absolute_url()).status_code == 200
        return len(captured)

    few = queries()
    choices = list(DetailsVisibility.values)
    authors = [user_factory(details_visibility=choices[n % 3]) for n in range(24)]
    Post.objects.bulk_create(
        [Post(thread=thread, author=author, body="r", body_html="<p>r</p>") for author in authors]
    )
    assert queries() == few
