"""A signed-out session stays dead: sessions live in the database, so a sign-out or a password change made
while Redis was unreachable still holds when Redis comes back with its old copy of the session."""

import uuid

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.govlearn.redis_tools import site_cache

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _signed_in(client: Client) -> bool:
    """Asked of the site, not of the test client's session object: does /me/ open?"""
    return client.get("/me/").status_code == 200


def _sign_in(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert _signed_in(client)
    return client


def _sign_out_during_an_outage_then_come_back(user, redis) -> bool:
    """Sign in with Redis up, sign out while it is cut off, plug it back in; is the old cookie signed in?

    The request after the outage is served by another process (another address of the same Redis, so its
    own breaker and memory): one that never saw the outage and trusts what Redis says."""
    prefix = f"govlearn-test-{uuid.uuid4().hex}"
    with site_cache(redis.url(), key_prefix=prefix):
        client = _sign_in(user)
        old_cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        redis.cut()
        assert client.post("/accounts/logout/").status_code == 302
        assert not _signed_in(client)
        redis.plug_in()
    with site_cache(redis.url().replace("127.0.0.1", "localhost"), key_prefix=prefix, clear=False):
        client.cookies[django_settings.SESSION_COOKIE_NAME] = old_cookie
        return _signed_in(client)


def test_a_session_signed_out_while_redis_was_down_stays_dead(user, site, cuttable_redis):
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert _sign_out_during_an_outage_then_come_back(user, cuttable_redis) is False


def test_with_cached_db_sessions_the_same_sign_out_would_be_undone(user, site, cuttable_redis, settings):
    """Why the session engine is `db`: the scenario above is real, cached_db fails it."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    assert _sign_out_during_an_outage_then_come_back(user, cuttable_redis) is True


def test_a_password_changed_while_redis_is_down_signs_out_the_other_devices(user, site, cuttable_redis):
    prefix = f"govlearn-test-{uuid.uuid4().hex}"
    with site_cache(cuttable_redis.url(), key_prefix=prefix):
        phone, laptop = _sign_in(user), _sign_in(user)
        cuttable_redis.cut()
        new_password = "a-brand-new-passphrase"
        response = phone.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
        )
        assert response.status_code == 302
        assert _signed_in(phone)  # the device that changed it stays signed in
        assert not _signed_in(laptop)
        cuttable_redis.plug_in()
    with site_cache(cuttable_redis.url().replace("127.0.0.1", "localhost"), key_prefix=prefix, clear=False):
        assert _signed_in(phone)
        assert not _signed_in(laptop)


def test_signing_out_on_one_device_leaves_the_others_signed_in(user, site):
    phone, laptop = _sign_in(user), _sign_in(user)
    phone.post("/accounts/logout/")
    assert not _signed_in(phone)
    assert _signed_in(laptop)
