"""Fixtures for the site-shell tests: Redis outages on demand (see redis_tools)."""

import pytest

from tests.govlearn.redis_tools import CLOSED_REDIS, CuttableRedis, SilentServer, site_cache


@pytest.fixture
def redis_down():
    """The site with production cache settings and a Redis nobody answers at (a closed port)."""
    with site_cache(CLOSED_REDIS) as cache:
        assert cache.redis_is_reachable() is False
        yield cache


@pytest.fixture
def cuttable_redis():
    """A proxy to the development Redis whose cable the test can cut and plug back in."""
    proxy = CuttableRedis()
    yield proxy
    proxy.stop()


@pytest.fixture
def silent_redis():
    """A Redis that accepts connections and never answers (hung, or behind a black hole)."""
    server = SilentServer()
    yield server
    server.stop()
