"""Read models: what the community pages, search, the /me/ panel and the services read, each list cut to
what the person may see by community.policy."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from .models import (
    Community,
    Flag,
    Invitation,
    Membership,
    ModerationAction,
    Notification,
    Post,
    Reaction,
    Status,
    Subscription,
    Thread,
    ThreadReadState,
)
from .policy import MODERATOR_KINDS, Policy

THREADS_PER_PAGE = 30
POSTS_PER_PAGE = 20
NOTIFICATIONS_PER_PAGE = 30
THREAD_FILTERS = ("unanswered", "answered")


# --- communities and threads ------------------------------------------------------------------------


def community_list(policy: Policy) -> QuerySet:
    """The communities a person may know of, each with the person's membership status (`my_status`)."""
    communities = policy.listed_communities()
    if policy.authenticated:
        mine = Membership.objects.filter(community=OuterRef("pk"), user=policy.user)
        communities = communities.annotate(my_status=Subquery(mine.values("status")[:1]))
    return communities


def community_threads(policy: Policy, community: Community, show: str = "") -> QuerySet:
    """A community's threads for its page: pinned first, then by latest activity; hidden ones for its
    moderators only; `show` "answered" or "unanswered" filters; `last_read` is the person's read mark."""
    threads = Thread.objects.filter(community=community).for_listing()
    if not policy.can_moderate(community):
        threads = threads.filter(hidden=False)
    if show == "unanswered":
        threads = threads.filter(accepted_post__isnull=True)
    elif show == "answered":
        threads = threads.filter(accepted_post__isnull=False)
    if policy.authenticated:
        read = ThreadReadState.objects.filter(thread=OuterRef("pk"), user=policy.user)
        threads = threads.annotate(last_read=Subquery(read.values("last_read_post_id")[:1]))
    return threads


def follows_community(user, community: Community) -> bool:
    return user.is_authenticated and Subscription.objects.filter(user=user, community=community).exists()


def follows_thread(user, thread: Thread) -> bool:
    return user.is_authenticated and Subscription.objects.filter(user=user, thread=thread).exists()


def thread_in(community: Community, pk: int) -> Thread | None:
    """The community's thread with this id, with what its page shows first (whoever may see it)."""
    thread = (
        Thread.objects.select_related("author", "accepted_post__author")
        .filter(pk=pk, community=community)
        .first()
    )
    if thread is not None:
        thread.community = community
    return thread


def post_in(community: Community, pk: int) -> Post | None:
    """The community's post with this id, with its thread and author (whoever may see it)."""
    post = Post.objects.select_related("thread", "author").filter(pk=pk, thread__community=community).first()
    if post is not None:
        post.thread.community = community
    return post


def thread_page(thread: Thread, number: str | None) -> Page:
    """One page of a thread's posts (any page number typed gives a page), each knowing its thread."""
    posts = Post.objects.filter(thread=thread).select_related("author")
    page = Paginator(posts, POSTS_PER_PAGE).get_page(number)
    page.object_list = list(page.object_list)
    for post in page.object_list:
        post.thread = thread  # the policy asks each post's thread and community: no query per post
    return page


def quotable_post(thread: Thread, pk: int | None) -> Post | None:
    """A post of the thread that readers see, to quote in a reply."""
    if pk is None:
        return None
    return (
        Post.objects.filter(pk=pk, thread=thread, hidden=False, deleted_at=None)
        .select_related("author")
        .first()
    )


def helpful_marks(user, posts: list[Post]) -> set[int]:
    """Which of these posts the person marked helpful."""
    ids = [post.pk for post in posts]
    return set(Reaction.objects.filter(user=user, post_id__in=ids).values_list("post_id", flat=True))


def post_url(post: Post) -> str:
    """Where a post is: its thread's page that holds it, with the post's anchor."""
    position = Post.objects.filter(thread_id=post.thread_id, pk__lte=post.pk).count()
    page = (position - 1) // POSTS_PER_PAGE + 1
    suffix = f"?page={page}" if page > 1 else ""
    return f"{post.thread.get_absolute_url()}{suffix}#post-{post.pk}"


def discussion_thread(community: Community, key: str) -> Thread | None:
    """The thread "Discuss this" started for a page in this community, if any."""
    thread = Thread.objects.filter(community=community, discussion_key=key).first()
    if thread is not None:
        thread.community = community
    return thread


def person_posts(policy: Policy, member, limit: int = 20) -> QuerySet:
    """A person's recent posts that the viewer may read (never hidden or deleted ones)."""
    return (
        Post.objects.filter(author=member, thread__in=policy.visible_threads(), hidden=False, deleted_at=None)
        .select_related("thread__community")
        .order_by("-created_at")[:limit]
    )


def search_threads(user, words: list[str], limit: int = 10) -> list[Thread]:
    """Threads the person may read whose title or visible posts contain every word (database search)."""
    if not words:
        return []
    threads = Policy(user).visible_threads()
    for word in words[:10]:
        in_posts = Post.objects.filter(
            thread=OuterRef("pk"), body__icontains=word, hidden=False, deleted_at__isnull=True
        )
        threads = threads.filter(Q(title__icontains=word) | Exists(in_posts))
    return list(threads.select_related("community").order_by("-last_activity")[:limit])


# --- moderation -------------------------------------------------------------------------------------


def pending_requests(community: Community) -> QuerySet:
    return Membership.objects.filter(community=community, status=Status.PENDING).select_related("user")


def banned_memberships(community: Community) -> QuerySet:
    return Membership.objects.filter(community=community, status=Status.BANNED).select_related("user")


def open_flags(community: Community) -> QuerySet:
    return Flag.objects.filter(post__thread__community=community, resolved_at=None).select_related(
        "post__thread", "post__author", "reporter"
    )


def open_invitations(community: Community) -> QuerySet:
    return Invitation.objects.filter(
        community=community, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def moderation_log(community: Community, limit: int = 50) -> QuerySet:
    return ModerationAction.objects.filter(community=community).select_related(
        "moderator", "target_user", "thread"
    )[:limit]


# --- notifications ----------------------------------------------------------------------------------


def visible_notifications(user) -> QuerySet:
    """The person's notifications that they may still see: a query (one for a page of them)."""
    policy = Policy(user)
    return (
        Notification.objects.filter(user=user)
        .filter(Q(thread__isnull=True) | Q(thread__in=policy.visible_threads()))
        .filter(
            Q(kind__in=MODERATOR_KINDS, community__in=policy.moderated_communities())
            | (~Q(kind__in=MODERATOR_KINDS) & Q(community__in=policy.listed_communities()))
        )
        .select_related("community", "thread", "actor", "post")
    )


def unread_count(user) -> int:
    return visible_notifications(user).filter(read_at__isnull=True).count()


def dashboard_summary(user) -> dict:
    """For the /me/ panel: the unread count and the five latest notifications (two queries)."""
    visible = visible_notifications(user)
    return {"unread": visible.filter(read_at__isnull=True).count(), "latest": list(visible[:5])}
