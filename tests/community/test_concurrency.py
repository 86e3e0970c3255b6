"""Stored counters stay equal to the real counts when people join, reply, react and start threads at once.

On PostgreSQL the workers run in parallel threads, each with its own database connection; on SQLite
(one writer at a time) the same work runs one worker after another and the same counts are asserted.
"""

import threading

import pytest
from django.db import connection
from django.db.models import Max

from community import services
from community.models import Community, Membership, Post, Reaction, Status, Thread

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
