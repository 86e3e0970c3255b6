"""The stored counters and pointers, checked against the rows they summarise, and set right from them.

Services keep the counters right as they go (conditional updates acting on their row count, then F()
expressions); this module is the independent check (`drift`) that tests, the `community_counters`
command and an operator use, and the repair (`recount`) for what bypasses the services (admin edits,
deleted accounts, data fixed by hand).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Community, Membership, Post, Reaction, Status, Thread


@dataclass(frozen=True)
class Drift:
    """One stored value that does not match the rows: which object, which field, stored and real."""

    model: str
    pk: int
    field: str
    stored: object
    real: object

    def __str__(self) -> str:
        return f"{self.model} {self.pk}: {self.field} is {self.stored!r}, the rows say {self.real!r}"


def _count(queryset, field: str = "pk") -> Subquery:
    """A correlated COUNT(*) subquery (0 when there are no rows)."""
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _members():
    return _count(Membership.objects.filter(community=OuterRef("pk"), status=Status.ACTIVE), "community")


def _threads():
    return _count(Thread.objects.filter(community=OuterRef("pk")), "community")


def _replies():
    """Replies readers see: every post but the first, neither hidden by a moderator nor deleted."""
    visible = Post.objects.filter(thread=OuterRef("pk"), hidden=False, deleted_at__isnull=True).exclude(
        pk=OuterRef("first_post_id")
    )
    return _count(visible, "thread")


def _helpful():
    return _count(Reaction.objects.filter(post=OuterRef("pk")), "post")


def _latest_post():
    return Subquery(
        Post.objects.filter(thread=OuterRef("pk")).order_by("-created_at", "-pk").values("pk")[:1]
    )


def drift(communities=None) -> list[Drift]:
    """Every stored counter or pointer that disagrees with the rows (all communities, or these ones)."""
    found: list[Drift] = []
    scope = Community.objects.all() if communities is None else Community.objects.filter(pk__in=communities)
    rows = scope.annotate(
        real_members=_members(),
        real_threads=_threads(),
        latest_thread_activity=Max("threads__last_activity"),
    ).values(
        "pk",
        "member_count",
        "thread_count",
        "last_activity",
        "real_members",
        "real_threads",
        "latest_thread_activity",
    )
    for row in rows:
        for field, real in (("member_count", "real_members"), ("thread_count", "real_threads")):
            if row[field] != row[real]:
                found.append(Drift("community", row["pk"], field, row[field], row[real]))
        # Last activity never moves back (a thread moved away keeps it), but it is never behind a thread.
        latest = row["latest_thread_activity"]
        if latest is not None and (row["last_activity"] is None or row["last_activity"] < latest):
            found.append(Drift("community", row["pk"], "last_activity", row["last_activity"], latest))

    threads = Thread.objects.filter(community__in=scope).annotate(
        real_replies=_replies(),
        real_last_post=_latest_post(),
        first_hidden=Subquery(Post.objects.filter(pk=OuterRef("first_post_id")).values("hidden")[:1]),
        accepted_is_removed=Exists(
            Post.objects.filter(pk=OuterRef("accepted_post_id")).filter(
                Q(hidden=True) | Q(deleted_at__isnull=False) | ~Q(thread=OuterRef("pk"))
            )
        ),
    )
    for row in threads.values(
        "pk",
        "reply_count",
        "real_replies",
        "last_post",
        "real_last_post",
        "hidden",
        "first_hidden",
        "accepted_post",
        "first_post",
        "accepted_is_removed",
    ):
        if row["reply_count"] != row["real_replies"]:
            found.append(Drift("thread", row["pk"], "reply_count", row["reply_count"], row["real_replies"]))
        if row["last_post"] != row["real_last_post"]:
            found.append(Drift("thread", row["pk"], "last_post", row["last_post"], row["real_last_post"]))
        if row["first_hidden"] is not None and row["hidden"] != row["first_hidden"]:
            found.append(Drift("thread", row["pk"], "hidden", row["hidden"], row["first_hidden"]))
        accepted = row["accepted_post"]
        if accepted is not None and (accepted == row["first_post"] or row["accepted_is_removed"]):
            found.append(Drift("thread", row["pk"], "accepted_post", accepted, None))

    posts = Post.objects.filter(thread__community__in=scope).annotate(real_helpful=_helpful())
    for row in posts.exclude(helpful_count=F("real_helpful")).values("pk", "helpful_count", "real_helpful"):
        found.append(Drift("post", row["pk"], "helpful_count", row["helpful_count"], row["real_helpful"]))
    return found


def recount_communities(communities=None) -> None:
    """Set member and thread counts (and a last activity behind its threads) from the rows: one row each."""
    scope = Community.objects.all() if communities is None else Community.objects.filter(pk__in=communities)
    scope.update(member_count=_members(), thread_count=_threads())
    threads = Thread.objects.filter(community=OuterRef("pk"))
    latest = Subquery(threads.order_by("-last_activity").values("last_activity")[:1])
    scope.filter(Q(last_activity__isnull=True) | Q(last_activity__lt=latest)).update(last_activity=latest)


def recount_helpful(posts) -> None:
    """Set these posts' helpful counts from their reactions."""
    Post.objects.filter(pk__in=posts).update(helpful_count=_helpful())


def recount(communities=None) -> None:
    """Set every counter and pointer from the rows (all communities, or these ones)."""
    recount_communities(communities)
    scope = Community.objects.all() if communities is None else Community.objects.filter(pk__in=communities)
    threads = Thread.objects.filter(community__in=scope)
    threads.update(reply_count=_replies(), last_post=_latest_post())
    threads.update(
        hidden=Coalesce(
            Subquery(Post.objects.filter(pk=OuterRef("first_post_id")).values("hidden")[:1]), F("hidden")
        )
    )
    removed = Post.objects.filter(pk=OuterRef("accepted_post_id")).filter(
        Q(hidden=True) | Q(deleted_at__isnull=False) | ~Q(thread=OuterRef("pk"))
    )
    threads.filter(Q(accepted_post=F("first_post")) | Exists(removed)).update(accepted_post=None)
    recount_helpful(Post.objects.filter(thread__community__in=scope).values("pk"))


def remember_before_account_deletion(user) -> dict:
    """What a person's deletion will take with it by cascade: their memberships and reactions."""
    return {
        "communities": list(
            Membership.objects.filter(user=user, status=Status.ACTIVE).values_list("community_id", flat=True)
        ),
        "posts": list(Reaction.objects.filter(user=user).values_list("post_id", flat=True)),
    }


def recount_after_account_deletion(remembered: dict) -> None:
    recount_communities(remembered["communities"])
    recount_helpful(remembered["posts"])
