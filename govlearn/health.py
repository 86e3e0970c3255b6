"""Health check for load balancers and monitors: is the database reachable, is the cache answering."""

import time
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def cache_ok() -> bool:
    """A round trip through the cache; with Redis down, django-redis swallows errors and this is False."""
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
