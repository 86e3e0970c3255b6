"""The Communities and Memberships screens in the Wagtail admin: editors manage them, others are refused."""

import pytest
from django.contrib.auth.models import Group

from community.models import Community, Membership, MembershipRole, Status, Visibility
from tests.signing_in import sign_in_with_second_factor

pytestmark = pytest.mark.django_db

COMMUNITIES = "/admin/snippets/community/community/"
MEMBERSHIPS = "/admin/snippets/community/membership/"


@pytest.fixture
def staff_editor(site, user_factory):
    """A person in the Editors group, as `setup_site` grants it."""
    person = user_factory(username="page-editor", display_name="Page Editor")
    person.groups.add(Group.objects.get(name="Editors"))
    return person


def community_form(**fields) -> dict:
    data = {
        "name": "Digital payments",
        "slug": "digital-payments",
        "description": "Paying and being paid by government.",
        "visibility": Visibility.PUBLIC,
        "join_policy": "open",
    }
    data.update(fields)
    return data


def test_an_editor_lists_creates_and_edits_communities(client, staff_editor, make_community):
    make_community("secret-council", visibility=Visibility.PRIVATE)
    sign_in_with_second_factor(client, staff_editor)
    listing = client.get(COMMUNITIES)
    assert listing.status_code == 200
    assert "Secret Council" in listing.content.decode()  # editors see private communities too

    assert client.get(f"{COMMUNITIES}add/").status_code == 200
    created = client.post(f"{COMMUNITIES}add/", community_form())
    assert created.status_code == 302, created.content.decode()[:2000]
    community = Community.objects.get(slug="digital-payments")
    assert community.name == "Digital payments" and community.visibility == Visibility.PUBLIC

    edit_url = f"{COMMUNITIES}edit/{community.pk}/"
    assert client.get(edit_url).status_code == 200
    edited = client.post(
        edit_url, community_form(name="Payments", visibility=Visibility.MEMBERS, join_policy="approval")
    )
    assert edited.status_code == 302
    community.refresh_from_db()
    assert (community.name, community.visibility, community.join_policy) == (
        "Payments",
        Visibility.MEMBERS,
        "approval",
    )


def test_a_duplicate_slug_is_refused_with_a_message(client, staff_editor, make_community):
    make_community("digital-payments")
    sign_in_with_second_factor(client, staff_editor)
    response = client.post(f"{COMMUNITIES}add/", community_form(name="Other name"))
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Community.objects.filter(slug="digital-payments").count() == 1


def test_a_slug_the_site_uses_itself_is_refused(client, staff_editor):
    sign_in_with_second_factor(client, staff_editor)
    response = client.post(f"{COMMUNITIES}add/", community_form(name="People", slug="people"))
    assert response.status_code == 200
    assert "is used by the site itself" in response.content.decode()
    assert not Community.objects.filter(slug="people").exists()


def test_an_editor_manages_memberships_and_the_member_count_follows(
    client, staff_editor, community, user_factory
):
    person = user_factory(username="learner", display_name="Learner Person")
    sign_in_with_second_factor(client, staff_editor)
    assert client.get(MEMBERSHIPS).status_code == 200

    data = {
        "community": community.pk,
        "user": person.pk,
        "role": MembershipRole.MODERATOR,
        "status": Status.ACTIVE,
    }
    assert client.post(f"{MEMBERSHIPS}add/", data).status_code == 302
    membership = Membership.objects.get(community=community, user=person)
    assert membership.role == MembershipRole.MODERATOR
    community.refresh_from_db()
    assert community.member_count == 1
    assert str(person) in client.get(MEMBERSHIPS).content.decode()

    edit_url = f"{MEMBERSHIPS}edit/{membership.pk}/"
    assert client.post(edit_url, {**data, "status": Status.BANNED}).status_code == 302
    community.refresh_from_db()
    assert community.member_count == 0

    assert client.post(edit_url, data).status_code == 302
    assert client.post(f"{MEMBERSHIPS}delete/{membership.pk}/").status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    community.refresh_from_db()
    assert community.member_count == 0


@pytest.mark.parametrize("persona", ["plain", "wagtail_moderator"])
def test_others_are_refused(persona, client, site, user_factory, community, member):
    person = user_factory(username="someone")
    if persona == "wagtail_moderator":  # reaches the admin, but has no community permissions
        person.groups.add(Group.objects.get(name="Moderators"))
    sign_in_with_second_factor(client, person)
    membership = Membership.objects.get(user=member)
    for url in (
        COMMUNITIES,
        f"{COMMUNITIES}add/",
        f"{COMMUNITIES}edit/{community.pk}/",
        MEMBERSHIPS,
        f"{MEMBERSHIPS}edit/{membership.pk}/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert not response["Location"].startswith(url), url
    client.post(f"{COMMUNITIES}add/", community_form())
    client.post(f"{COMMUNITIES}edit/{community.pk}/", community_form(name="Taken over"))
    client.post(f"{MEMBERSHIPS}delete/{membership.pk}/")
    assert not Community.objects.filter(slug="digital-payments").exists()
    community.refresh_from_db()
    assert community.name == "Payments"
    assert Membership.objects.filter(pk=membership.pk).exists()
