"""Demo data for `seed_demo`: members, threads and replies in the communities, written in bulk."""

from datetime import timedelta

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from content.seeding import SeedContext

from .models import Community, Membership, Post, Status, Subscription, Thread
from .services import thread_slug
from .text import render_post

THREADS_PER_SCALE = 10
SUBJECTS = [
    "How do you handle consent when sharing records between agencies?",
    "Lessons from our first service catalogue",
    "Which sandbox did you use to test the specification?",
    "Reconciling mobile money payments with the treasury",
    "Plain-language guidance for online forms",
    "Getting ministries to agree on a data exchange",
    "Procurement: buying against the specifications",
    "Onboarding a new digital team",
    "Measuring digital maturity of services",
    "Offline-first design for rural offices",
]
REPLIES = [
    "We had the same problem. What helped was agreeing on the **minimum data set** first.",
    "Thanks for sharing! Could you say more about how long this took?",
    "Our team used a short pilot with one agency before scaling. Happy to share the plan.",
    "There is a good discussion of this in the playbook step on interoperability.",
    "We wrote this down as a checklist:\n\n1. agree on owners\n2. test with real users\n3. publish",
]


def seed_communities(context: SeedContext) -> str:
    """Demo users join the communities and hold `10 × scale` conversations (idempotent by thread key)."""
    communities = list(Community.objects.all())
    if not communities or not context.users:
        return "no communities (run load_content) or no users: nothing added"
    rng = context.rng
    users = context.users
    memberships = [
        Membership(community=community, user=user, status=Status.ACTIVE)
        for community in communities
        for user in users
        if rng.random() < 0.5
    ]
    Membership.objects.bulk_create(memberships, batch_size=1000, ignore_conflicts=True)
    members = {c.pk: [] for c in communities}
    for community_id, user_id in Membership.objects.filter(status=Status.ACTIVE, user__in=users).values_list(
        "community_id", "user_id"
    ):
        members[community_id].append(user_id)
    wanted = [f"seed:{i}" for i in range(THREADS_PER_SCALE * context.scale)]
    existing = set(Thread.objects.filter(discussion_key__in=wanted).values_list("discussion_key", flat=True))
    now = timezone.now()
    rendered = {text: render_post(text, {}) for text in REPLIES}
    new_threads, plans = [], []
    for key in wanted:
        community = rng.choice(communities)
        people = members[community.pk]
        if key in existing or not people:
            continue
        title = rng.choice(SUBJECTS)
        started = now - timedelta(hours=rng.randint(1, 24 * 90))
        thread = Thread(
            community=community,
            title=title,
            slug=thread_slug(title),
            author_id=rng.choice(people),
            last_activity=started,
            discussion_key=key,
        )
        new_threads.append(thread)
        plans.append((thread, started, people, rng.randint(0, 8)))
    Thread.objects.bulk_create(new_threads, batch_size=500)
    posts = []
    for thread, _started, people, replies in plans:
        body = f"{thread.title}\n\nWe would like to hear how other teams approached this."
        posts.append(
            Post(thread=thread, author_id=thread.author_id, body=body, body_html=render_post(body, {}))
        )
        for _ in range(replies):
            text = rng.choice(REPLIES)
            posts.append(
                Post(thread=thread, author_id=rng.choice(people), body=text, body_html=rendered[text])
            )
    Post.objects.bulk_create(posts, batch_size=1000)
    Subscription.objects.bulk_create(
        [Subscription(user_id=t.author_id, thread=t) for t in new_threads],
        batch_size=1000,
        ignore_conflicts=True,
    )
    _recount(new_threads, communities)
    return f"{len(memberships)} memberships, {len(new_threads)} threads and {len(posts)} posts added"


def _recount(threads: list[Thread], communities: list[Community]) -> None:
    """Set the stored counters and pointers of the new threads and of every community."""
    stats = (
        Post.objects.filter(thread__in=threads)
        .values("thread_id")
        .annotate(first=Min("pk"), last=Max("pk"), replies=Count("pk") - 1)
    )
    by_thread = {row["thread_id"]: row for row in stats}
    for thread in threads:
        row = by_thread.get(thread.pk)
        if row:
            thread.first_post_id, thread.last_post_id, thread.reply_count = (
                row["first"],
                row["last"],
                row["replies"],
            )
    Thread.objects.bulk_update(threads, ["first_post", "last_post", "reply_count"], batch_size=500)
    for community in Community.objects.annotate(
        threads_n=Count("threads", distinct=True),
        members_n=Count("memberships", filter=Q(memberships__status=Status.ACTIVE), distinct=True),
        latest=Max("threads__last_activity"),
    ):
        Community.objects.filter(pk=community.pk).update(
            thread_count=community.threads_n, member_count=community.members_n, last_activity=community.latest
        )
