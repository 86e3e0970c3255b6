"""/healthz: JSON for load balancers; 503 only when the database is gone, a cache outage is "degraded"."""

from unittest import mock

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    assert isinstance(body["duration_ms"], int | float)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_database_down_gives_503(client):
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("server closed the connection")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "unavailable"
    assert body["status"] == "unavailable"


def test_database_answering_nonsense_counts_as_down(client):
    cursor = mock.MagicMock()
    cursor.__enter__.return_value.fetchone.return_value = None
    with mock.patch.object(connection, "cursor", return_value=cursor):
        response = client.get("/healthz")
    assert response.status_code == 503


LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_cache_down_still_answers_200(client, settings):
    settings.CACHES = LOCAL_CACHE  # the generic round trip; Redis's own check: test_cache_outage.py
    with mock.patch("govlearn.health.cache") as cache:
        cache.set.side_effect = ConnectionError("redis gone")
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body == {**body, "status": "degraded", "database": "ok", "cache": "unavailable"}


def test_cache_that_loses_values_is_unavailable(client, settings):
    """A cache that silently drops writes (a dummy cache, a full one) is not answering either."""
    settings.CACHES = LOCAL_CACHE
    with mock.patch("govlearn.health.cache") as cache:
        cache.get.return_value = None
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["cache"] == "unavailable"


def test_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200


def test_healthz_is_exempt_from_the_https_redirect(client, settings):
    """Load balancers probe over plain HTTP; every other page is redirected to HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    assert settings.SECURE_REDIRECT_EXEMPT == [r"^healthz$"]  # from base settings, not the test
    assert client.get("/healthz").status_code == 200
    redirected = client.get("/search/")
    assert redirected.status_code == 301
    assert redirected["Location"].startswith("https://")
    assert client.get("/healthzz").status_code == 301
