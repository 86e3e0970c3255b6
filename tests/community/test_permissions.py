"""The permission matrix: who may list, read, post, find and be notified in each kind of community.

Decisions: a members-only community is listed and shows its description, but its threads answer 403 with a
join prompt; a private community answers 404 to non-members, exactly as if it did not exist. Editors read
and moderate everything; notifications and e-mails go only to people who are members of a members-only or
private community (or anyone who follows, in a public one).
"""

import pytest
from django.contrib.auth.models import Permission

from community import services
from community.models import (
    Community,
    EmailFrequency,
    JoinPolicy,
    Membership,
    Notification,
    NotificationSettings,
    Post,
    Role,
    Status,
    Subscription,
    Visibility,
)

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "pending", "member", "moderator", "banned", "editor"]
VISIBILITIES = [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE]
READERS = {
    Visibility.PUBLIC: set(PERSONAS),
    Visibility.MEMBERS: {"member", "moderator", "editor"},
    Visibility.PRIVATE: {"member", "moderator", "editor"},
}
LISTED = {
    Visibility.PUBLIC: set(PERSONAS),
    Visibility.MEMBERS: set(PERSONAS),
    Visibility.PRIVATE: {"member", "moderator", "editor"},
}
POSTERS = {"member", "moderator", "editor"}
NOTIFIED = {
    Visibility.PUBLIC: set(PERSONAS) - {"anonymous"},
    Visibility.MEMBERS: {"member", "moderator"},
    Visibility.PRIVATE: {"member", "moderator"},
}
TITLE = "Reconciling mobile money with the treasury"


@pytest.fixture
def world(user_factory, site):
    """A community of the given visibility, one person per persona, and a thread by the author."""

    def build(visibility):
        community = Community.objects.create(
            name="Circle", slug="circle", visibility=visibility, join_policy=JoinPolicy.APPROVAL
        )
        people = {"anonymous": None}
        author = user_factory(username="author")
        Membership.objects.create(community=community, user=author)
        statuses = {
            "pending": (Role.MEMBER, Status.PENDING),
            "member": (Role.MEMBER, Status.ACTIVE),
            "moderator": (Role.MODERATOR, Status.ACTIVE),
            "banned": (Role.MEMBER, Status.BANNED),
        }
        for name in ["outsider", "pending", "member", "moderator", "banned", "editor"]:
            people[name] = user_factory(username=name)
            if name in statuses:
                role, status = statuses[name]
                Membership.objects.create(community=community, user=people[name], role=role, status=status)
        people["editor"].user_permissions.add(Permission.objects.get(codename="change_community"))
        thread = services.start_thread(author, community, TITLE, "How do you *match* payments?")
        return community, people, author, thread

    return build


def _client(client, person):
    client.logout()
    if person is not None:
        client.force_login(person)
    return client


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_list(world, client, persona, visibility):
    community, people, _author, _thread = world(visibility)
    response = _client(client, people[persona]).get("/community/")
    assert response.status_code == 200
    assert (community.get_absolute_url() in response.content.decode()) == (persona in LISTED[visibility])


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_read(world, client, persona, visibility):
    _community, people, _author, thread = world(visibility)
    response = _client(client, people[persona]).get(thread.get_absolute_url())
    denied = 404 if visibility == Visibility.PRIVATE else 403
    expected = 200 if persona in READERS[visibility] else denied
    assert response.status_code == expected
    assert (TITLE in response.content.decode()) == (expected == 200)


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_post(world, client, persona, visibility):
    _community, people, _author, thread = world(visibility)
    before = Post.objects.count()
    response = _client(client, people[persona]).post(
        thread.get_absolute_url(), {"body": "My reply to this question", "post": "1"}
    )
    assert (Post.objects.count() == before + 1) == (persona in POSTERS)
    if persona == "anonymous" and visibility == Visibility.PUBLIC:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_search(world, client, persona, visibility):
    _community, people, _author, thread = world(visibility)
    response = _client(client, people[persona]).get("/search/", {"q": "reconciling treasury"})
    assert response.status_code == 200
    assert (thread.get_absolute_url() in response.content.decode()) == (persona in READERS[visibility])


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_notification_and_email(world, client, mailoutbox, persona, visibility):
    """Someone who followed the thread (perhaps before losing access) hears of a reply only if allowed."""
    _community, people, author, thread = world(visibility)
    person = people[persona]
    Subscription.objects.create(user=person, thread=thread)
    NotificationSettings.objects.create(user=person, email_frequency=EmailFrequency.IMMEDIATE)
    mailoutbox.clear()
    services.post_reply(author, thread, "Here is how we do it.")
    allowed = persona in NOTIFIED[visibility]
    assert Notification.objects.filter(user=person).exists() == allowed
    assert any(person.email in message.to for message in mailoutbox) == allowed
    page = _client(client, person).get("/me/notifications/").content.decode()
    assert (TITLE in page) == allowed


@pytest.mark.parametrize("visibility", [Visibility.MEMBERS, Visibility.PRIVATE])
def test_notification_disappears_when_membership_ends(world, client, visibility):
    _community, people, author, thread = world(visibility)
    services.post_reply(people["member"], thread, "A reply for the author")
    assert Notification.objects.filter(user=author).exists()
    Membership.objects.filter(user=author).delete()
    page = _client(client, author).get("/me/notifications/").content.decode()
    assert TITLE not in page


def test_private_community_is_a_404_everywhere_for_non_members(world, client):
    community, people, _author, thread = world(Visibility.PRIVATE)
    c = _client(client, people["outsider"])
    slug = community.slug
    for url in [
        f"/community/{slug}/",
        f"/community/{slug}/new/",
        f"/community/{slug}/moderation/",
        f"/community/{slug}/t/{thread.pk}/",
        f"/community/{slug}/p/{thread.first_post_id}/",
        f"/community/{slug}/p/{thread.first_post_id}/report/",
    ]:
        assert c.get(url).status_code == 404, url
    assert c.post(f"/community/{slug}/membership/", {"action": "join"}).status_code == 404
    assert "Circle" not in c.get("/community/").content.decode()
    assert "Circle" not in c.get("/community/people/author/").content.decode()


def test_members_only_community_shows_a_join_prompt_not_threads(world, client):
    community, people, _author, _thread = world(Visibility.MEMBERS)
    page = _client(client, people["outsider"]).get(community.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ask to join" in html and TITLE not in html


def test_banned_person_reads_public_community_but_cannot_post(world, client):
    _community, people, _author, thread = world(Visibility.PUBLIC)
    c = _client(client, people["banned"])
    page = c.get(thread.get_absolute_url()).content.decode()
    assert "You have been banned from this community and cannot post." in page
    with pytest.raises(services.NotAllowed):
        services.post_reply(people["banned"], thread, "let me in")
