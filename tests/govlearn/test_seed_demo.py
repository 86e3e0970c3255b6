"""seed_demo: demo users with profiles, made in bulk, never duplicated."""

import random
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from content.seeding import SeedContext
from govlearn.seeding import seed_users
from tests.factories import RoleFactory

User = get_user_model()


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def demo_users():
    return User.objects.filter(email__endswith="@example.org", username__startswith="demo")


@pytest.mark.django_db
def test_seed_creates_users_with_profiles():
    roles = [RoleFactory() for _ in range(3)]
    output = seed("--scale", "1")
    assert "users: 20 demo users created (20 in all)" in output
    assert "Demo data ready." in output
    users = list(demo_users())
    assert len(users) == 20
    for user in users:
        assert user.display_name and user.first_name and user.last_name
        assert user.country and user.organisation
        assert user.preferred_language in {"en", "fr"}
        assert user.team_role_id in {role.pk for role in roles} or user.team_role_other
        assert not user.has_usable_password()
    assert any(user.team_role_id for user in users)


@pytest.mark.django_db
def test_seed_is_idempotent_and_grows_with_the_scale():
    seed("--scale", "1")
    output = seed("--scale", "1")
    assert "users: 0 demo users created (20 in all)" in output
    assert demo_users().count() == 20
    output = seed("--scale", "2")
    assert "users: 20 demo users created (40 in all)" in output
    assert demo_users().count() == 40
    assert demo_users().values("email").distinct().count() == 40


@pytest.mark.django_db
def test_scale_five_makes_a_hundred_users_in_bulk(django_assert_max_num_queries):
    RoleFactory()
    context = SeedContext(scale=5, rng=random.Random(1))
    with django_assert_max_num_queries(10):
        summary = seed_users(context)
    assert summary == "100 demo users created (100 in all)"
    assert demo_users().count() == 100
    assert len(context.users) == 100


@pytest.mark.django_db
def test_same_seed_same_people():
    seed("--scale", "1", "--seed", "7")
    first = list(demo_users().order_by("email").values_list("display_name", "country", "organisation"))
    User.objects.all().delete()
    seed("--scale", "1", "--seed", "7")
    again = list(demo_users().order_by("email").values_list("display_name", "country", "organisation"))
    assert first == again


@pytest.mark.django_db
def test_scale_below_one_is_refused():
    with pytest.raises(CommandError):
        seed("--scale", "0")
    assert not demo_users().exists()
