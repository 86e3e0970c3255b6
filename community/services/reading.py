"""What readers do with a thread: follow it, remember how far they read, mark posts helpful, accept an
answer."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notifications
from ..models import Community, NotificationKind, Post, Reaction, Subscription, Thread, ThreadReadState
from ..policy import Policy
from .errors import require
from .rate_limits import told_lately


def follow_thread(user, thread: Thread) -> None:
    Subscription.objects.get_or_create(user=user, thread=thread)


def unfollow_thread(user, thread: Thread) -> None:
    Subscription.objects.filter(user=user, thread=thread).delete()


def follow_community(user, community: Community) -> None:
    """Be told of every new thread in the community (one it may read)."""
    require(Policy(user).access(community).can_read, _("Join this community to follow it."))
    Subscription.objects.get_or_create(user=user, community=community)


def unfollow_community(user, community: Community) -> None:
    Subscription.objects.filter(user=user, community=community).delete()


def mark_read(user, thread: Thread, post_id: int) -> None:
    """Remember the last post the person saw in the thread (never moving backwards)."""
    if not user.is_authenticated:
        return
    updated = ThreadReadState.objects.filter(user=user, thread=thread, last_read_post_id__lt=post_id).update(
        last_read_post_id=post_id, read_at=timezone.now()
    )
    if not updated:
        # Made in a savepoint; another tab making it at the same moment is read instead.
        ThreadReadState.objects.get_or_create(
            user=user, thread=thread, defaults={"last_read_post_id": post_id}
        )


def toggle_helpful(user, post: Post) -> bool:
    """Mark a post helpful, or take the mark back; one per person per post. Returns the new state."""
    require(Policy(user).can_post(post), _("Join this community to react to posts."))
    require(post.author_id != user.pk, _("You cannot mark your own post helpful."))
    with transaction.atomic():
        deleted, _count = Reaction.objects.filter(post=post, user=user).delete()
        if deleted:
            Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") - 1)
            return False
        _reaction, created = Reaction.objects.get_or_create(post=post, user=user)
        if created:  # not when a concurrent click already counted it
            Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)
        return True


def accept_answer(user, post: Post) -> None:
    """The thread's author or a moderator marks a reply as the accepted answer; its author is told."""
    thread = post.thread
    require(
        Policy(user).can_change_answer(thread),
        _("Only the person who asked, or a moderator, can accept an answer."),
    )
    require(post.pk != thread.first_post_id, _("The question itself cannot be its answer."))
    removed = _("A deleted or hidden post cannot be the answer.")
    require(not post.is_removed, removed)
    with transaction.atomic():
        # Lock the post's row: a moderator hiding it (or its author deleting it) at this moment either
        # waits and then clears the accepted answer, or goes first and this refuses.
        shown = (
            Post.objects.select_for_update()
            .filter(pk=post.pk, thread=thread, hidden=False, deleted_at__isnull=True)
            .exists()
        )
        require(shown, removed)
        changed = (
            Thread.objects.filter(pk=thread.pk).exclude(accepted_post=post.pk).update(accepted_post=post)
        )
        thread.accepted_post = post
        # Accepting, taking back and accepting again tells the author once a period.
        told = told_lately(NotificationKind.ACCEPTED, post=post)
        if changed and post.author_id and post.author_id != user.pk and not told:
            notifications.notify(
                [post.author_id], NotificationKind.ACCEPTED, thread.community, thread, post, user
            )


def unaccept_answer(user, thread: Thread) -> None:
    """The thread's author or a moderator takes back the accepted answer."""
    require(
        Policy(user).can_change_answer(thread),
        _("Only the person who asked, or a moderator, can change the accepted answer."),
    )
    Thread.objects.filter(pk=thread.pk).update(accepted_post=None)
    thread.accepted_post = None
