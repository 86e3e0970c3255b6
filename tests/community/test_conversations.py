"""Posting, answers, mentions, notifications and e-mails, moderation and its log, abuse limits."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from community import emails, services
from community.models import (
    Community,
    EmailFrequency,
    Flag,
    ModerationAction,
    Notification,
    NotificationSettings,
    Post,
    Thread,
    Visibility,
)
from community.services import rate_limits

pytestmark = pytest.mark.django_db


@pytest.fixture
def replier(user_factory, community, add_member):
    person = user_factory(username="replier", display_name="Replier Person")
    add_member(community, person)
    return person


def test_reply_updates_counters_and_notifies_the_follower(thread, replier, member, community):
    post = services.post_reply(replier, thread, "Use a **daily** reconciliation file.")
    thread.refresh_from_db()
    community.refresh_from_db()
    assert (thread.reply_count, thread.last_post_id, community.thread_count) == (1, post.pk, 1)
    assert "<strong>daily</strong>" in post.body_html
    assert Notification.objects.get(user=member).kind == "reply"


def test_mention_links_the_person_and_notifies_them(thread, replier, member):
    post = services.post_reply(replier, thread, "Ask @member about it, not `@member` in code.")
    assert post.body_html.count('href="/community/people/member/"') == 1
    assert Notification.objects.get(user=member).kind == "mention"  # one notification, not two


def test_locked_thread_refuses_replies_with_a_clear_message(client_for, thread, replier, moderator):
    services.set_thread_state(moderator, thread, locked=True, reason="Resolved")
    response = client_for(replier).post(thread.get_absolute_url(), {"body": "one more", "post": "1"})
    assert "This thread is locked: it no longer accepts replies." in response.content.decode()
    assert thread.reply_count == Thread.objects.get(pk=thread.pk).reply_count == 0


def test_accepted_answer_shows_under_the_question_and_tells_its_author(client_for, thread, replier, member):
    answer = services.post_reply(replier, thread, "The answer is reconciliation.")
    client = client_for(member)
    client.post(f"/community/{thread.community.slug}/p/{answer.pk}/action/", {"action": "accept"})
    thread.refresh_from_db()
    assert thread.accepted_post_id == answer.pk
    assert Notification.objects.filter(user=replier, kind="accepted").exists()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Accepted answer" in page
    assert (
        client.get(thread.community.get_absolute_url() + "?show=unanswered")
        .content.decode()
        .count(thread.title)
        == 0
    )


def test_only_the_asker_or_a_moderator_accepts(thread, replier):
    answer = services.post_reply(replier, thread, "Mine")
    with pytest.raises(services.NotAllowed):
        services.accept_answer(replier, answer)


def test_helpful_once_per_person(thread, replier):
    assert services.toggle_helpful(replier, thread.first_post) is True
    assert Post.objects.get(pk=thread.first_post_id).helpful_count == 1
    assert services.toggle_helpful(replier, thread.first_post) is False
    assert Post.objects.get(pk=thread.first_post_id).helpful_count == 0


def test_edit_keeps_history_for_moderators_and_marks_edited(client_for, thread, member, moderator):
    services.edit_post(member, thread.first_post, "A better question")
    post = Post.objects.get(pk=thread.first_post_id)
    assert post.edited_at and post.revisions.get().body == "We **struggle** with it."
    url = f"/community/{thread.community.slug}/p/{post.pk}/history/"
    assert client_for(member).get(url).status_code == 404
    assert "We **struggle** with it." in client_for(moderator).get(url).content.decode()


def test_soft_delete_hides_text_from_readers(client_for, thread, replier, member):
    post = services.post_reply(replier, thread, "Regrettable words")
    services.delete_post(replier, post)
    page = client_for(member).get(thread.get_absolute_url()).content.decode()
    assert "Regrettable words" not in page and "deleted by its author" in page


def test_moderation_actions_are_logged_and_shown_to_moderators(
    client_for, thread, replier, moderator, member
):
    post = services.post_reply(replier, thread, "Spam spam")
    services.flag_post(member, post, "Advertising")
    queue = client_for(moderator).get(f"/community/{thread.community.slug}/moderation/").content.decode()
    assert "Advertising" in queue
    other = Community.objects.create(name="Other", slug="other")
    services.set_post_hidden(moderator, post, True, "spam")
    services.set_thread_state(moderator, thread, pinned=True, reason="important")
    services.set_banned(moderator, thread.community, replier, True, "repeated spam")
    with pytest.raises(services.NotAllowed):
        services.move_thread(moderator, thread, other)  # not a moderator there
    actions = list(ModerationAction.objects.values_list("action", "moderator_id", "reason"))
    assert set(actions) >= {
        ("hide", moderator.pk, "spam"),
        ("pin", moderator.pk, "important"),
        ("ban", moderator.pk, "repeated spam"),
    }
    assert not Flag.objects.filter(resolved_at=None).exists()
    queue = client_for(moderator).get(f"/community/{thread.community.slug}/moderation/").content.decode()
    assert "repeated spam" in queue
    assert client_for(member).get(f"/community/{thread.community.slug}/moderation/").status_code == 404
    with pytest.raises(services.NotAllowed):
        services.post_reply(replier, thread, "I am back")


def test_move_updates_both_counters(thread, editor, community):
    target = Community.objects.create(name="Other", slug="other")
    services.move_thread(editor, thread, target, "belongs there")
    source = Community.objects.get(pk=community.pk)
    target.refresh_from_db()
    assert (source.thread_count, target.thread_count) == (0, 1)
    assert Thread.objects.get(pk=thread.pk).community_id == target.pk


def test_rate_limit_is_stricter_for_new_accounts(community, member, monkeypatch):
    limits = {**rate_limits.RATE_LIMITS, "post": {"established": [(6, 60)], "new": [(2, 60)]}}
    monkeypatch.setattr(rate_limits, "RATE_LIMITS", limits)
    for i in range(2):
        services.start_thread(member, community, f"Question {i}", "body")
    with pytest.raises(services.RateLimited):
        services.start_thread(member, community, "Question 3", "body")
    member.date_joined -= timedelta(days=2)
    services.start_thread(member, community, "Question 4", "body")  # an older account may post more


def test_duplicate_submission_posts_once(client_for, thread, replier):
    client = client_for(replier)
    data = {"body": "Only once please", "post": "1", "submission": "abc123"}
    first = client.post(thread.get_absolute_url(), data)
    second = client.post(thread.get_absolute_url(), data)
    assert first.status_code == second.status_code == 302
    assert Post.objects.filter(body="Only once please").count() == 1


def test_length_limit_has_a_clear_message(client_for, thread, replier):
    response = client_for(replier).post(thread.get_absolute_url(), {"body": "x" * 20001, "post": "1"})
    assert response.status_code == 400
    assert "The message is too long: at most 20000 characters" in response.content.decode()


def test_csrf_is_enforced(thread, replier):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(replier)
    assert client.post(thread.get_absolute_url(), {"body": "no token", "post": "1"}).status_code == 403


def test_immediate_email_at_most_once_per_thread_per_period(
    thread, replier, member, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.create(user=member, email_frequency=EmailFrequency.IMMEDIATE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reply(replier, thread, "first")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reply(replier, thread, "second")
    to_member = [m for m in mail.outbox if member.email in m.to]
    assert len(to_member) == 1
    assert "List-Unsubscribe" in to_member[0].extra_headers


def test_daily_digest_lists_each_thread_once_and_then_waits(thread, replier, member, community):
    other = services.start_thread(member, community, "Second question", "body")
    services.post_reply(replier, thread, "first")
    services.post_reply(replier, other, "second")
    services.post_reply(replier, thread, "third")
    mail.outbox.clear()
    call_command("send_digests")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert body.count(thread.get_absolute_url()) == 1 and other.get_absolute_url() in body
    services.post_reply(member, thread, "later")  # replier follows now; member's digest already went
    call_command("send_digests")
    assert [m.to for m in mail.outbox[1:]] == [[replier.email]]


def test_unsubscribe_link_stops_emails(client, thread, replier, member):
    services.post_reply(replier, thread, "news")
    mail.outbox.clear()
    call_command("send_digests")
    link = re.search(r"http://testserver(/community/unsubscribe/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200
    assert emails.email_frequency(member) == EmailFrequency.DAILY  # GET only asks
    assert client.post(link).status_code == 200
    assert emails.email_frequency(member) == EmailFrequency.NEVER
    assert client.post("/community/unsubscribe/forged:token/").status_code == 404


def test_digest_leaves_out_what_the_person_may_no_longer_read(thread, replier, member, community):
    services.post_reply(replier, thread, "secret")
    Community.objects.filter(pk=community.pk).update(visibility=Visibility.PRIVATE)
    member.community_memberships.all().delete()
    mail.outbox.clear()
    call_command("send_digests")
    assert [m for m in mail.outbox if member.email in m.to] == []


def test_join_request_is_approved_by_a_moderator(user_factory, make_community, add_member):
    community = make_community("circle", join_policy="approval")
    moderator = user_factory(username="mod")
    add_member(community, moderator, role="moderator")
    person = user_factory(username="newcomer")
    membership = services.join(person, community)
    assert membership.status == "pending"
    assert Notification.objects.filter(user=moderator, kind="join_request").exists()
    services.decide_request(moderator, membership, approve=True)
    membership.refresh_from_db()
    assert membership.status == "active"
    assert Community.objects.get(pk=community.pk).member_count == 2


def test_invitation_link_lets_the_invited_person_in(
    client_for, user_factory, make_community, add_member, django_capture_on_commit_callbacks
):
    community = make_community("secret", visibility="private", join_policy="invitation")
    moderator = user_factory(username="mod")
    add_member(community, moderator, role="moderator")
    guest = user_factory(username="guest", email="guest@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(moderator, community, "guest@example.org")
    path = re.search(r"http://testserver(/community/\S+/)", mail.outbox[0].body).group(1)
    stranger = user_factory(username="stranger")
    client = client_for(stranger)
    client.post(path)
    assert not community.memberships.filter(user=stranger).exists()
    client = client_for(guest)
    assert client.post(path).status_code == 302
    assert community.memberships.get(user=guest).status == "active"
