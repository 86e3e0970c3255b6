"""The permission matrix: who may list, read, post, find and be notified in each kind of community, asked
of the policy object itself (community.policy.Policy) and through the pages, search and notifications.

Decisions: a members-only community is listed and shows its description, but its threads answer 403 with a
join prompt; a private community answers 404 to non-members, exactly as if it did not exist. Editors read
and moderate everything; notifications and e-mails go only to people who are members of a members-only or
private community, or editors (or anyone who follows, in a public one).
"""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.template import Context, Template

from community import services
from community.models import (
    Community,
    EmailFrequency,
    JoinPolicy,
    Membership,
    MembershipRole,
    Notification,
    NotificationSettings,
    Post,
    Status,
    Subscription,
    Visibility,
)
from community.policy import Policy

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
# Editors read every community, so they hear of what they follow in any of them (they were once never
# told in members-only and private communities: the recipients' rule had been copied without them).
NOTIFIED = {
    Visibility.PUBLIC: set(PERSONAS) - {"anonymous"},
    Visibility.MEMBERS: {"member", "moderator", "editor"},
    Visibility.PRIVATE: {"member", "moderator", "editor"},
}
MODERATORS = {"moderator", "editor"}
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
            "pending": (MembershipRole.MEMBER, Status.PENDING),
            "member": (MembershipRole.MEMBER, Status.ACTIVE),
            "moderator": (MembershipRole.MODERATOR, Status.ACTIVE),
            "banned": (MembershipRole.MEMBER, Status.BANNED),
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


def _policy(person) -> Policy:
    return Policy(person or AnonymousUser())


def _client(client, person):
    client.logout()
    if person is not None:
        client.force_login(person)
    return client


# --- the policy object itself -----------------------------------------------------------------------


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_policy_single_answers(world, persona, visibility):
    community, people, _author, thread = world(visibility)
    policy = _policy(people[persona])
    assert policy.can_see(community) == (persona in LISTED[visibility])
    assert policy.can_read(community) == (persona in READERS[visibility])
    assert policy.can_read(thread) == (persona in READERS[visibility])
    assert policy.can_read(thread.first_post) == (persona in READERS[visibility])
    assert policy.can_post(community) == (persona in POSTERS)
    assert policy.can_reply(thread) == (persona in POSTERS)
    assert policy.can_moderate(thread) == (persona in MODERATORS)


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_policy_lists_agree_with_its_single_answers(world, persona, visibility):
    community, people, _author, thread = world(visibility)
    policy = _policy(people[persona])
    assert policy.listed_communities().filter(pk=community.pk).exists() == policy.can_see(community)
    assert policy.readable_communities().filter(pk=community.pk).exists() == policy.can_read(community)
    assert policy.moderated_communities().filter(pk=community.pk).exists() == policy.can_moderate(community)
    assert policy.visible_threads().filter(pk=thread.pk).exists() == policy.can_read(thread)


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_policy_recipients_are_the_matrix(world, visibility):
    community, people, _author, _thread = world(visibility)
    everyone = {name: person.pk for name, person in people.items() if person is not None}
    allowed = Policy.readers_among(list(everyone.values()), community)
    assert {name for name, pk in everyone.items() if pk in allowed} == NOTIFIED[visibility]


@pytest.mark.parametrize("visibility", [Visibility.MEMBERS, Visibility.PRIVATE])
def test_an_editor_following_a_thread_outside_public_communities_is_told_of_replies(world, visibility):
    _community, people, author, thread = world(visibility)
    Subscription.objects.create(user=people["editor"], thread=thread)
    services.post_reply(author, thread, "An answer the editor follows.")
    assert Notification.objects.filter(user=people["editor"], thread=thread).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_policy_hidden_thread_is_for_moderators(world, persona):
    _community, people, _author, thread = world(Visibility.PUBLIC)
    thread.hidden = True
    thread.save(update_fields=["hidden"])
    policy = _policy(people[persona])
    assert policy.can_read(thread) == (persona in MODERATORS)
    assert policy.visible_threads().filter(pk=thread.pk).exists() == (persona in MODERATORS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_policy_move_targets_are_the_communities_a_moderator_moderates_elsewhere(world, persona):
    community, people, _author, thread = world(Visibility.PUBLIC)
    other = Community.objects.create(name="Other", slug="other")
    elsewhere = Community.objects.create(name="Elsewhere", slug="elsewhere")
    for person in people.values():
        if person is not None:
            Membership.objects.create(community=other, user=person, role=MembershipRole.MODERATOR)
    policy = _policy(people[persona])
    targets = set(policy.move_targets(thread))
    expected = {"moderator": {other}, "editor": {other, elsewhere}}.get(persona, set())
    assert targets == expected
    assert policy.can_move(thread, other) == (persona in MODERATORS)
    assert community not in targets


@pytest.mark.parametrize("persona", PERSONAS)
def test_templates_ask_the_policy_through_the_can_tag(world, persona):
    _community, people, author, thread = world(Visibility.PUBLIC)
    reply = services.post_reply(people["member"], thread, "A reply to accept, or edit.")
    template = Template(
        '{% load community_access %}{% can "edit" post as edit %}{% can "accept" post as accept %}'
        "{{ edit }} {{ accept }}"
    )
    shown = template.render(Context({"policy": _policy(people[persona]), "post": reply}))
    may_edit = persona in {"member", "moderator", "editor"}  # its author, or a moderator
    may_accept = persona in MODERATORS  # the asker is "author", not a persona here
    assert shown == f"{may_edit} {may_accept}"
    assert (
        Template('{% load community_access %}{% can "accept" post as a %}{{ a }}').render(
            Context({"policy": Policy(author), "post": reply})
        )
        == "True"
    )


# --- through the pages ----------------------------------------------------------------------------


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
def test_notification_and_email(
    world, client, mailoutbox, persona, visibility, django_capture_on_commit_callbacks
):
    """Someone who followed the thread (perhaps before losing access) hears of a reply only if allowed."""
    _community, people, author, thread = world(visibility)
    person = people[persona]
    Subscription.objects.create(user=person, thread=thread)
    NotificationSettings.objects.create(user=person, email_frequency=EmailFrequency.IMMEDIATE)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # e-mails are queued once the reply is stored
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
