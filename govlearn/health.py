"""Health check for load balancers and monitors: is the database reachable, is the cache answering."""

import time
import uuid

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.db import DatabaseError, connection

from .cache import FailoverRedisCache


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def cache_ok() -> bool:
    """Is the shared cache answering? For Redis, asked of Redis itself: its fallback answering for it
    during an outage must not hide the outage from monitoring."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, FailoverRedisCache):
        return backend.redis_is_reachable()
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=5)
        ok = cache.get(key) == "ok"
        cache.delete(key)
        return ok
    except Exception:  # noqa: BLE001 - any cache failure means "degraded", never an error page
        return False


def health_report() -> tuple[dict, int]:
    started = time.monotonic()
    db = database_ok()
    cached = cache_ok()
    report = {
        "status": "ok" if db and cached else ("degraded" if db else "unavailable"),
        "database": "ok" if db else "unavailable",
        "cache": "ok" if cached else "unavailable",
        "duration_ms": round((time.monotonic() - started) * 1000, 1),
    }
    return report, 200 if db else 503
