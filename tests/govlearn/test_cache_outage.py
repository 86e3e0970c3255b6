"""A Redis outage is not an outage: every flow works, rate limits keep counting in the process's memory,
sign-in guessing fails closed, a dead Redis costs no timeout per call, and /healthz tells the truth."""

import logging
import re
import time
import uuid
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache.backends.locmem import LocMemCache

from community.models import Community, Membership, Post, Thread
from courses.models import CourseIndexPage, CoursePage, Enrolment, LessonPage, ModulePage
from govlearn.cache import FailoverRedisCache, describe_server
from playbook.models import (
    Deliverable,
    DeliverableCompletion,
    PlaybookPage,
    PlaybookSectionPage,
    PlaybookStepPage,
)
from tests.govlearn.redis_tools import CLOSED_REDIS, dev_redis_db, site_cache

PASSWORD = "correct-horse-battery"


def backend(location: str, **options) -> FailoverRedisCache:
    """A cache object as Django builds it from settings, with a key prefix of this test's own."""
    cache = FailoverRedisCache(
        location,
        {
            "KEY_PREFIX": f"govlearn-test-{uuid.uuid4().hex}",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1, **options},
        },
    )
    cache.fallback.clear()
    return cache


def _is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _first_link(body: str) -> str:
    match = re.search(r"https?://testserver(/\S+)", body)
    assert match, body
    return match.group(1)


# --- the backend ----------------------------------------------------------------------------------------


def test_during_an_outage_the_cache_still_holds_values_and_locks():
    """What allauth's rate limits and the community limits need: add() is a real lock, incr() counts."""
    cache = backend(CLOSED_REDIS)
    assert cache.add("lock", 1, 10) is True
    assert cache.add("lock", 1, 10) is False
    cache.set("counter", 0, 60)
    assert cache.incr("counter") == 1
    assert cache.incr("counter") == 2
    assert cache.get("counter") == 2
    assert cache.get_many(["counter", "missing"]) == {"counter": 2}
    with pytest.raises(ValueError):
        cache.incr("missing")  # same contract as every Django cache
    assert cache.delete("counter") is True
    assert cache.get("counter", "gone") == "gone"
    assert cache.get_or_set("computed", lambda: 42) == 42


def test_a_dead_redis_costs_no_timeout_per_call(silent_redis):
    """A Redis that never answers: the first call waits for its timeout, the next ones within the retry
    window do not even reach it."""
    cache = backend(
        silent_redis.url(), SOCKET_TIMEOUT=0.3, SOCKET_CONNECT_TIMEOUT=0.3, OUTAGE_RETRY_SECONDS=60
    )
    started = time.monotonic()
    cache.set("first", 1)
    assert time.monotonic() - started >= 0.3  # really waited: the server is hung, not refusing
    reached = (silent_redis.connections, silent_redis.bytes_received)
    assert reached[1] > 0

    started = time.monotonic()
    for n in range(200):
        cache.set(f"key-{n}", n)
        assert cache.get(f"key-{n}") == n
    assert time.monotonic() - started < 0.3  # 400 calls in less than one timeout
    assert (silent_redis.connections, silent_redis.bytes_received) == reached


def test_redis_is_tried_again_after_the_retry_window(silent_redis):
    cache = backend(
        silent_redis.url(), SOCKET_TIMEOUT=0.2, SOCKET_CONNECT_TIMEOUT=0.2, OUTAGE_RETRY_SECONDS=0.3
    )
    cache.get("k")
    reached = silent_redis.bytes_received
    cache.get("k")
    assert silent_redis.bytes_received == reached
    time.sleep(0.35)
    cache.get("k")
    assert silent_redis.bytes_received > reached  # one probe went out


def test_when_redis_is_back_the_shared_cache_is_used_again(cuttable_redis):
    first = backend(cuttable_redis.url(), OUTAGE_RETRY_SECONDS=0.2)
    # Another process (its own circuit and memory) sharing the same Redis through another address.
    other = FailoverRedisCache(
        cuttable_redis.url().replace("127.0.0.1", "localhost"),
        {"KEY_PREFIX": first.key_prefix, "OPTIONS": {"OUTAGE_RETRY_SECONDS": 0.2}},
    )
    cuttable_redis.cut()
    first.set("during", "local only")
    assert first.get("during") == "local only"
    assert other.get("during") is None  # the fallback is per process: documented, not shared

    cuttable_redis.plug_in()
    time.sleep(0.25)
    first.set("after", "shared")
    assert other.get("after") == "shared"
    assert first.get("during") is None  # the outage's local copy is dropped, nothing stale remains
    assert first.redis_is_reachable() is True


def test_keys_changed_during_an_outage_do_not_come_back_stale(cuttable_redis):
    """A value deleted or replaced while Redis was unreachable must not reappear from Redis's old copy."""
    cache = backend(cuttable_redis.url(), OUTAGE_RETRY_SECONDS=0.2)
    cache.set("deleted", "old")
    cache.set("replaced", "old")
    cache.set("untouched", "kept")
    cuttable_redis.cut()
    cache.delete("deleted")
    cache.set("replaced", "new")
    assert cache.get("replaced") == "new"

    cuttable_redis.plug_in()
    time.sleep(0.25)
    assert cache.get("deleted") is None
    assert cache.get("replaced") is None  # unknown beats stale: a cache may always miss
    assert cache.get("untouched") == "kept"


def test_an_outage_is_logged_once_and_the_recovery_once(cuttable_redis, caplog):
    cache = backend(cuttable_redis.url(), OUTAGE_RETRY_SECONDS=0.1)
    cache.set("k", 1)
    cuttable_redis.cut()
    with caplog.at_level(logging.DEBUG, logger="govlearn.cache"):
        for _ in range(3):
            for n in range(50):
                cache.get(f"k{n}")
            time.sleep(0.12)  # each window ends with one failed retry
        warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(warnings) == 1
        assert "unreachable" in warnings[0].getMessage()
        cuttable_redis.plug_in()
        time.sleep(0.12)
        cache.get("k")
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 2
    assert "reachable again" in warnings[1].getMessage()


def test_log_lines_never_carry_the_redis_password():
    where = describe_server("redis://:s3cret-pass@cache.internal:6380/2")
    assert where == "cache.internal:6380/2"
    assert "s3cret" not in where


def test_if_even_local_memory_fails_a_cache_lock_is_refused():
    """Fail closed: allauth counts sign-in attempts under a cache lock; no lock, no attempt."""
    cache = backend(CLOSED_REDIS)
    with mock.patch.object(LocMemCache, "add", side_effect=RuntimeError("memory gone")):
        assert cache.add("lock", 1, 10) is False


def test_clear_deletes_only_this_sites_keys():
    """A Redis database may be shared: clear() must not empty it (FLUSHDB) for everyone."""
    url = f"redis://127.0.0.1:6379/{dev_redis_db()}"
    ours, theirs = backend(url), backend(url)
    ours.set("k", "ours")
    theirs.set("k", "theirs")
    ours.clear()
    assert ours.get("k") is None
    assert theirs.get("k") == "theirs"
    theirs.clear()


# --- the site, with Redis down ----------------------------------------------------------------------------


@pytest.fixture
def course(home_page):
    index = CourseIndexPage(title="Courses", slug="courses")
    home_page.add_child(instance=index)
    course = CoursePage(title="GovStack basics", summary="About GovStack")
    index.add_child(instance=course)
    module = ModulePage(title="Module 1", slug="module-1")
    course.add_child(instance=module)
    module.add_child(instance=LessonPage(title="Lesson 1", slug="lesson-1", body=[]))
    return course


@pytest.fixture
def deliverable(home_page):
    playbook = PlaybookPage(title="Playbook", slug="playbook")
    home_page.add_child(instance=playbook)
    section = PlaybookSectionPage(title="Section 1", slug="section-1")
    playbook.add_child(instance=section)
    step = PlaybookStepPage(title="Step 1", slug="step-1", number="1", summary="First step")
    step.deliverables = [Deliverable(title="A service blueprint")]
    section.add_child(instance=step)
    return Deliverable.objects.get()


@pytest.fixture
def community(db):
    return Community.objects.create(name="Payments", slug="payments")


@pytest.mark.django_db
def test_every_flow_works_while_redis_is_down(
    client, site, course, deliverable, community, mailoutbox, redis_down
):
    # Sign up, confirm the address, sign in.
    response = client.post(
        "/accounts/signup/", {"email": "amina@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    client.post(_first_link(mailoutbox[0].body))
    assert EmailAddress.objects.get(email="amina@example.org").verified
    client.logout()
    response = client.post("/accounts/login/", {"login": "amina@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert _is_logged_in(client)
    person = get_user_model().objects.get(email="amina@example.org")

    # Join a community, start a thread, reply.
    response = client.post(f"/community/{community.slug}/membership/", {"action": "join"})
    assert response.status_code == 302
    assert Membership.objects.filter(user=person, community=community, status="active").exists()
    response = client.post(
        f"/community/{community.slug}/new/",
        {"title": "How do you reconcile payments?", "body": "We struggle.", "submission": "s1"},
    )
    assert response.status_code == 302
    thread = Thread.objects.get(community=community)
    response = client.post(thread.get_absolute_url(), {"body": "Me too.", "post": "1", "submission": "s2"})
    assert response.status_code == 302
    assert Post.objects.filter(thread=thread).count() == 2

    # Enrol in a course, tick a deliverable.
    response = client.post(f"{course.url}enrolment/", {"action": "enrol"})
    assert response.status_code == 302
    assert Enrolment.objects.filter(user=person, course=course).exists()
    response = client.post(f"/playbook/progress/deliverable/{deliverable.pk}/", {"done": "1"})
    assert response.status_code == 302
    assert DeliverableCompletion.objects.filter(user=person, deliverable=deliverable).exists()

    for path in ["/", "/me/", "/community/", thread.get_absolute_url(), course.url, "/search/?q=pay"]:
        assert client.get(path).status_code == 200, path
    client.post("/accounts/logout/")
    assert not _is_logged_in(client)


@pytest.mark.django_db
def test_the_posting_rate_limit_still_refuses_while_redis_is_down(
    client, site, community, user_factory, redis_down
):
    """A new account may post twice a minute (community.services.RATE_LIMITS): the third is refused."""
    person = user_factory()
    client.force_login(person)
    client.post(f"/community/{community.slug}/membership/", {"action": "join"})
    response = client.post(f"/community/{community.slug}/new/", {"title": "First", "body": "One"})
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert client.post(thread.get_absolute_url(), {"body": "Two", "post": "1"}).status_code == 302
    response = client.post(thread.get_absolute_url(), {"body": "Three", "post": "1"})
    assert response.status_code == 400
    assert "You are posting too quickly" in response.content.decode()
    assert list(Post.objects.values_list("body", flat=True).order_by("pk")) == ["One", "Two"]


@pytest.mark.django_db
def test_failed_sign_ins_are_still_limited_while_redis_is_down(client, user, redis_down):
    """ACCOUNT_RATE_LIMITS["login_failed"]: 5 failures per address in 5 minutes, then even the right
    password is refused - counted in this process's memory while Redis is away."""
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": user.email, "password": "wrong-password-1"})
        assert response.status_code == 200
        assert "Too many failed login attempts" not in response.content.decode()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code < 500
    assert "Too many failed login attempts" in response.content.decode()
    assert not _is_logged_in(client)


@pytest.mark.django_db
def test_sign_in_fails_closed_when_no_attempt_can_be_counted(client, user, redis_down):
    """Redis down and the process's memory failing too: the sign-in is refused, not let through."""
    with mock.patch.object(LocMemCache, "add", side_effect=RuntimeError("memory gone")):
        response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert not _is_logged_in(client)


@pytest.mark.django_db
def test_healthz_reports_redis_down_even_though_the_fallback_answers(client, redis_down):
    redis_down.set("k", "v")
    assert redis_down.get("k") == "v"  # the site's cache works...
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["cache"]) == ("degraded", "ok", "unavailable")


@pytest.mark.django_db
def test_healthz_follows_redis_going_and_coming_back(client, cuttable_redis):
    with site_cache(cuttable_redis.url(), OUTAGE_RETRY_SECONDS=0.2):
        assert client.get("/healthz").json()["cache"] == "ok"
        cuttable_redis.cut()
        assert client.get("/healthz").json()["cache"] == "unavailable"
        cuttable_redis.plug_in()
        time.sleep(0.25)
        assert client.get("/healthz").json()["cache"] == "ok"
