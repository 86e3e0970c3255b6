"""Settings come from the environment: safe defaults, a clear stop without a secret, clean deploy checks."""

import pytest

from tests.govlearn.envs import PRODUCTION_ENV, manage, settings_values

CLOSED_REDIS = "redis://127.0.0.1:6390/0"


@pytest.mark.parametrize("value", [None, "", "0", "false", "no", "off", "banana"])
def test_debug_is_off_unless_asked_for(value):
    assert settings_values(["DEBUG"], DJANGO_DEBUG=value, **PRODUCTION_ENV)["DEBUG"] is False


@pytest.mark.parametrize("value", ["1", "true", "yes", "on"])
def test_debug_is_on_when_asked_for(value):
    assert settings_values(["DEBUG"], DJANGO_DEBUG=value)["DEBUG"] is True


def test_missing_secret_key_outside_debug_stops_start_up_with_a_clear_message():
    result = manage("check", ALLOWED_HOSTS="learn.example.gov")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr
    assert "DJANGO_DEBUG" in result.stderr


def test_empty_secret_key_is_as_bad_as_a_missing_one():
    result = manage("check", SECRET_KEY="", ALLOWED_HOSTS="learn.example.gov")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_runs_without_a_secret_key():
    result = manage("check", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_settings_pass_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)" in result.stdout


def test_deploy_checks_catch_a_weak_secret_key():
    """The deploy check above is real: the same command fails on a weak key."""
    env = {**PRODUCTION_ENV, "SECRET_KEY": "short"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_database_url_selects_postgresql_and_its_search_support():
    values = settings_values(
        ["DATABASES", "INSTALLED_APPS"],
        DATABASE_URL="postgres://learn:pw@db.internal:5433/govlearn",
        **PRODUCTION_ENV,
    )
    db = values["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == ("db.internal", 5433, "govlearn", "learn")
    assert db["CONN_HEALTH_CHECKS"] is True
    assert "django.contrib.postgres" in values["INSTALLED_APPS"]


def test_without_database_url_a_local_sqlite_file_is_used():
    values = settings_values(["DATABASES", "INSTALLED_APPS"], DATABASE_URL="", DJANGO_DEBUG="1")
    db = values["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"].endswith("db.sqlite3")
    assert "django.contrib.postgres" not in values["INSTALLED_APPS"]


def test_redis_url_gives_a_shared_cache_that_fails_over_during_outages():
    values = settings_values(["CACHES", "SESSION_ENGINE"], REDIS_URL=CLOSED_REDIS, **PRODUCTION_ENV)
    cache = values["CACHES"]["default"]
    assert cache["BACKEND"] == "govlearn.cache.FailoverRedisCache"
    assert cache["LOCATION"] == CLOSED_REDIS
    assert cache["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] <= 2
    assert cache["OPTIONS"]["SOCKET_TIMEOUT"] <= 2
    assert 1 <= cache["OPTIONS"]["OUTAGE_RETRY_SECONDS"] <= 30
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_the_redis_retry_window_can_be_tuned():
    values = settings_values(["CACHES"], REDIS_URL=CLOSED_REDIS, REDIS_RETRY_SECONDS="12", **PRODUCTION_ENV)
    assert values["CACHES"]["default"]["OPTIONS"]["OUTAGE_RETRY_SECONDS"] == 12


def test_without_redis_url_the_cache_is_local_memory():
    values = settings_values(["CACHES", "SESSION_ENGINE"], DJANGO_DEBUG="1")
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_email_url_configures_smtp():
    values = settings_values(
        ["EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_USE_TLS"],
        EMAIL_URL="smtp://mailer:s3cret@smtp.example.gov:587/?tls=True",
        **PRODUCTION_ENV,
    )
    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.gov",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_USE_TLS": True,
    }


def test_debug_prints_mail_to_the_console():
    values = settings_values(["EMAIL_BACKEND"], DJANGO_DEBUG="1")
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_hosts_and_site_url():
    values = settings_values(
        [
            "ALLOWED_HOSTS",
            "SITE_URL",
            "WAGTAILADMIN_BASE_URL",
            "CSRF_TRUSTED_ORIGINS",
            "ACCOUNT_DEFAULT_HTTP_PROTOCOL",
        ],
        **{
            **PRODUCTION_ENV,
            "ALLOWED_HOSTS": "learn.example.gov, www.learn.example.gov",
            "SITE_URL": "https://learn.example.gov/",
        },
    )
    assert values["ALLOWED_HOSTS"] == ["learn.example.gov", "www.learn.example.gov"]
    assert values["SITE_URL"] == values["WAGTAILADMIN_BASE_URL"] == "https://learn.example.gov"
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://learn.example.gov"]
    assert values["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "https"


def test_outside_debug_no_host_is_allowed_by_default():
    values = settings_values(["ALLOWED_HOSTS"], SECRET_KEY=PRODUCTION_ENV["SECRET_KEY"])
    assert values["ALLOWED_HOSTS"] == []


def test_production_transport_security():
    values = settings_values(
        [
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SECURE_REDIRECT_EXEMPT",
        ],
        **PRODUCTION_ENV,
    )
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_REDIRECT_EXEMPT"] == [r"^healthz$"]


def test_debug_does_not_force_https():
    values = settings_values(
        ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE"], DJANGO_DEBUG="1"
    )
    assert values == {"SECURE_SSL_REDIRECT": False, "SECURE_HSTS_SECONDS": 0, "SESSION_COOKIE_SECURE": False}


def test_the_redis_backend_is_django_redis():
    from django_redis.cache import RedisCache

    from govlearn.cache import FailoverRedisCache

    assert issubclass(FailoverRedisCache, RedisCache)


def test_the_redis_cache_works_when_redis_is_up():
    """Against the Redis that development and CI machines run on 127.0.0.1:6379."""
    import uuid

    from govlearn.cache import FailoverRedisCache

    cache = FailoverRedisCache(
        "redis://127.0.0.1:6379/15", {"KEY_PREFIX": f"govlearn-test-{uuid.uuid4().hex}", "OPTIONS": {}}
    )
    assert cache.add("k", "v", timeout=10) is True
    assert cache.add("k", "other", timeout=10) is False
    assert cache.get("k") == "v"
    assert cache.client.get("k") == "v"  # in Redis itself, not in the fallback
    assert cache.fallback.get("k") is None
    cache.delete("k")
    assert cache.get("k") is None
    assert cache.redis_is_reachable() is True


def test_a_redis_outage_behaves_like_a_local_cache():
    """Like Django's local-memory cache, not like "no cache": values are kept and add() is a real lock."""
    from govlearn.cache import FailoverRedisCache

    down = FailoverRedisCache(CLOSED_REDIS, {"OPTIONS": {}})
    down.clear()
    assert down.add("k", "v") is True
    assert down.add("k", "other") is False
    assert down.get("k") == "v"
    assert down.get("missing", "default") == "default"
    assert down.redis_is_reachable() is False


@pytest.mark.django_db
def test_site_keeps_working_when_redis_is_down(client, home_page, user_factory, redis_down):
    assert client.get("/").status_code == 200
    assert client.get("/accounts/login/").status_code == 200
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["database"] == "ok"
    assert health.json()["cache"] == "unavailable"


@pytest.mark.django_db
def test_sessions_survive_a_redis_outage(client, home_page, user_factory, redis_down):
    """Sessions live in the database: losing the cache signs nobody out."""
    user = user_factory(email="ada@example.org", password="correct-horse-battery")
    response = client.post(
        "/accounts/login/", {"login": "ada@example.org", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200
    assert int(client.session["_auth_user_id"]) == user.pk
