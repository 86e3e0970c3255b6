"""Previews: offered only to people who may post the message there, and limited like posting.

Decisions: a preview follows posting's rules (a new thread: the right to post in the community; a reply:
also a thread neither locked nor hidden; an edit: the author or a moderator, of a post not deleted).
Anonymous people are sent to sign in; people who may not post get 403 and never a rendered preview.
Previews count against their own limit, five times posting's (people preview before each post and again
after each correction): 30 a minute and 300 an hour, 10 and 50 for accounts younger than a day;
moderators have none. Over it: 429 with a reason, the typed text kept in the form.
"""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import (
    Community,
    JoinPolicy,
    Membership,
    MembershipRole,
    Post,
    Status,
    Thread,
    Visibility,
)
from community.models.thread import BODY_MAX
from community.services import rate_limits
from tests.govlearn.redis_tools import CLOSED_REDIS, site_cache

pytestmark = pytest.mark.django_db

BODY = "Draft with **preview-marker** in it"
RENDERED = "<strong>preview-marker</strong>"
PERSONAS = ["outsider", "pending", "member", "moderator", "banned", "editor"]
MAY_POST = {"member", "moderator", "editor"}


@pytest.fixture
def world(user_factory):
    """A community of the given visibility, one person per persona, a thread and a post by the author."""

    def build(visibility=Visibility.PUBLIC):
        community = Community.objects.create(
            name="Circle", slug="circle", visibility=visibility, join_policy=JoinPolicy.APPROVAL
        )
        people = {"anonymous": None, "author": user_factory(username="author")}
        Membership.objects.create(community=community, user=people["author"])
        statuses = {
            "pending": (MembershipRole.MEMBER, Status.PENDING),
            "member": (MembershipRole.MEMBER, Status.ACTIVE),
            "moderator": (MembershipRole.MODERATOR, Status.ACTIVE),
            "banned": (MembershipRole.MEMBER, Status.BANNED),
        }
        for name in PERSONAS:
            people[name] = user_factory(username=name, date_joined=timezone.now() - timedelta(days=30))
            if name in statuses:
                role, status = statuses[name]
                Membership.objects.create(community=community, user=people[name], role=role, status=status)
        people["editor"].user_permissions.add(Permission.objects.get(codename="change_community"))
        thread = services.start_thread(people["author"], community, "Matching payments", "Do you *match*?")
        return community, people, thread

    return build


@pytest.fixture
def as_person(client):
    def sign_in(person):
        client.logout()
        if person is not None:
            client.force_login(person)
        return client

    return sign_in


def preview_reply(client, thread, body=BODY):
    return client.post(thread.get_absolute_url(), {"body": body, "preview": "1"})


def preview_thread(client, community, body=BODY):
    url = reverse("community:new_thread", args=[community.slug])
    return client.post(url, {"title": "A question", "body": body, "preview": "1"})


def preview_edit(client, post, body=BODY):
    url = reverse("community:edit_post", args=[post.thread.community.slug, post.pk])
    return client.post(url, {"body": body, "preview": "1"})


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.MEMBERS])
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_people_who_may_post_get_a_reply_preview(world, as_person, persona, visibility):
    community, people, thread = world(visibility)
    response = preview_reply(as_person(people[persona]), thread)
    if persona in MAY_POST:
        assert response.status_code == 200
        assert RENDERED in response.content.decode()
    else:
        assert response.status_code == 403
        assert RENDERED not in response.content.decode()


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.MEMBERS])
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_people_who_may_post_get_a_new_thread_preview(world, as_person, persona, visibility):
    community, people, thread = world(visibility)
    response = preview_thread(as_person(people[persona]), community)
    if persona in MAY_POST:
        assert response.status_code == 200
        assert RENDERED in response.content.decode()
    else:
        assert response.status_code == 403
        assert RENDERED not in response.content.decode()


def test_a_private_community_previews_nothing_to_outsiders(world, as_person):
    community, people, thread = world(Visibility.PRIVATE)
    assert preview_reply(as_person(people["outsider"]), thread).status_code == 404
    assert preview_thread(as_person(people["outsider"]), community).status_code == 404


def test_anonymous_people_are_sent_to_sign_in_instead_of_a_preview(world, as_person):
    community, people, thread = world()
    for response in (preview_reply(as_person(None), thread), preview_thread(as_person(None), community)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["member", "moderator"])
def test_a_locked_thread_previews_no_reply(world, as_person, persona):
    community, people, thread = world()
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    response = preview_reply(as_person(people[persona]), thread)
    assert response.status_code == 403
    assert RENDERED not in response.content.decode()


def test_a_hidden_thread_previews_no_reply_to_members(world, as_person):
    community, people, thread = world()
    Thread.objects.filter(pk=thread.pk).update(hidden=True)
    assert preview_reply(as_person(people["member"]), thread).status_code == 404
    response = preview_reply(as_person(people["moderator"]), thread)
    assert response.status_code == 200 and RENDERED in response.content.decode()


def test_an_edit_preview_is_for_the_author_or_a_moderator_who_may_post(world, as_person):
    community, people, thread = world()
    post = thread.first_post
    assert preview_edit(as_person(people["member"]), post).status_code == 404  # someone else's post
    for persona in ("author", "moderator"):
        response = preview_edit(as_person(people[persona]), post)
        assert response.status_code == 200 and RENDERED in response.content.decode()
    Membership.objects.filter(user=people["author"]).update(status=Status.BANNED)
    response = preview_edit(as_person(people["author"]), post)
    assert response.status_code == 403
    assert RENDERED not in response.content.decode()


def test_a_deleted_post_previews_no_edit(world, as_person):
    community, people, thread = world()
    Post.objects.filter(pk=thread.first_post_id).update(deleted_at=timezone.now())
    post = Post.objects.get(pk=thread.first_post_id)
    response = preview_edit(as_person(people["moderator"]), post)
    assert response.status_code == 403
    assert RENDERED not in response.content.decode()
    assert "This post has been deleted." in response.content.decode()


def test_previews_beyond_the_limit_answer_429_and_keep_the_text(world, as_person, real_limits):
    limit = real_limits("preview")["preview"]["established"][0][0]
    community, people, thread = world()
    client = as_person(people["member"])
    for _ in range(limit):
        assert preview_reply(client, thread).status_code == 200
    response = preview_reply(client, thread, body="My careful **draft**")
    assert response.status_code == 429
    page = response.content.decode()
    assert "You are previewing too quickly" in page
    assert "My careful **draft**" in page  # still in the reply box: nothing typed is lost
    assert "<strong>draft</strong>" not in page
    assert preview_thread(client, community).status_code == 429  # one limit for every preview


def test_new_accounts_have_a_stricter_preview_limit(world, as_person, user_factory, real_limits):
    preview_limits = real_limits("preview")["preview"]
    community, people, thread = world()
    newcomer = user_factory(username="newcomer")  # joined just now
    Membership.objects.create(community=community, user=newcomer)
    client = as_person(newcomer)
    limit = preview_limits["new"][0][0]
    assert limit < preview_limits["established"][0][0]
    for _ in range(limit):
        assert preview_reply(client, thread).status_code == 200
    assert preview_reply(client, thread).status_code == 429


def test_moderators_have_no_preview_limit(world, as_person, real_limits):
    limit = real_limits("preview")["preview"]["established"][0][0]
    community, people, thread = world()
    client = as_person(people["moderator"])
    for _ in range(limit + 5):
        assert preview_reply(client, thread).status_code == 200


def test_previews_do_not_use_up_the_posting_limit(world, as_person, monkeypatch, real_limits):
    real_limits("preview")
    monkeypatch.setitem(rate_limits.RATE_LIMITS, "post", {"established": [(2, 60)], "new": [(2, 60)]})
    community, people, thread = world()
    client = as_person(people["member"])
    for _ in range(10):
        assert preview_reply(client, thread).status_code == 200
    response = client.post(thread.get_absolute_url(), {"body": "Posted after previews"})
    assert response.status_code == 302
    assert Post.objects.filter(thread=thread, body="Posted after previews").exists()


def test_previews_go_on_while_the_cache_is_down(world, as_person, real_limits):
    real_limits("preview")
    community, people, thread = world()
    with site_cache(CLOSED_REDIS):
        response = preview_reply(as_person(people["member"]), thread)
    assert response.status_code == 200
    assert RENDERED in response.content.decode()


def test_an_invalid_draft_is_not_counted_or_rendered(world, as_person, real_limits):
    limit = real_limits("preview")["preview"]["established"][0][0]
    community, people, thread = world()
    client = as_person(people["member"])
    for _ in range(limit + 5):
        response = preview_reply(client, thread, body="x" * (BODY_MAX + 1))
        assert response.status_code == 400
    assert preview_reply(client, thread).status_code == 200


def test_a_hostile_draft_previews_quickly(world, as_person):
    community, people, thread = world()
    client = as_person(people["member"])
    start = time.perf_counter()
    response = preview_reply(client, thread, body="[" * BODY_MAX)
    assert time.perf_counter() - start < 2  # a page, not a render: the render itself is bounded far lower
    assert response.status_code == 200
