"""Moderation: reports, hiding posts, locking, pinning and moving threads, and the log of every action."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notifications
from ..models import (
    Community,
    Flag,
    ModerationAction,
    Notification,
    NotificationKind,
    Post,
    Thread,
    Visibility,
)
from ..policy import Policy
from .errors import CommunityError, NotAllowed, require
from .posting import change_post, no_earlier_than, replies_changed
from .rate_limits import check_rate_limit, told_lately

Action = ModerationAction.Action


def log(
    moderator,
    community: Community,
    action: str,
    reason: str = "",
    thread: Thread | None = None,
    post: Post | None = None,
    user=None,
    detail: str = "",
) -> ModerationAction:
    """Record a moderator action (who, what, when, why)."""
    return ModerationAction.objects.create(
        community=community,
        moderator=moderator,
        action=action,
        reason=reason[:1000],
        thread=thread,
        post=post,
        target_user=user,
        detail=detail[:300],
    )


def require_moderator(user, community: Community, message: str | None = None) -> None:
    require(Policy(user).access(community).can_moderate, message or _("Only moderators may do this."))


def flag_post(user, post: Post, reason: str) -> Flag:
    """Report a post to the community's moderators, with a reason; they are told once per post a period.

    One open report per person and post (reporting again returns it); reports are rate-limited per person.
    """
    community = post.thread.community
    require(Policy(user).access(community).can_read, _("You cannot report this post."))
    reason = reason.strip()
    if not reason:
        raise CommunityError(_("Say why you are reporting this post."))
    existing = Flag.objects.filter(post=post, reporter=user, resolved_at=None).first()
    if existing is not None:
        return existing
    check_rate_limit(user, "report")
    with transaction.atomic():
        # Lock the post's row: several people reporting it at once tell the moderators once.
        Post.objects.select_for_update().filter(pk=post.pk).exists()
        flag, created = Flag.objects.get_or_create(
            post=post, reporter=user, resolved_at=None, defaults={"reason": reason[:1000]}
        )
        if created and not told_lately(NotificationKind.REPORT, post=post):
            notifications.notify_moderators(NotificationKind.REPORT, community, post.thread, post, user)
    return flag


def set_post_hidden(moderator, post: Post, hidden: bool, reason: str = "") -> None:
    """Hide a post from readers (or show it again); open reports on it are resolved."""
    thread = post.thread
    require_moderator(moderator, thread.community)
    with transaction.atomic():
        # Whether the post counts as a reply (not deleted) at the moment it changes, from the UPDATE itself.
        counts = change_post(post, Q(hidden=not hidden), Q(deleted_at__isnull=True), hidden=hidden)
        post.hidden = hidden
        if counts is None:
            return  # another moderator did it first
        if post.pk == thread.first_post_id:
            Thread.objects.filter(pk=thread.pk).update(hidden=hidden)
        elif counts:
            replies_changed(thread, -1 if hidden else +1)
        if hidden:
            Thread.objects.filter(pk=thread.pk, accepted_post=post.pk).update(accepted_post=None)
            Flag.objects.filter(post=post, resolved_at=None).update(
                resolved_at=timezone.now(), resolved_by=moderator
            )
        log(
            moderator,
            thread.community,
            Action.HIDE if hidden else Action.UNHIDE,
            reason,
            thread,
            post,
            post.author,
        )


def dismiss_flags(moderator, post: Post, reason: str = "") -> None:
    """Close the open reports on a post, leaving it shown."""
    require_moderator(moderator, post.thread.community)
    Flag.objects.filter(post=post, resolved_at=None).update(resolved_at=timezone.now(), resolved_by=moderator)
    log(moderator, post.thread.community, Action.DISMISS_FLAG, reason, post.thread, post, post.author)


def set_thread_state(
    moderator, thread: Thread, *, locked: bool | None = None, pinned: bool | None = None, reason: str = ""
) -> None:
    """Lock / unlock or pin / unpin a thread."""
    require_moderator(moderator, thread.community)
    with transaction.atomic():
        # Each change names the state it ends, so two moderators locking at once log one lock.
        if locked is not None:
            if Thread.objects.filter(pk=thread.pk, locked=not locked).update(locked=locked):
                log(moderator, thread.community, Action.LOCK if locked else Action.UNLOCK, reason, thread)
            thread.locked = locked
        if pinned is not None:
            if Thread.objects.filter(pk=thread.pk, pinned=not pinned).update(pinned=pinned):
                log(moderator, thread.community, Action.PIN if pinned else Action.UNPIN, reason, thread)
            thread.pinned = pinned


def move_thread(moderator, thread: Thread, target: Community, reason: str = "") -> None:
    """Move a thread to another community the moderator also moderates (Policy.move_targets)."""
    source = thread.community
    policy = Policy(moderator)
    require(policy.can_moderate(source), _("Only moderators may do this."))
    require(policy.can_move(thread, target), _("Only moderators may do this."))
    if target.pk == source.pk:
        return
    with transaction.atomic():
        # Only from where it still is: two moderators moving it at once move it, and count it, once.
        if not Thread.objects.filter(pk=thread.pk, community=source).update(community=target):
            thread.refresh_from_db(fields=["community"])
            raise NotAllowed(_("Someone else has just moved this thread; nothing was changed."))
        Community.objects.filter(pk=source.pk, thread_count__gt=0).update(thread_count=F("thread_count") - 1)
        Community.objects.filter(pk=target.pk).update(
            thread_count=F("thread_count") + 1, last_activity=no_earlier_than(thread.last_activity)
        )
        Notification.objects.filter(thread=thread).update(community=target)
        thread.community = target
        # Each log is read by its own community's moderators: a private name stays out of the other log.
        source_name, target_name = _name_in_log(source), _name_in_log(target)
        log(moderator, source, Action.MOVE, reason, thread, detail=f"{source.name} → {target_name}")
        log(moderator, target, Action.MOVE, reason, thread, detail=f"{source_name} → {target.name}")


def _name_in_log(community: Community) -> str:
    """How another community's log names this one: by name, unless it is private."""
    return _("another community") if community.visibility == Visibility.PRIVATE else community.name
