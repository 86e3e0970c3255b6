"""The Redis cache backend: django-redis that fails over to this process's memory while Redis is down.

During an outage every cache call is served from a local-memory cache in this process, so rate limits
(allauth's sign-in limits, the community posting limits), cache locks and cached values keep working -
per process, not shared between processes - instead of vanishing or raising. A circuit breaker stops a
dead or black-holed Redis from costing a socket timeout on every call: after a failure this process
leaves Redis alone for `OUTAGE_RETRY_SECONDS`, then one call tries again. When Redis answers again,
the keys this process wrote or deleted during the outage are deleted from Redis first, so that no stale
entry comes back (a deleted value, an old counter), and the local copy is dropped.

OPTIONS of our own (the rest is django-redis's): `OUTAGE_RETRY_SECONDS` (default 5),
`FALLBACK_MAX_ENTRIES` (default 20 000: the local cache must hold a burst of rate-limit counters without
evicting them, or an attacker could flush a counter by filling the cache).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.client.default import glob_escape
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEFAULT_RETRY_SECONDS = 5.0
DEFAULT_FALLBACK_MAX_ENTRIES = 20_000
# Keys changed during an outage are deleted from Redis when it is back; past this many, the whole
# prefix is cleared instead (cheaper than remembering everything, and never stale).
MAX_REMEMBERED_KEYS = 10_000
OUTAGE_ERRORS = (ConnectionInterrupted, RedisError, OSError)


class Circuit:
    """One process's view of one Redis server, shared by the per-thread cache objects Django creates."""

    def __init__(self, retry_seconds: float) -> None:
        self.lock = threading.Lock()
        self.retry_seconds = retry_seconds
        self.down_since: float | None = None  # time.monotonic() of the first failure, None while up
        self.retry_at = 0.0
        self.changed: set[tuple[str, int | None]] = set()
        self.changed_overflow = False

    @property
    def is_open(self) -> bool:
        return self.down_since is not None

    def may_try_redis(self) -> bool:
        """True while Redis is up; during an outage, True for one caller per retry window (the probe)."""
        with self.lock:
            if self.down_since is None:
                return True
            now = time.monotonic()
            if now < self.retry_at:
                return False
            self.retry_at = now + self.retry_seconds  # the others keep using the fallback meanwhile
            return True

    def trip(self) -> bool:
        """Record a failure; True when it starts an outage (so that it is logged once, not per call)."""
        with self.lock:
            now = time.monotonic()
            self.retry_at = now + self.retry_seconds
            if self.down_since is None:
                self.down_since = now
                return True
            return False

    def remember(self, keys: Iterable[str], version: int | None) -> None:
        with self.lock:
            for key in keys:
                if len(self.changed) >= MAX_REMEMBERED_KEYS:
                    self.changed_overflow = True
                    return
                self.changed.add((key, version))

    def take_changes(self) -> tuple[set[tuple[str, int | None]], bool]:
        with self.lock:
            changed, overflow = self.changed, self.changed_overflow
            self.changed, self.changed_overflow = set(), False
            return changed, overflow

    def give_back(self, changed: set[tuple[str, int | None]], overflow: bool) -> None:
        with self.lock:
            self.changed |= changed
            self.changed_overflow = self.changed_overflow or overflow

    def close(self) -> float:
        """Mark Redis as up again; returns how long the outage lasted, in seconds."""
        with self.lock:
            started, self.down_since = self.down_since, None
            return time.monotonic() - started if started is not None else 0.0


# Per-process state by design (see the module docstring): keyed by server, shared across threads.
_circuits: dict[str, Circuit] = {}
_circuits_lock = threading.Lock()


def circuit_for(server: str, retry_seconds: float) -> Circuit:
    with _circuits_lock:
        if server not in _circuits:
            _circuits[server] = Circuit(retry_seconds)
        return _circuits[server]


def describe_server(server: Any) -> str:
    """host:port/db for log lines: never the password a Redis URL may carry."""
    servers = server if isinstance(server, list | tuple) else str(server).split(",")
    described = []
    for location in servers:
        parts = urlsplit(location)
        described.append(f"{parts.hostname}:{parts.port or 6379}{parts.path}" if parts.hostname else "?")
    return ",".join(described)


class FailoverRedisCache(RedisCache):
    """django-redis for Django's cache API, with a per-process local-memory fallback during outages.

    django-redis's own extras (locks, sets, ttl...) have no fallback: they behave as configured by
    IGNORE_EXCEPTIONS. GovLearn uses only Django's cache API.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        retry_seconds = float(options.pop("OUTAGE_RETRY_SECONDS", DEFAULT_RETRY_SECONDS))
        max_entries = int(options.pop("FALLBACK_MAX_ENTRIES", DEFAULT_FALLBACK_MAX_ENTRIES))
        params = {**params, "OPTIONS": options}
        super().__init__(server, params)
        self.where = describe_server(server)
        self.circuit = circuit_for(str(server), retry_seconds)
        fallback_params = {
            key: params[key] for key in ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION") if key in params
        }
        fallback_params["OPTIONS"] = {"MAX_ENTRIES": max_entries}
        # LocMemCache instances with the same name share one store per process.
        self.fallback = LocMemCache(f"govlearn-redis-fallback:{server}", fallback_params)

    # --- the breaker ---------------------------------------------------------------------------------

    def _call(
        self,
        on_redis: Callable[[], Any],
        on_fallback: Callable[[], Any],
        changes: Iterable[str] = (),
        version: int | None = None,
    ) -> Any:
        if self.circuit.is_open and not self._try_to_recover():
            return self._on_fallback(on_fallback, changes, version)
        try:
            return on_redis()
        except OUTAGE_ERRORS as error:
            self._trip(error)
            return self._on_fallback(on_fallback, changes, version)

    def _on_fallback(
        self, on_fallback: Callable[[], Any], changes: Iterable[str], version: int | None
    ) -> Any:
        self.circuit.remember(changes, version)
        return on_fallback()

    def _trip(self, error: BaseException) -> None:
        if self.circuit.trip():
            logger.warning(
                "Redis at %s is unreachable (%s): serving the cache from this process's memory, "
                "trying Redis again every %g s",
                self.where,
                error.__cause__ or error,
                self.circuit.retry_seconds,
            )
        else:
            logger.debug("Redis at %s is still unreachable (%s)", self.where, error.__cause__ or error)

    def _try_to_recover(self) -> bool:
        """Once per retry window: make Redis forget what changed here meanwhile, then close the circuit."""
        if not self.circuit.may_try_redis():
            return False
        changed, overflow = self.circuit.take_changes()
        try:
            if overflow:
                self._clear_redis()
            elif changed:
                by_version: dict[int | None, list[str]] = {}
                for key, version in changed:
                    by_version.setdefault(version, []).append(key)
                for version, keys in by_version.items():
                    self.client.delete_many(keys, version=version)
            else:
                self.client.get_client(write=True).ping()
        except OUTAGE_ERRORS as error:
            self.circuit.give_back(changed, overflow)
            self._trip(error)
            return False
        self.fallback.clear()
        lasted = self.circuit.close()
        logger.warning("Redis at %s is reachable again after %.0f s", self.where, lasted)
        return True

    def _clear_redis(self) -> None:
        """Delete this site's keys only: a Redis database may be shared, FLUSHDB would empty it all."""
        if not self.key_prefix:
            self.client.clear()
            return
        raw = self.client.get_client(write=True)
        batch: list[bytes] = []
        for key in raw.scan_iter(match=f"{glob_escape(self.key_prefix)}:*", count=500):
            batch.append(key)
            if len(batch) >= 500:
                raw.delete(*batch)
                batch = []
        if batch:
            raw.delete(*batch)

    def redis_is_reachable(self) -> bool:
        """The real state of Redis for /healthz, never the fallback's; no network call while the breaker
        is open (the answer is then at most OUTAGE_RETRY_SECONDS old)."""
        if self.circuit.is_open and not self._try_to_recover():
            return False
        key = f"healthz:{uuid.uuid4().hex}"
        try:
            self.client.set(key, "ok", timeout=5)
            ok = self.client.get(key) == "ok"
            self.client.delete(key)
        except OUTAGE_ERRORS as error:
            self._trip(error)
            return False
        return ok

    # --- Django's cache API ----------------------------------------------------------------------------

    def add(
        self, key: str, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._call(
            lambda: self.client.add(key, value, timeout=timeout, version=version),
            lambda: self._fallback_add(key, value, timeout, version),
            [key],
            version,
        )

    def _fallback_add(self, key: str, value: Any, timeout: float | None, version: int | None) -> bool:
        """If even local memory fails, say "not added": cache locks (allauth's rate limits take one)
        are then refused, so sign-in guessing fails closed, never open."""
        try:
            return self.fallback.add(key, value, timeout=timeout, version=version)
        except Exception:
            logger.exception("The fallback cache failed; refusing the cache lock")
            return False

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._call(
            lambda: self.client.get(key, default=default, version=version),
            lambda: self.fallback.get(key, default=default, version=version),
        )

    def set(
        self, key: str, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._call(
            lambda: self.client.set(key, value, timeout=timeout, version=version),
            lambda: self.fallback.set(key, value, timeout=timeout, version=version),
            [key],
            version,
        )

    def touch(self, key: str, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(
            lambda: self.client.touch(key, timeout=timeout, version=version),
            lambda: self.fallback.touch(key, timeout=timeout, version=version),
            [key],
            version,
        )

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._call(
            lambda: bool(self.client.delete(key, version=version)),
            lambda: self.fallback.delete(key, version=version),
            [key],
            version,
        )

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        keys = list(keys)
        return self._call(
            lambda: self.client.get_many(keys, version=version),
            lambda: self.fallback.get_many(keys, version=version),
        )

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._call(
            lambda: self.client.has_key(key, version=version),
            lambda: self.fallback.has_key(key, version=version),
        )

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        return self._call(
            lambda: self.client.incr(key, delta=delta, version=version),
            lambda: self.fallback.incr(key, delta=delta, version=version),
            [key],
            version,
        )

    def decr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        return self._call(
            lambda: self.client.decr(key, delta=delta, version=version),
            lambda: self.fallback.decr(key, delta=delta, version=version),
            [key],
            version,
        )

    def set_many(
        self, data: dict[str, Any], timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list:
        data = dict(data)
        self._call(
            lambda: self.client.set_many(data, timeout=timeout, version=version),
            lambda: self.fallback.set_many(data, timeout=timeout, version=version),
            list(data),
            version,
        )
        return []

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        keys = list(keys)
        self._call(
            lambda: self.client.delete_many(keys, version=version),
            lambda: self.fallback.delete_many(keys, version=version),
            keys,
            version,
        )

    def clear(self) -> None:
        def on_fallback() -> None:
            self.fallback.clear()
            with self.circuit.lock:
                self.circuit.changed_overflow = True  # Redis must be cleared too once it is back

        self._call(self._clear_redis, on_fallback)

    # Through get/set/delete above, so that they fail over too (django-redis renames keys in Redis).
    incr_version = BaseCache.incr_version
    decr_version = BaseCache.decr_version
