"""Rate limits on what one person may do in a window of time, counted in Django's cache.

Each app names its own actions and their limits (community posts, join requests, reports, invitations,
workshop registrations…); this module only counts. The counters live in the shared cache (Redis in
production), and a cache that misbehaves - a key that vanished between two calls, an outage answered with
None, an exception - never turns a request into an error: the limit then lets the action through, and the
database rules each app keeps (one open report per post, one join-request notification per person and
community a day…) still bound what other people receive.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

# (how many, per how many seconds); every window of a list applies.
Windows = list[tuple[int, int]]
NEW_ACCOUNT_AGE = timedelta(days=1)


def tier(user) -> str:
    """ "new" for accounts younger than a day (stricter limits), "established" for the others."""
    joined = getattr(user, "date_joined", None)
    return "new" if joined is not None and timezone.now() - joined < NEW_ACCOUNT_AGE else "established"


def _count(key: str, window: int, amount: int) -> int | None:
    """Add `amount` to the window's counter and return the new total; None when the cache cannot say."""
    try:
        cache.add(key, 0, window)
        try:
            total = cache.incr(key, amount)
        except ValueError:  # the key expired or was evicted between add() and incr(): a fresh window
            cache.set(key, amount, window)
            total = amount
        return int(total)
    except Exception:  # an outage answers None (int() then fails) or raises: let the action through
        logger.warning("rate-limit counter %s unavailable; allowing the action", key, exc_info=True)
        return None


def allowance(action: str, subject: object, windows: Windows, wanted: int = 1) -> int:
    """Count `wanted` uses of `action` by `subject` and return how many of them fit in every window.

    The uses are counted even when they do not fit, so that hammering on a limit does not reset it.
    """
    granted = wanted
    for limit, window in windows:
        total = _count(f"limit:{action}:{subject}:{window}", window, wanted)
        if total is None:
            continue
        granted = min(granted, max(0, limit - (total - wanted)))
    return granted


def within(action: str, subject: object, windows: Windows) -> bool:
    """Count one use of `action` by `subject`; whether it is within every window's limit."""
    return allowance(action, subject, windows) == 1
