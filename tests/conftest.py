"""Shared fixtures: a set-up site, users with verified e-mail, and a clean cache for every test."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from tests.factories import UserFactory
from tests.signing_in import sign_in_with_second_factor


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached pages live in the cache: no test may see another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(db):
    """Locales, the home page as the default site's root, and the staff groups, as `setup_site` makes them."""
    from govlearn.setup import setup_site

    setup_site()
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True)


@pytest.fixture
def home_page(site):
    return site.root_page.specific


@pytest.fixture
def user_factory(db):
    def make(password: str = "correct-horse-battery", verified: bool = True, **kwargs):
        user = UserFactory(**kwargs)
        user.set_password(password)
        user.save()
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def user(user_factory):
    return user_factory()


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin_client, signed in as production requires of staff: with a second factor."""
    return sign_in_with_second_factor(client, admin_user)


def pytest_collection_modifyitems(items):
    """A transactional test flushes the database when it ends; without serialized_rollback the flush
    re-creates content types, and the next test that restores the initial data (Wagtail's root page)
    fails on duplicates. So every transactional test must restore serialized data."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: use @pytest.mark.django_db(transaction=True, serialized_rollback=True)"
            )
