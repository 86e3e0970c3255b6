"""Abuse limits wherever a person makes others receive something: join requests, invitations, reports,
accepted answers, @mentions and new threads; and limits that never turn a misbehaving cache into an error."""

import importlib
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.apps import apps
from django.core import mail, signing
from django.core.cache import cache
from django.test import TestCase
from django.utils import timezone

from community import links, queries, services
from community.models import (
    EmailFrequency,
    Flag,
    Invitation,
    Membership,
    MembershipRole,
    ModerationAction,
    Notification,
    NotificationKind,
    NotificationSettings,
    Status,
    Visibility,
)
from community.policy import Policy
from community.services import rate_limits
from content import limits

pytestmark = pytest.mark.django_db


def established(person):
    """An account older than a day: the ordinary limits, not the stricter ones for new accounts."""
    person.date_joined = timezone.now() - timedelta(days=30)
    person.save(update_fields=["date_joined"])
    return person


@pytest.fixture
def circle(make_community, user_factory, add_member):
    """A community that approves requests to join, with a moderator who wants e-mail at once."""
    community = make_community("circle", join_policy="approval")
    moderator = user_factory(username="circle-mod")
    add_member(community, moderator, role=MembershipRole.MODERATOR)
    NotificationSettings.objects.create(user=moderator, email_frequency=EmailFrequency.IMMEDIATE)
    community.moderator = moderator
    return community


# --- join requests ----------------------------------------------------------------------------------


def test_asking_withdrawing_and_asking_again_tells_the_moderators_once_a_day(
    circle, user_factory, django_capture_on_commit_callbacks
):
    person = user_factory(username="asker")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for _round in range(4):
            services.join(person, circle)
            services.leave(person, circle)
        services.join(person, circle)
    told = Notification.objects.filter(user=circle.moderator, kind=NotificationKind.JOIN_REQUEST)
    assert told.count() == 1
    assert [m.to for m in mail.outbox] == [[circle.moderator.email]]
    # The request itself still waits in the queue.
    assert Membership.objects.get(community=circle, user=person).status == Status.PENDING

    Notification.objects.update(created_at=timezone.now() - timedelta(hours=25))
    services.leave(person, circle)
    services.join(person, circle)
    assert told.count() == 2  # a day later, a new request is news again


def test_join_requests_are_limited_per_person_across_communities(
    real_limits, make_community, user_factory, client_for
):
    real_limits("join_request")
    person = user_factory(username="collector")  # a new account: 3 requests an hour
    places = [make_community(f"place-{n}", join_policy="approval") for n in range(4)]
    for place in places[:3]:
        services.join(person, place)
    with pytest.raises(services.RateLimited):
        services.join(person, places[3])
    response = client_for(person).post(
        f"/community/{places[3].slug}/membership/", {"action": "join"}, follow=True
    )
    assert response.status_code == 200
    assert "You have asked to join many communities lately" in response.content.decode()
    assert not Membership.objects.filter(community=places[3], user=person).exists()


def test_joining_an_open_community_is_not_a_request_and_not_limited(
    real_limits, make_community, user_factory
):
    real_limits("join_request")
    person = user_factory(username="joiner")
    for n in range(5):
        assert services.join(person, make_community(f"open-{n}")).status == Status.ACTIVE


# --- invitations ------------------------------------------------------------------------------------


@pytest.fixture
def secret(make_community, user_factory, add_member):
    community = make_community("secret", visibility=Visibility.PRIVATE, join_policy="invitation")
    moderator = user_factory(username="secret-mod")
    add_member(community, moderator, role=MembershipRole.MODERATOR)
    community.moderator = moderator
    return community


def invitation_path(community, email: str) -> str:
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):  # the e-mail goes once the invitation is stored
        services.invite(community.moderator, community, email)
    return re.search(r"http://testserver(/community/\S+/)", mail.outbox[-1].body).group(1)


def test_an_invitation_link_works_once(secret, user_factory, client_for):
    guest = user_factory(username="guest", email="guest@example.org")
    path = invitation_path(secret, "Guest@Example.org")
    client = client_for(guest)
    assert client.post(path).status_code == 302
    assert client.post(path).status_code == 302  # the same person again (two tabs): the same membership
    assert Membership.objects.filter(community=secret, user=guest).count() == 1
    services.leave(guest, secret)
    again = client.post(path)
    assert again.status_code == 410 and "already been used" in again.content.decode()
    assert not Membership.objects.filter(community=secret, user=guest).exists()
    other = client_for(user_factory(username="other")).get(path)
    assert other.status_code == 410 and "already been used" in other.content.decode()


def test_an_expired_invitation_says_so_and_does_nothing(secret, user_factory, client_for):
    guest = user_factory(username="guest", email="guest@example.org")
    path = invitation_path(secret, "guest@example.org")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client_for(guest).post(path)
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not Membership.objects.filter(community=secret, user=guest).exists()


def test_a_moderator_withdraws_an_invitation_and_its_link_says_so(secret, user_factory, client_for):
    guest = user_factory(username="guest", email="guest@example.org")
    path = invitation_path(secret, "guest@example.org")
    invitation = Invitation.objects.get()
    queue = client_for(secret.moderator).get(f"/community/{secret.slug}/moderation/")
    assert "guest@example.org" in queue.content.decode()
    client_for(secret.moderator).post(
        f"/community/{secret.slug}/moderation/", {"action": "revoke", "invitation": invitation.pk}
    )
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.REVOKED
    assert ModerationAction.objects.filter(action="uninvite", community=secret).count() == 1
    response = client_for(guest).post(path)
    assert response.status_code == 410 and "withdrawn" in response.content.decode()
    assert not Membership.objects.filter(community=secret, user=guest).exists()


def test_only_this_communitys_moderators_withdraw_its_invitations(
    secret, make_community, user_factory, client_for
):
    services.invite(secret.moderator, secret, "guest@example.org")
    invitation = Invitation.objects.get()
    elsewhere = make_community("elsewhere")
    intruder = user_factory(username="intruder")
    Membership.objects.create(community=elsewhere, user=intruder, role=MembershipRole.MODERATOR)
    client = client_for(intruder)
    client.post(f"/community/{elsewhere.slug}/moderation/", {"action": "revoke", "invitation": invitation.pk})
    assert client.post(f"/community/{secret.slug}/moderation/", {"action": "revoke"}).status_code == 404
    with pytest.raises(services.NotAllowed):
        services.revoke_invitation(intruder, invitation)
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.OPEN


def test_one_invitation_email_per_address_and_community_a_day(
    secret, client_for, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(secret.moderator, secret, "guest@example.org")
    with pytest.raises(services.RateLimited, match="less than a day ago"):
        services.invite(secret.moderator, secret, "GUEST@example.org")
    response = client_for(secret.moderator).post(
        f"/community/{secret.slug}/moderation/",
        {"action": "invite", "email": "guest@example.org"},
        follow=True,
    )
    assert "less than a day ago" in response.content.decode()
    assert len(mail.outbox) == 1
    Invitation.objects.update(created_at=timezone.now() - timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(secret.moderator, secret, "guest@example.org")
    assert len(mail.outbox) == 2


def test_invitations_are_limited_per_moderator(real_limits, secret):
    established(secret.moderator)
    hourly = real_limits("invitation")["invitation"]["established"][0][0]
    for n in range(hourly):
        services.invite(secret.moderator, secret, f"guest{n}@example.org")
    with pytest.raises(services.RateLimited):
        services.invite(secret.moderator, secret, "one-more@example.org")
    assert Invitation.objects.count() == hourly


def test_a_link_sent_before_invitations_were_stored_still_works_once(secret, user_factory, client_for):
    sent = timezone.now() - timedelta(days=3)
    ModerationAction.objects.create(
        community=secret, moderator=secret.moderator, action="invite", detail="guest@example.org"
    )
    ModerationAction.objects.update(created_at=sent)
    migration = importlib.import_module("community.migrations.0003_invitations_in_flight")
    migration.store_invitations_in_flight(apps, None)
    old_token = signing.dumps({"c": secret.pk, "e": "guest@example.org"}, salt=links.INVITATION_SALT)
    path = f"/community/{secret.slug}/invitation/{old_token}/"
    guest = user_factory(username="guest", email="guest@example.org")
    assert client_for(guest).post(path).status_code == 302
    assert Membership.objects.get(community=secret, user=guest).status == Status.ACTIVE
    services.leave(guest, secret)
    assert client_for(guest).post(path).status_code == 410


# --- reports ----------------------------------------------------------------------------------------


@pytest.fixture
def reported(thread, moderator, user_factory, add_member):
    NotificationSettings.objects.create(user=moderator, email_frequency=EmailFrequency.IMMEDIATE)
    writer = user_factory(username="writer")
    add_member(thread.community, writer)
    return services.post_reply(writer, thread, "Buy cheap watches")


def test_one_open_report_per_person_and_post(reported, member, moderator):
    first = services.flag_post(member, reported, "Advertising")
    again = services.flag_post(member, reported, "Still advertising")
    assert first.pk == again.pk and Flag.objects.count() == 1
    assert Notification.objects.filter(user=moderator, kind=NotificationKind.REPORT).count() == 1


def test_moderators_are_told_of_a_reported_post_once_a_day(
    reported, moderator, user_factory, add_member, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    for n in range(3):
        reporter = user_factory(username=f"reporter{n}")
        add_member(reported.thread.community, reporter)
        with django_capture_on_commit_callbacks(execute=True):
            services.flag_post(reporter, reported, "Advertising")
    assert Flag.objects.filter(post=reported, resolved_at=None).count() == 3  # every report is kept
    told = Notification.objects.filter(user=moderator, kind=NotificationKind.REPORT)
    assert told.count() == 1
    assert [m.to for m in mail.outbox] == [[moderator.email]]
    assert f"/community/{reported.thread.community.slug}/moderation/" in mail.outbox[0].body


def test_a_report_notification_opens_the_moderation_queue_and_only_moderators_see_it(
    reported, member, moderator, client_for
):
    services.flag_post(member, reported, "Advertising")
    notification = Notification.objects.get(kind=NotificationKind.REPORT)
    response = client_for(moderator).get(f"/me/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/community/{reported.thread.community.slug}/moderation/")
    # Demoted since: the notification is gone for them, and no e-mail would carry it.
    Membership.objects.filter(user=moderator).update(role=MembershipRole.MEMBER)
    assert not queries.visible_notifications(moderator).exists()
    assert not Policy(notification.user).may_receive(notification)


def test_reports_are_limited_per_person(real_limits, thread, member, user_factory, add_member):
    real_limits("report")
    writer = user_factory(username="writer")
    add_member(thread.community, writer)
    posts = [services.post_reply(writer, thread, f"Reply {n}") for n in range(4)]
    for post in posts[:3]:  # `member` is a new account: 3 reports an hour
        services.flag_post(member, post, "Rude")
    with pytest.raises(services.RateLimited):
        services.flag_post(member, posts[3], "Rude")
    assert Flag.objects.count() == 3


# --- accepted answers, mentions, new threads --------------------------------------------------------


def test_accepting_taking_back_and_accepting_again_tells_the_author_once(
    thread, member, user_factory, add_member
):
    writer = user_factory(username="writer")
    add_member(thread.community, writer)
    answer = services.post_reply(writer, thread, "Use a ledger.")
    for _round in range(3):
        services.accept_answer(member, answer)
        services.unaccept_answer(member, thread)
    services.accept_answer(member, answer)
    assert Notification.objects.filter(user=writer, kind=NotificationKind.ACCEPTED).count() == 1


def test_one_author_tells_one_person_of_mentions_a_few_times_a_day(
    community, member, user_factory, add_member
):
    target = user_factory(username="target")
    add_member(community, target)
    for n in range(rate_limits.MENTIONS_PER_PERSON + 3):
        services.start_thread(member, community, f"Question {n}", f"What do you think, @target? ({n})")
    told = Notification.objects.filter(user=target, kind=NotificationKind.MENTION)
    assert told.count() == rate_limits.MENTIONS_PER_PERSON
    # The mention itself is still written and linked.
    last = community.threads.order_by("-pk").first().first_post
    assert 'href="/community/people/target/"' in last.body_html


def test_mention_notices_stop_at_the_authors_limit(community, member, user_factory, add_member, monkeypatch):
    people = [user_factory(username=f"reader{n}") for n in range(8)]
    for person in people:
        add_member(community, person)
    monkeypatch.setitem(rate_limits.RATE_LIMITS, "mention", {"new": [(5, 3600)], "established": [(5, 3600)]})
    body = " ".join(f"@{person.username}" for person in people)
    services.start_thread(member, community, "Everyone", body)
    assert Notification.objects.filter(kind=NotificationKind.MENTION).count() == 5
    services.start_thread(member, community, "Everyone again", body)
    assert Notification.objects.filter(kind=NotificationKind.MENTION).count() == 5
    assert community.threads.count() == 2  # the posts went through


def test_new_accounts_start_few_threads_a_day(real_limits, community, member):
    real_limits("thread")
    for n in range(3):
        services.start_thread(member, community, f"Question {n}", "body")
    with pytest.raises(services.RateLimited, match="started many threads"):
        services.start_thread(member, community, "Question 4", "body")
    established(member)
    services.start_thread(member, community, "Question 5", "body")


# --- a cache that misbehaves ------------------------------------------------------------------------


def test_a_counter_that_vanished_between_add_and_incr_starts_a_fresh_window():
    with mock.patch.object(cache, "incr", side_effect=ValueError("Key not found")):
        assert limits.allowance("test", 1, [(3, 60)], 2) == 2
    assert cache.get("limit:test:1:60") == 2
    assert limits.allowance("test", 1, [(3, 60)], 2) == 1


@pytest.mark.parametrize(
    "broken",
    [
        {"add": ConnectionError("Redis is down")},
        {"incr": ConnectionError("Redis is down")},
        {"incr": None},  # django-redis with IGNORE_EXCEPTIONS answers None during an outage
    ],
    ids=["add-raises", "incr-raises", "incr-answers-none"],
)
def test_a_broken_cache_lets_people_act_instead_of_an_error_page(
    broken, real_limits, circle, user_factory, client_for, thread, member
):
    real_limits("join_request", "post")
    ((method, effect),) = broken.items()
    patch = {"side_effect": effect} if isinstance(effect, Exception) else {"return_value": effect}
    person = user_factory(username="asker")
    with mock.patch.object(cache, method, **patch):
        response = client_for(person).post(f"/community/{circle.slug}/membership/", {"action": "join"})
        assert response.status_code == 302
        reply = client_for(member).post(thread.get_absolute_url(), {"body": "Still here", "submission": "s1"})
        assert reply.status_code == 302
    assert Membership.objects.get(community=circle, user=person).status == Status.PENDING
    assert thread.posts.filter(body="Still here").exists()


def test_a_reply_refused_for_posting_too_quickly_can_be_sent_again_with_the_same_form(
    real_limits, monkeypatch, thread, member
):
    """The form's one-time id is given back when posting fails, so the retry posts instead of answering
    "already posted" for a post that was never made."""
    real_limits("post")
    with pytest.raises(services.RateLimited):  # posting until the limit answers
        for n in range(100):
            services.post_reply(member, thread, f"Reply number {n}")
    with pytest.raises(services.RateLimited):
        services.post_reply(member, thread, "The one that waits", submission="form-1")
    # The minute passes (the cache, which also holds the form's id, is left as it is).
    monkeypatch.setitem(rate_limits.RATE_LIMITS, "post", {"new": [(1000, 60)], "established": [(1000, 60)]})
    post = services.post_reply(member, thread, "The one that waits", submission="form-1")
    assert post.body == "The one that waits"
    with pytest.raises(services.DuplicateSubmission):  # and now it really is a repeat
        services.post_reply(member, thread, "The one that waits, again", submission="form-1")


def test_a_reply_refused_by_a_locked_thread_gives_its_form_back(thread, member, moderator):
    services.set_thread_state(moderator, thread, locked=True)
    with pytest.raises(services.NotAllowed):
        services.post_reply(member, thread, "Too late", submission="form-2")
    services.set_thread_state(moderator, thread, locked=False)
    assert services.post_reply(member, thread, "Just in time", submission="form-2").body == "Just in time"
