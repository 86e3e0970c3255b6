"""Community fixtures: communities of each visibility, people in each role, and helpers to post."""

import pytest
from django.contrib.auth.models import Permission

from community import services
from community.models import Community, JoinPolicy, Membership, MembershipRole, Status, Visibility
from community.services import rate_limits

REAL_RATE_LIMITS = rate_limits.RATE_LIMITS


@pytest.fixture(autouse=True)
def _generous_rate_limits(monkeypatch):
    """Scenarios post quickly; the limits themselves are tested with the real values (REAL_RATE_LIMITS)."""
    generous = {"established": [(1000, 60)], "new": [(1000, 60)]}
    monkeypatch.setattr(rate_limits, "RATE_LIMITS", dict.fromkeys(REAL_RATE_LIMITS, generous))


@pytest.fixture
def real_limits(monkeypatch):
    """`real_limits("report", …)`: these actions get their shipped limits (to test the limits themselves)."""

    def restore(*actions: str) -> dict:
        for action in actions:
            monkeypatch.setitem(rate_limits.RATE_LIMITS, action, REAL_RATE_LIMITS[action])
        return REAL_RATE_LIMITS

    return restore


@pytest.fixture
def make_community(db):
    def make(slug: str = "payments", visibility: str = Visibility.PUBLIC, join_policy: str = JoinPolicy.OPEN):
        return Community.objects.create(
            name=slug.replace("-", " ").title(), slug=slug, visibility=visibility, join_policy=join_policy
        )

    return make


@pytest.fixture
def community(make_community):
    return make_community()


@pytest.fixture
def add_member(db):
    def add(community, user, role: str = MembershipRole.MEMBER, status: str = Status.ACTIVE):
        membership = Membership.objects.create(community=community, user=user, role=role, status=status)
        if status == Status.ACTIVE:
            community.member_count += 1
            Community.objects.filter(pk=community.pk).update(member_count=community.member_count)
        return membership

    return add


@pytest.fixture
def member(user_factory, community, add_member):
    person = user_factory(username="member", display_name="Member Person")
    add_member(community, person)
    return person


@pytest.fixture
def moderator(user_factory, community, add_member):
    person = user_factory(username="moderator", display_name="Moderator Person")
    add_member(community, person, role=MembershipRole.MODERATOR)
    return person


@pytest.fixture
def editor(user_factory):
    person = user_factory(username="editor", display_name="Editor Person")
    person.user_permissions.add(Permission.objects.get(codename="change_community"))
    return person


@pytest.fixture
def thread(community, member):
    return services.start_thread(
        member, community, "How do you reconcile payments?", "We **struggle** with it."
    )


@pytest.fixture
def client_for(client):
    """A client signed in as the given person (or anonymous for None)."""

    def make(person):
        client.logout()
        if person is not None:
            client.force_login(person)
        return client

    return make
