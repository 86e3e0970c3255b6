"""Stored counters stay equal to the real counts when people join, reply, react and start threads at once.

On PostgreSQL the workers run in parallel threads, each with its own database connection; on SQLite
(one writer at a time) the same work runs one worker after another and the same counts are asserted.
"""

import contextlib
import functools
import threading

import pytest
from django.db import connection
from django.db.models import Max

from community import services
from community.counters import drift, recount
from community.models import (
    Community,
    Flag,
    Membership,
    MembershipRole,
    ModerationAction,
    Notification,
    Post,
    Reaction,
    Status,
    Thread,
)

PEOPLE = 4
WORKERS_PER_PERSON = 2  # the same person in two browser tabs: double joins and clicks race too
REPLIES = 5


def run_workers(work, count: int) -> list[BaseException]:
    """Run `work(index)` for each worker: all at once on PostgreSQL, one by one elsewhere."""
    errors: list[BaseException] = []
    if connection.vendor != "postgresql":
        for index in range(count):
            work(index)
        return errors
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(index)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a worker hung (a deadlock?)"
    return errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_counters_match_the_real_counts_under_simultaneous_activity(make_community, user_factory):
    community = make_community("payments")
    starter = user_factory(username="starter")
    services.join(starter, community)
    question = services.start_thread(starter, community, "How do you reconcile?", "Tell us.")
    people = [user_factory(username=f"person{n}") for n in range(PEOPLE)]

    def work(index: int) -> None:
        person, tab = people[index % PEOPLE], index // PEOPLE
        services.join(person, community)
        for n in range(REPLIES):
            services.post_reply(person, question, f"Reply {n} from {person.username} in tab {tab}.")
        services.toggle_helpful(person, question.first_post)
        services.start_thread(person, community, f"Question {index}", f"Asked in tab {tab}.")

    errors = run_workers(work, PEOPLE * WORKERS_PER_PERSON)
    assert errors == []

    question.refresh_from_db()
    community.refresh_from_db()
    posts = Post.objects.filter(thread=question)
    assert posts.count() == 1 + PEOPLE * WORKERS_PER_PERSON * REPLIES
    assert question.reply_count == posts.count() - 1
    latest = posts.order_by("-created_at", "-pk").first()
    assert question.last_post_id == latest.pk and question.last_activity == latest.created_at

    first_post = Post.objects.get(pk=question.first_post_id)
    assert first_post.helpful_count == Reaction.objects.filter(post=first_post).count()

    assert Membership.objects.filter(community=community, status=Status.ACTIVE).count() == 1 + PEOPLE
    assert community.member_count == 1 + PEOPLE
    threads = Thread.objects.filter(community=community)
    assert threads.count() == 1 + PEOPLE * WORKERS_PER_PERSON
    assert community.thread_count == threads.count()
    assert community.last_activity == threads.aggregate(latest=Max("last_activity"))["latest"]
    assert Community.objects.get(pk=community.pk).last_activity >= latest.created_at


# --- moderators and authors acting on the same rows at once -------------------------------------------


def _fresh(model, pk: int):
    """What a request handler has: its own copy of the row, read before it acts (stale once another acts)."""
    return model.objects.select_related(*RELATED[model]).get(pk=pk)


RELATED = {
    Post: ["thread__community", "author"],
    Thread: ["community"],
    Membership: ["community", "user"],
    Community: [],
}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_moderation_changes_every_counter_once(make_community, user_factory):
    home = make_community("home", join_policy="approval")
    there, elsewhere = make_community("there"), make_community("elsewhere")
    mods = [user_factory(username=f"mod{n}") for n in range(2)]
    for place in (home, there, elsewhere):
        for mod in mods:
            Membership.objects.create(community=place, user=mod, role=MembershipRole.MODERATOR)
    asker = user_factory(username="asker")
    Membership.objects.create(community=home, user=asker)
    answerers = [user_factory(username=f"answerer{n}") for n in range(3)]
    for person in answerers:
        Membership.objects.create(community=home, user=person)
    pending = [user_factory(username=f"pending{n}") for n in range(2)]
    for person in pending:
        Membership.objects.create(community=home, user=person, status=Status.PENDING)
    banned = user_factory(username="banned")
    Membership.objects.create(community=home, user=banned, status=Status.BANNED)
    recount()  # the fixtures above made rows directly: start from right counts

    question = services.start_thread(asker, home, "Which ledger?", "Tell us.")
    replies = [services.post_reply(answerers[n % 3], question, f"Answer {n}.") for n in range(4)]
    services.set_post_hidden(mods[0], replies[1], True, "check")
    movable = services.start_thread(asker, home, "Move me", "Somewhere else.")
    lockable = services.start_thread(asker, home, "Lock me", "Enough said.")
    assert drift() == []

    def post(n):
        return _fresh(Post, replies[n].pk)

    def membership(person):
        return _fresh(Membership, Membership.objects.get(community=home, user=person).pk)

    def home_copy():
        return _fresh(Community, home.pk)

    lock = functools.partial(services.set_thread_state, locked=True)
    # (service, arguments): every worker holds its own copies, read before anyone acts.
    actions = [
        # Two moderators hide the same reply while its author deletes it.
        (services.set_post_hidden, mods[0], post(0), True, "spam"),
        (services.set_post_hidden, mods[1], post(0), True, "spam"),
        (services.delete_post, answerers[0], post(0)),
        # Two moderators show a hidden reply again at once.
        (services.set_post_hidden, mods[0], post(1), False),
        (services.set_post_hidden, mods[1], post(1), False),
        # The author deletes a reply from two tabs.
        (services.delete_post, answerers[2], post(2)),
        (services.delete_post, answerers[2], post(2)),
        # The asker accepts a reply while a moderator hides it.
        (services.accept_answer, asker, post(3)),
        (services.set_post_hidden, mods[1], post(3), True, "off topic"),
        # Two moderators approve the same request; another request is approved while it is withdrawn.
        (services.decide_request, mods[0], membership(pending[0]), True),
        (services.decide_request, mods[1], membership(pending[0]), True),
        (services.decide_request, mods[0], membership(pending[1]), True),
        (services.leave, pending[1], home_copy()),
        # Two moderators ban the same member; another member is banned as they leave.
        (services.set_banned, mods[0], home_copy(), answerers[1], True, "abuse"),
        (services.set_banned, mods[1], home_copy(), answerers[1], True, "abuse"),
        (services.set_banned, mods[0], home_copy(), answerers[2], True, "abuse"),
        (services.leave, answerers[2], home_copy()),
        # Two moderators lift the same ban.
        (services.set_banned, mods[0], home_copy(), banned, False),
        (services.set_banned, mods[1], home_copy(), banned, False),
        # Two moderators move the same thread to two different communities; two lock another one.
        (services.move_thread, mods[0], _fresh(Thread, movable.pk), _fresh(Community, there.pk)),
        (services.move_thread, mods[1], _fresh(Thread, movable.pk), _fresh(Community, elsewhere.pk)),
        (lock, mods[0], _fresh(Thread, lockable.pk)),
        (lock, mods[1], _fresh(Thread, lockable.pk)),
    ]

    def work(index: int) -> None:
        service, *arguments = actions[index]
        # A refusal (the post was hidden first, the thread moved already) is a right answer to a race.
        with contextlib.suppress(services.CommunityError):
            service(*arguments)

    errors = run_workers(work, len(actions))
    assert errors == []
    assert drift() == []
    home.refresh_from_db()
    # asker, answerer 0, pending 0, banned (ban lifted) and the two moderators
    assert home.member_count == 6
    assert ModerationAction.objects.filter(action="approve", target_user=pending[0]).count() == 1
    assert ModerationAction.objects.filter(action="hide", post=replies[0]).count() == 1
    assert ModerationAction.objects.filter(action="unhide").count() == 1
    assert ModerationAction.objects.filter(action="ban", target_user=answerers[1]).count() == 1
    assert ModerationAction.objects.filter(action="unban").count() == 1
    assert ModerationAction.objects.filter(action="lock").count() == 1
    assert ModerationAction.objects.filter(action="move", community=home).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_acceptances_of_one_invitation_make_one_membership(make_community, user_factory):

    secret = make_community("secret", visibility="private", join_policy="invitation")
    moderator = user_factory(username="secret-mod")
    Membership.objects.create(community=secret, user=moderator, role=MembershipRole.MODERATOR)
    recount()
    guest = user_factory(username="guest", email="guest@example.org")
    invitation = services.invite(moderator, secret, "guest@example.org")
    token = services.invitation_token(invitation)
    tabs = 4

    errors = run_workers(
        lambda index: services.accept_invitation(guest, _fresh(Community, secret.pk), token), tabs
    )
    assert errors == []
    assert Membership.objects.filter(community=secret, user=guest, status=Status.ACTIVE).count() == 1
    assert Community.objects.get(pk=secret.pk).member_count == 2
    invitation.refresh_from_db()
    assert invitation.accepted_by_id == guest.pk
    assert drift() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_people_reporting_one_post_at_once_tell_the_moderators_once(make_community, user_factory):
    community = make_community("payments")
    moderator = user_factory(username="mod")
    Membership.objects.create(community=community, user=moderator, role=MembershipRole.MODERATOR)
    writer = user_factory(username="writer")
    services.join(writer, community)
    thread = services.start_thread(writer, community, "Cheap watches", "Buy them here.")
    reporters = [user_factory(username=f"reporter{n}") for n in range(PEOPLE)]

    def work(index: int) -> None:
        reporter = reporters[index % PEOPLE]  # each reporter in two tabs
        services.flag_post(reporter, _fresh(Post, thread.first_post_id), f"Spam (tab {index // PEOPLE})")

    errors = run_workers(work, PEOPLE * WORKERS_PER_PERSON)
    assert errors == []
    assert Flag.objects.filter(post_id=thread.first_post_id, resolved_at=None).count() == PEOPLE
    assert Notification.objects.filter(user=moderator, kind="report").count() == 1
