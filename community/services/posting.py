"""Posting: threads and replies, editing and deleting one's own posts, and previews before posting."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .. import notifications
from ..models import Community, NotificationKind, Post, PostRevision, Subscription, Thread
from ..models.thread import BODY_MAX, TITLE_MAX
from ..policy import Access, Policy
from ..text import render_with_mentions
from .errors import CommunityError, DuplicateSubmission, NotAllowed, require
from .rate_limits import check_rate_limit, mentions_to_notify
from .reading import follow_thread, mark_read

logger = logging.getLogger(__name__)
# A form sent again within this many seconds, or the same reply posted again, is a repeat.
DUPLICATE_WINDOW = 600


def no_earlier_than(when) -> Greatest:
    """`last_activity` moved forward to `when`, never back: a slower transaction may commit last."""
    return Greatest(Coalesce(F("last_activity"), Value(when)), Value(when))


def posting_access(user, community: Community) -> Access:
    """The person's access, if they may post in the community; NotAllowed (saying why) if not."""
    access = Policy(user).access(community)
    require(access.authenticated, _("Sign in to post."))
    require(not access.is_banned, _("You have been banned from this community and cannot post."))
    require(access.can_post, _("Join this community to post."))
    return access


def check_preview(user, community: Community, thread: Thread | None = None, post: Post | None = None) -> None:
    """A preview is for someone who could post it there, within their preview limit (moderators have none).

    The rules are posting's: a new thread needs the right to post in the community; a reply, also a thread
    that is neither locked nor hidden; an edit, the post's author (or a moderator) and a post not deleted.
    Raises NotAllowed or RateLimited.
    """
    if post is not None:
        access = _editing_access(user, post)
    else:
        access = posting_access(user, community)
        if thread is not None:
            hidden = thread.hidden and not access.can_moderate
            require(not hidden, _("This thread has been hidden by a moderator."))
            require(not thread.locked, _("This thread is locked: it no longer accepts replies."))
    if not access.can_moderate:
        check_rate_limit(user, "preview")


def _editing_access(user, post: Post) -> Access:
    """The person's access, if they may edit the post (Policy.can_edit); NotAllowed (saying why) if not."""
    policy = Policy(user)
    access = policy.access(post.thread.community)
    require(access.authenticated, _("Sign in to post."))
    require(post.author_id == user.pk or access.can_moderate, _("You can only edit your own posts."))
    require(access.can_post, _("You have been banned from this community and cannot post."))
    require(post.deleted_at is None, _("This post has been deleted."))
    return access


def _claim_submission(user, submission: str | None) -> str | None:
    """Reserve a form's one-time submission id; a second use of it is a repeated submit."""
    if not submission:
        return None
    key = f"community:submission:{user.pk}:{submission[:64]}"
    try:
        claimed = cache.add(key, 0, DUPLICATE_WINDOW)
        earlier = cache.get(key) if claimed is False else None
    except Exception:  # a misbehaving cache: the same-text check in post_reply still catches a repeat
        logger.warning("submission claim %s unavailable", key, exc_info=True)
        return None
    if claimed is False:  # only a definite "already there" is a repeat, not an outage's None
        existing = Post.objects.filter(pk=earlier or 0).select_related("thread__community").first()
        raise DuplicateSubmission(_("This was already posted."), existing=existing)
    return key


@contextmanager
def _one_submission(user, submission: str | None) -> Iterator[str | None]:
    """Hold the form's one-time submission id while the post is made; if making it fails (too quick, a
    locked thread, an error), give the id back, so that sending the same form again is a retry, not a
    repeat that would answer "already posted" for a post that does not exist."""
    claim = _claim_submission(user, submission)
    try:
        yield claim
    except BaseException:
        if claim:
            try:
                cache.delete(claim)
            except Exception:  # the claim then expires by itself; the person can still post a new form
                logger.warning("submission claim %s not released", claim, exc_info=True)
        raise


def _remember_submission(claim: str | None, post: Post) -> None:
    """Point the claimed submission id at its post, so a repeat opens it (the post is already stored)."""
    if not claim:
        return
    try:
        cache.set(claim, post.pk, DUPLICATE_WINDOW)
    except Exception:  # stored and committed: a cache error must not turn success into an error page
        logger.warning("submission claim %s not recorded", claim, exc_info=True)


def _check_text(body: str, title: str | None = None) -> None:
    if title is not None and not title.strip():
        raise CommunityError(_("Give your thread a title."))
    if title is not None and len(title) > TITLE_MAX:
        raise CommunityError(_("The title is too long: at most %(max)d characters.") % {"max": TITLE_MAX})
    if not body.strip():
        raise CommunityError(_("Write a message."))
    if len(body) > BODY_MAX:
        raise CommunityError(
            _("The message is too long: at most %(max)d characters (it has %(count)d).")
            % {"max": BODY_MAX, "count": len(body)}
        )


def _make_post(user, thread: Thread, body: str) -> tuple[Post, dict]:
    html, mentioned = render_with_mentions(body)
    post = Post.objects.create(thread=thread, author=user, body=body, body_html=html)
    return post, mentioned


def thread_slug(title: str) -> str:
    return slugify(title, allow_unicode=True)[:80].strip("-") or "-"


def create_thread(
    community: Community,
    title: str,
    body: str,
    author=None,
    pinned: bool = False,
    discussion_key: str | None = None,
) -> tuple[Thread, Post, dict]:
    """Store a thread, its first post and the community's counters; no checks, follows or notifications.

    Callers check permissions first (start_thread) or are the system itself (the bundled welcome threads).
    """
    now = timezone.now()
    thread = Thread.objects.create(
        community=community,
        title=title,
        slug=thread_slug(title),
        author=author,
        last_activity=now,
        pinned=pinned,
        discussion_key=discussion_key,
    )
    post, mentioned = _make_post(author, thread, body)
    Thread.objects.filter(pk=thread.pk).update(first_post=post, last_post=post)
    thread.first_post = thread.last_post = post
    Community.objects.filter(pk=community.pk).update(
        thread_count=F("thread_count") + 1, last_activity=no_earlier_than(now)
    )
    return thread, post, mentioned


def start_thread(
    user,
    community: Community,
    title: str,
    body: str,
    submission: str | None = None,
    discussion_key: str | None = None,
) -> Thread:
    """Start a thread with its first post; the author follows it and community followers are notified."""
    access = posting_access(user, community)
    title = " ".join(title.split())
    _check_text(body, title)
    with _one_submission(user, submission) as claim:
        if not access.can_moderate:
            check_rate_limit(user)
            check_rate_limit(user, "thread")
        with transaction.atomic():
            thread, post, mentioned = create_thread(
                community, title, body, author=user, discussion_key=discussion_key
            )
            follow_thread(user, thread)
            mark_read(user, thread, post.pk)
            followers = Subscription.objects.filter(community=community).values_list("user_id", flat=True)
            notifications.notify(
                [uid for uid in followers if uid != user.pk],
                NotificationKind.NEW_THREAD,
                community,
                thread,
                post,
                user,
            )
            notifications.notify_mentions(mentions_to_notify(user, mentioned), community, thread, post, user)
    _remember_submission(claim, post)
    return thread


def post_reply(user, thread: Thread, body: str, submission: str | None = None) -> Post:
    """Reply to a thread (not a locked one); the author follows it and its followers are notified."""
    access = posting_access(user, thread.community)
    _check_text(body)
    if thread.hidden and not access.can_moderate:
        raise NotAllowed(_("This thread has been hidden by a moderator."))
    recent = Post.objects.filter(
        thread=thread,
        author=user,
        body=body,
        created_at__gte=timezone.now() - timedelta(seconds=DUPLICATE_WINDOW),
    ).first()
    if recent is not None:
        raise DuplicateSubmission(_("You already posted this message."), existing=recent)
    with _one_submission(user, submission) as claim:
        if not access.can_moderate:
            check_rate_limit(user)
        with transaction.atomic():
            # Lock the thread row (on PostgreSQL) so a reply cannot slip in after a moderator locks it.
            locked = (
                Thread.objects.select_for_update().filter(pk=thread.pk).values_list("locked", flat=True).get()
            )
            if locked:
                raise NotAllowed(_("This thread is locked: it no longer accepts replies."))
            post, mentioned = _make_post(user, thread, body)
            Thread.objects.filter(pk=thread.pk).update(
                reply_count=F("reply_count") + 1, last_activity=post.created_at, last_post=post
            )
            Community.objects.filter(pk=thread.community_id).update(
                last_activity=no_earlier_than(post.created_at)
            )
            follow_thread(user, thread)
            mark_read(user, thread, post.pk)
            followers = Subscription.objects.filter(thread=thread).exclude(user=user)
            followers = followers.values_list("user_id", flat=True)
            already = notifications.notify_mentions(
                mentions_to_notify(user, mentioned), thread.community, thread, post, user
            )
            notifications.notify(
                [uid for uid in followers if uid not in already],
                NotificationKind.REPLY,
                thread.community,
                thread,
                post,
                user,
            )
    _remember_submission(claim, post)
    return post


def edit_post(user, post: Post, body: str) -> Post:
    """The author edits their post: the old text is kept for moderators, the post is marked edited."""
    _editing_access(user, post)
    _check_text(body)
    if body == post.body:
        return post
    with transaction.atomic():
        PostRevision.objects.create(post=post, body=post.body, edited_by=user)
        post.body = body
        post.body_html, _mentioned = render_with_mentions(body)
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "body_html", "edited_at"])
    return post


def delete_post(user, post: Post) -> None:
    """The author deletes their own post (soft: moderators still see it; the thread keeps its place)."""
    require(post.author_id == user.pk, _("You can only delete your own posts."))
    now = timezone.now()
    thread = post.thread
    with transaction.atomic():
        was_shown = change_post(post, Q(deleted_at__isnull=True), Q(hidden=False), deleted_at=now)
        post.deleted_at = post.deleted_at or now
        if was_shown is None:
            return  # deleted already (another tab)
        Thread.objects.filter(pk=thread.pk, accepted_post=post.pk).update(accepted_post=None)
        if was_shown and post.pk != thread.first_post_id:
            replies_changed(thread, -1)


def change_post(post: Post, expected: Q, other: Q, **change) -> bool | None:
    """Apply `change` to the post if the row is still in the `expected` state.

    Returns whether `other` held when it changed (for a delete: was the post shown, i.e. not hidden), or
    None when the row was no longer in the expected state (another request changed it first). Each UPDATE
    names the whole state it expects and acts on its row count, so two moderators hiding at once, or an
    author deleting while a moderator hides, change the row - and so the counters - exactly once.
    """
    while True:
        for other_held in (True, False):
            condition = Q(pk=post.pk) & expected & (other if other_held else ~other)
            if Post.objects.filter(condition).update(**change):
                return other_held
        if not Post.objects.filter(Q(pk=post.pk) & expected).exists():
            return None
        # `other` flipped between the two UPDATEs (a moderator acted meanwhile): try again.


def replies_changed(thread: Thread, delta: int) -> None:
    if delta < 0:  # never below zero: a PostgreSQL CHECK constraint would turn drift into an error page
        Thread.objects.filter(pk=thread.pk, reply_count__gte=-delta).update(
            reply_count=F("reply_count") + delta
        )
    else:
        Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") + delta)


def start_discussion(user, community: Community, key: str, title: str, url: str) -> Thread:
    """A page's thread ("Discuss this"), started by this person on first use (one per page and community).

    Only a signed-in person who may post in the community gets it; the key's unique constraint makes
    a second or simultaneous start return the first thread.
    """
    posting_access(user, community)
    existing = Thread.objects.filter(community=community, discussion_key=key).first()
    if existing is not None:
        return existing
    body = _("Discussion of [%(title)s](%(url)s).") % {"title": title.replace("]", ""), "url": url}
    try:
        with transaction.atomic():
            return start_thread(user, community, title, body, discussion_key=key)
    except IntegrityError:  # somebody started it at the same moment
        return Thread.objects.get(community=community, discussion_key=key)
