"""The named rate limits: how often each person may do what makes other people receive something, and how
often the same notice may be repeated. Counted in the cache (content.limits)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy

from content import limits

from ..models import Notification, NotificationKind
from .errors import RateLimited

# Limits per person and action, as (how many, per seconds): every action that makes other people
# receive something. Accounts younger than a day get the stricter "new" ones; moderators are exempt
# from the posting limits.
RATE_LIMITS = {
    "post": {"established": [(6, 60), (60, 3600)], "new": [(2, 60), (10, 3600)]},
    # New threads reach everyone who follows the community (as Discourse: 3 on the first day, 20 a day).
    "thread": {"established": [(20, 86400)], "new": [(3, 86400)]},
    "join_request": {"established": [(5, 3600), (20, 86400)], "new": [(3, 3600), (10, 86400)]},
    "report": {"established": [(10, 3600), (30, 86400)], "new": [(3, 3600), (10, 86400)]},
    # Per moderator: invitations are e-mails to any address.
    "invitation": {"established": [(50, 3600), (200, 86400)], "new": [(10, 3600), (20, 86400)]},
    # People notified of @mentions (the post itself always goes through; only the notices stop).
    "mention": {"established": [(50, 3600), (200, 86400)], "new": [(10, 3600), (20, 86400)]},
    # People preview before a post and again after each correction, so five times the posting limits;
    # every preview is one render of up to a post's length (bounded by content.markdown_limits), so even
    # at the limit one person costs a few seconds a minute.
    "preview": {"established": [(30, 60), (300, 3600)], "new": [(10, 60), (50, 3600)]},
}
LIMIT_MESSAGES = {
    "post": gettext_lazy("You are posting too quickly. Please wait a minute and try again."),
    "thread": gettext_lazy(
        "You have started many threads today. Please reply in an existing one, or try tomorrow."
    ),
    "join_request": gettext_lazy("You have asked to join many communities lately. Please try again later."),
    "report": gettext_lazy("You have sent many reports lately. Please try again later."),
    "invitation": gettext_lazy("You have sent many invitations lately. Please try again later."),
    "preview": gettext_lazy("You are previewing too quickly. Please wait a minute and try again."),
}
# One notice per period for what can be repeated at will: a join request (ask, withdraw, ask again),
# a report of a post (by several people), an accepted answer (accept, take back, accept again).
NOTICE_PERIOD = timedelta(hours=24)
# The same author tells the same person of @mentions at most this many times a period.
MENTIONS_PER_PERSON = 5


def check_rate_limit(user, action: str = "post") -> None:
    """Count one `action` against the person's limits; raise RateLimited beyond them."""
    if not limits.within(f"community:{action}", user.pk, RATE_LIMITS[action][limits.tier(user)]):
        raise RateLimited(str(LIMIT_MESSAGES[action]))


def mention_allowance(user, wanted: int) -> int:
    """How many of `wanted` people the author may still notify of @mentions now."""
    return limits.allowance("community:mention", user.pk, RATE_LIMITS["mention"][limits.tier(user)], wanted)


def told_lately(kind: str, **about) -> bool:
    """Whether a notification of this kind about the same thing was made within NOTICE_PERIOD."""
    since = timezone.now() - NOTICE_PERIOD
    return Notification.objects.filter(kind=kind, created_at__gte=since, **about).exists()


def mentions_to_notify(author, mentioned: dict) -> dict:
    """The mentioned people to notify: at most MENTIONS_PER_PERSON times a period by the same author,
    and within the author's "mention" limit (the mentions still link; only the notices stop)."""
    if not mentioned:
        return {}
    since = timezone.now() - NOTICE_PERIOD
    told_often = set(
        Notification.objects.filter(
            kind=NotificationKind.MENTION,
            actor=author,
            user_id__in=[person.pk for person in mentioned.values()],
            created_at__gte=since,
        )
        .values("user_id")
        .annotate(times=Count("pk"))
        .filter(times__gte=MENTIONS_PER_PERSON)
        .values_list("user_id", flat=True)
    )
    wanted = {name: person for name, person in mentioned.items() if person.pk not in told_often}
    wanted.pop(author.username.lower(), None)
    allowed = mention_allowance(author, len(wanted)) if wanted else 0
    return dict(list(wanted.items())[:allowed])
