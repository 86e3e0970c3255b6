"""The community's business rules as plain functions: joining, posting, answers, following, moderation.

Views, commands, the loader and tests call these; they check permissions themselves (through
community.permissions) and raise CommunityError with a message fit to show the person.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import notifications
from .models import (
    Community,
    Flag,
    JoinPolicy,
    Membership,
    ModerationAction,
    NotificationKind,
    Post,
    PostRevision,
    Reaction,
    Role,
    Status,
    Subscription,
    Thread,
    ThreadReadState,
    Visibility,
)
from .models.community import is_editor
from .models.thread import BODY_MAX, TITLE_MAX
from .permissions import Access, access_for
from .text import find_mentions, render_post

Action = ModerationAction.Action
INVITATION_SALT = "community.invitation"
INVITATION_MAX_AGE = 60 * 60 * 24 * 14
DISCUSSION_SALT = "community.discussion"
DISCUSSION_MAX_AGE = 60 * 60 * 24 * 30  # pages sign a fresh link each time they are shown
# Posting limits per person: (posts, seconds). Accounts younger than a day get the stricter ones.
RATE_LIMITS = {"established": [(6, 60), (60, 3600)], "new": [(2, 60), (10, 3600)]}
NEW_ACCOUNT_AGE = timedelta(days=1)
# Previews per person: (previews, seconds). People preview before a post and again after each correction,
# so these are five times the posting limits; every preview is one render of up to a post's length
# (bounded by content.markdown_limits), so even at the limit one person costs a few seconds a minute.
PREVIEW_RATE_LIMITS = {"established": [(30, 60), (300, 3600)], "new": [(10, 60), (50, 3600)]}
DUPLICATE_WINDOW = 600


class CommunityError(Exception):
    """A rule said no; the message is for the person."""

    def __init__(self, message: str, existing: Post | None = None):
        super().__init__(message)
        self.message = message
        self.existing = existing


class NotAllowed(CommunityError):
    pass


class RateLimited(CommunityError):
    pass


class DuplicateSubmission(CommunityError):
    pass


def _no_earlier_than(when) -> Greatest:
    """`last_activity` moved forward to `when`, never back: a slower transaction may commit last."""
    return Greatest(Coalesce(F("last_activity"), Value(when)), Value(when))


# --- membership -------------------------------------------------------------------------------------


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise NotAllowed(message)


def join(user, community: Community) -> Membership:
    """Join an open community, or ask to join one that needs approval (moderators are notified)."""
    access = access_for(user, community)
    _require(access.authenticated, _("Sign in to join a community."))
    if access.membership is not None:
        _require(not access.is_banned, _("You have been banned from this community."))
        return access.membership
    _require(access.can_see, _("This community does not exist."))
    if community.join_policy == JoinPolicy.INVITATION:
        raise NotAllowed(_("This community is by invitation only."))
    status = Status.ACTIVE if community.join_policy == JoinPolicy.OPEN else Status.PENDING
    with transaction.atomic():
        try:
            with transaction.atomic():
                membership = Membership.objects.create(community=community, user=user, status=status)
        except IntegrityError:  # the same person joined at the same moment (two tabs): that join counts
            return Membership.objects.get(community=community, user=user)
        if status == Status.ACTIVE:
            Community.objects.filter(pk=community.pk).update(member_count=F("member_count") + 1)
        else:
            moderators = Membership.objects.filter(
                community=community, role=Role.MODERATOR, status=Status.ACTIVE
            ).values_list("user_id", flat=True)
            notifications.notify(
                list(moderators), NotificationKind.JOIN_REQUEST, community, actor=user, check_access=False
            )
    return membership


def recount_members() -> None:
    """Set every community's member count from its active memberships (after edits made in the admin)."""
    active = (
        Membership.objects.filter(community=OuterRef("pk"), status=Status.ACTIVE)
        .order_by()
        .values("community")
        .annotate(count=Count("pk"))
        .values("count")
    )
    Community.objects.update(member_count=Coalesce(Subquery(active), 0))


def leave(user, community: Community) -> None:
    """Leave a community, or withdraw a request. A ban stays: leaving does not erase it."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(community=community, user=user).first()
        if membership is None or membership.status == Status.BANNED:
            return
        membership.delete()
        if membership.status == Status.ACTIVE:
            Community.objects.filter(pk=community.pk).update(member_count=F("member_count") - 1)
        Subscription.objects.filter(user=user, community=community).delete()
        Subscription.objects.filter(user=user, thread__community=community).delete()


def decide_request(moderator, membership: Membership, approve: bool, reason: str = "") -> None:
    """A moderator approves or declines a request to join."""
    _require(access_for(moderator, membership.community).can_moderate, _("Only moderators may do this."))
    if membership.status != Status.PENDING:
        return
    community = membership.community
    with transaction.atomic():
        if approve:
            membership.status = Status.ACTIVE
            membership.save(update_fields=["status"])
            Community.objects.filter(pk=community.pk).update(member_count=F("member_count") + 1)
            notifications.notify(
                [membership.user_id], NotificationKind.JOIN_APPROVED, community, actor=moderator
            )
        else:
            membership.delete()
        log(moderator, community, Action.APPROVE if approve else Action.DECLINE, reason, user=membership.user)


def invitation_token(community: Community, email: str) -> str:
    return signing.dumps({"c": community.pk, "e": email.strip().lower()}, salt=INVITATION_SALT)


def invite(moderator, community: Community, email: str) -> None:
    """A moderator invites someone by e-mail: a signed link, valid for 14 days, is sent through tasks."""
    _require(access_for(moderator, community).can_moderate, _("Only moderators may invite people."))
    from .tasks import send_invitation

    link = settings.SITE_URL + reverse(
        "community:invitation", args=[community.slug, invitation_token(community, email)]
    )
    log(moderator, community, Action.INVITE, detail=email[:300])
    send_invitation.enqueue(community.pk, email, link, moderator.pk)


def accept_invitation(user, community: Community, token: str) -> Membership:
    """Accept an invitation sent to one of the person's e-mail addresses."""
    from allauth.account.models import EmailAddress

    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature as error:
        raise NotAllowed(_("This invitation link is not valid or has expired.")) from error
    _require(data.get("c") == community.pk, _("This invitation link is not valid or has expired."))
    email = data.get("e", "")
    # Only an address the person has proved is theirs counts (allauth's verified EmailAddress).
    own = EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
    _require(own, _("This invitation was sent to another e-mail address."))
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update().get_or_create(
            community=community, user=user, defaults={"status": Status.ACTIVE}
        )
        _require(membership.status != Status.BANNED, _("You have been banned from this community."))
        if created or membership.status == Status.PENDING:
            if not created:
                membership.status = Status.ACTIVE
                membership.save(update_fields=["status"])
            Community.objects.filter(pk=community.pk).update(member_count=F("member_count") + 1)
    return membership


# --- posting ----------------------------------------------------------------------------------------


def check_rate_limit(user) -> None:
    """Count one post against the person's limits; raise RateLimited beyond them (moderators are exempt)."""
    tier = "new" if timezone.now() - user.date_joined < NEW_ACCOUNT_AGE else "established"
    for limit, window in RATE_LIMITS[tier]:
        key = f"community:posts:{user.pk}:{window}"
        cache.add(key, 0, window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            count = 1
        if count > limit:
            raise RateLimited(_("You are posting too quickly. Please wait a minute and try again."))


def check_preview_rate_limit(user) -> None:
    """Count one preview against the person's preview limits; raise RateLimited beyond them.

    While the cache is down (incr answers None) nothing is counted: previews go on, as with no cache.
    """
    tier = "new" if timezone.now() - user.date_joined < NEW_ACCOUNT_AGE else "established"
    for limit, window in PREVIEW_RATE_LIMITS[tier]:
        key = f"community:previews:{user.pk}:{window}"
        cache.add(key, 0, window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            count = 1
        if count is not None and count > limit:
            raise RateLimited(_("You are previewing too quickly. Please wait a minute and try again."))


def check_preview(user, community: Community, thread: Thread | None = None, post: Post | None = None) -> None:
    """A preview is for someone who could post it there, within their preview limit (moderators have none).

    The rules are posting's: a new thread needs the right to post in the community; a reply, also a thread
    that is neither locked nor hidden; an edit, the post's author (or a moderator) and a post not deleted.
    Raises NotAllowed or RateLimited.
    """
    if post is not None:
        access = access_for(user, community)
        _require(access.authenticated, _("Sign in to post."))
        _require(post.author_id == user.pk or access.can_moderate, _("You can only edit your own posts."))
        _require(access.can_post, _("You have been banned from this community and cannot post."))
        _require(post.deleted_at is None, _("This post has been deleted."))
    else:
        access = _posting_access(user, community)
        if thread is not None:
            hidden = thread.hidden and not access.can_moderate
            _require(not hidden, _("This thread has been hidden by a moderator."))
            _require(not thread.locked, _("This thread is locked: it no longer accepts replies."))
    if not access.can_moderate:
        check_preview_rate_limit(user)


def _claim_submission(user, submission: str | None) -> str | None:
    """Reserve a form's one-time submission id; a second use of it is a repeated submit."""
    if not submission:
        return None
    key = f"community:submission:{user.pk}:{submission[:64]}"
    if not cache.add(key, 0, DUPLICATE_WINDOW):
        existing = Post.objects.filter(pk=cache.get(key) or 0).select_related("thread__community").first()
        raise DuplicateSubmission(_("This was already posted."), existing=existing)
    return key


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


def _posting_access(user, community: Community) -> Access:
    access = access_for(user, community)
    _require(access.authenticated, _("Sign in to post."))
    _require(not access.is_banned, _("You have been banned from this community and cannot post."))
    _require(access.can_post, _("Join this community to post."))
    return access


def _make_post(user, thread: Thread, body: str) -> tuple[Post, dict]:
    mentioned = find_mentions(body)
    post = Post.objects.create(thread=thread, author=user, body=body, body_html=render_post(body, mentioned))
    return post, mentioned


def follow_thread(user, thread: Thread) -> None:
    Subscription.objects.get_or_create(user=user, thread=thread)


def unfollow_thread(user, thread: Thread) -> None:
    Subscription.objects.filter(user=user, thread=thread).delete()


def follow_community(user, community: Community) -> None:
    _require(access_for(user, community).can_read, _("Join this community to follow it."))
    Subscription.objects.get_or_create(user=user, community=community)


def unfollow_community(user, community: Community) -> None:
    Subscription.objects.filter(user=user, community=community).delete()


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
        thread_count=F("thread_count") + 1, last_activity=_no_earlier_than(now)
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
    access = _posting_access(user, community)
    title = " ".join(title.split())
    _check_text(body, title)
    claim = _claim_submission(user, submission)
    if not access.can_moderate:
        check_rate_limit(user)
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
        notifications.notify_mentions(mentioned, community, thread, post, user)
    if claim:
        cache.set(claim, post.pk, DUPLICATE_WINDOW)
    return thread


def post_reply(user, thread: Thread, body: str, submission: str | None = None) -> Post:
    """Reply to a thread (not a locked one); the author follows it and its followers are notified."""
    access = _posting_access(user, thread.community)
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
    claim = _claim_submission(user, submission)
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
            last_activity=_no_earlier_than(post.created_at)
        )
        follow_thread(user, thread)
        mark_read(user, thread, post.pk)
        followers = (
            Subscription.objects.filter(thread=thread).exclude(user=user).values_list("user_id", flat=True)
        )
        already = notifications.notify_mentions(mentioned, thread.community, thread, post, user)
        notifications.notify(
            [uid for uid in followers if uid not in already],
            NotificationKind.REPLY,
            thread.community,
            thread,
            post,
            user,
        )
    if claim:
        cache.set(claim, post.pk, DUPLICATE_WINDOW)
    return post


def edit_post(user, post: Post, body: str) -> Post:
    """The author edits their post: the old text is kept for moderators, the post is marked edited."""
    access = access_for(user, post.thread.community)
    _require(post.author_id == user.pk or access.can_moderate, _("You can only edit your own posts."))
    _require(access.can_post, _("You have been banned from this community and cannot post."))
    _require(post.deleted_at is None, _("This post has been deleted."))
    _check_text(body)
    if body == post.body:
        return post
    with transaction.atomic():
        PostRevision.objects.create(post=post, body=post.body, edited_by=user)
        post.body = body
        post.body_html = render_post(body, find_mentions(body))
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "body_html", "edited_at"])
    return post


def delete_post(user, post: Post) -> None:
    """The author deletes their own post (soft: moderators still see it; the thread keeps its place)."""
    _require(post.author_id == user.pk, _("You can only delete your own posts."))
    if post.deleted_at is not None:
        return
    with transaction.atomic():
        post.deleted_at = timezone.now()
        post.save(update_fields=["deleted_at"])
        thread = post.thread
        if thread.accepted_post_id == post.pk:
            Thread.objects.filter(pk=thread.pk).update(accepted_post=None)
        if post.pk != thread.first_post_id and not post.hidden:
            Thread.objects.filter(pk=thread.pk, reply_count__gt=0).update(reply_count=F("reply_count") - 1)


def toggle_helpful(user, post: Post) -> bool:
    """Mark a post helpful, or take the mark back; one per person per post. Returns the new state."""
    access = access_for(user, post.thread.community)
    _require(access.can_post, _("Join this community to react to posts."))
    _require(post.author_id != user.pk, _("You cannot mark your own post helpful."))
    with transaction.atomic():
        deleted, _count = Reaction.objects.filter(post=post, user=user).delete()
        if deleted:
            Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") - 1)
            return False
        try:
            with transaction.atomic():
                Reaction.objects.create(post=post, user=user)
        except IntegrityError:  # a concurrent click already counted it
            return True
        Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)
        return True


def accept_answer(user, post: Post) -> None:
    """The thread's author or a moderator marks a reply as the accepted answer; its author is told."""
    thread = post.thread
    access = access_for(user, thread.community)
    _require(
        (thread.author_id == user.pk and access.can_post) or access.can_moderate,
        _("Only the person who asked, or a moderator, can accept an answer."),
    )
    _require(post.pk != thread.first_post_id, _("The question itself cannot be its answer."))
    _require(not post.is_removed, _("A deleted or hidden post cannot be the answer."))
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(accepted_post=post)
        thread.accepted_post = post
        if post.author_id and post.author_id != user.pk:
            notifications.notify(
                [post.author_id], NotificationKind.ACCEPTED, thread.community, thread, post, user
            )


def unaccept_answer(user, thread: Thread) -> None:
    access = access_for(user, thread.community)
    _require(
        (thread.author_id == user.pk and access.can_post) or access.can_moderate,
        _("Only the person who asked, or a moderator, can change the accepted answer."),
    )
    Thread.objects.filter(pk=thread.pk).update(accepted_post=None)
    thread.accepted_post = None


def mark_read(user, thread: Thread, post_id: int) -> None:
    """Remember the last post the person saw in the thread (never moving backwards)."""
    if not user.is_authenticated:
        return
    updated = ThreadReadState.objects.filter(user=user, thread=thread, last_read_post_id__lt=post_id).update(
        last_read_post_id=post_id, read_at=timezone.now()
    )
    if not updated:
        try:
            with transaction.atomic():
                ThreadReadState.objects.get_or_create(
                    user=user, thread=thread, defaults={"last_read_post_id": post_id}
                )
        except IntegrityError:
            pass


# --- "Discuss this" ---------------------------------------------------------------------------------


def discussion_link(community_slug: str, key: str, title: str, url: str) -> str | None:
    """The provider registered with content.discussion: a signed link to the page's thread.

    Pages are read by everyone, so a private community (unknown to non-members) gets no link.
    """
    if not Community.objects.filter(slug=community_slug).exclude(visibility=Visibility.PRIVATE).exists():
        return None
    payload = {"c": community_slug, "k": key[:200], "t": title[:TITLE_MAX], "u": url[:500]}
    token = signing.dumps(payload, salt=DISCUSSION_SALT)
    return reverse("community:discuss", args=[community_slug]) + "?" + urlencode({"d": token})


def discussion_communities() -> list[tuple[str, str]]:
    """The communities an editor may name on a page: every one but the private ones, by name."""
    return list(
        Community.objects.exclude(visibility=Visibility.PRIVATE).order_by("name").values_list("slug", "name")
    )


def read_discussion_token(token: str) -> dict | None:
    """The signed payload (community slug "c", key, title, url), or None if forged or expired."""
    try:
        return signing.loads(token, salt=DISCUSSION_SALT, max_age=DISCUSSION_MAX_AGE)
    except signing.BadSignature:
        return None


def start_discussion(user, community: Community, key: str, title: str, url: str) -> Thread:
    """The page's thread, started by this person on first use (one thread per page and community).

    Only a signed-in person who may post in the community gets it; the key's unique constraint makes
    a second or simultaneous start return the first thread.
    """
    _posting_access(user, community)
    existing = Thread.objects.filter(community=community, discussion_key=key).first()
    if existing is not None:
        return existing
    body = _("Discussion of [%(title)s](%(url)s).") % {"title": title.replace("]", ""), "url": url}
    try:
        with transaction.atomic():
            return start_thread(user, community, title, body, discussion_key=key)
    except IntegrityError:  # somebody started it at the same moment
        return Thread.objects.get(community=community, discussion_key=key)


# --- moderation -------------------------------------------------------------------------------------


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


def _moderator(user, community: Community) -> None:
    _require(access_for(user, community).can_moderate, _("Only moderators may do this."))


def flag_post(user, post: Post, reason: str) -> Flag:
    """Report a post to the community's moderators, with a reason."""
    _require(access_for(user, post.thread.community).can_read, _("You cannot report this post."))
    reason = reason.strip()
    if not reason:
        raise CommunityError(_("Say why you are reporting this post."))
    flag, _created = Flag.objects.get_or_create(
        post=post, reporter=user, resolved_at=None, defaults={"reason": reason[:1000]}
    )
    return flag


def set_post_hidden(moderator, post: Post, hidden: bool, reason: str = "") -> None:
    """Hide a post from readers (or show it again); open reports on it are resolved."""
    thread = post.thread
    _moderator(moderator, thread.community)
    if post.hidden == hidden:
        return
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(hidden=hidden)
        post.hidden = hidden
        if post.pk == thread.first_post_id:
            Thread.objects.filter(pk=thread.pk).update(hidden=hidden)
        elif post.deleted_at is None:
            change = F("reply_count") - 1 if hidden else F("reply_count") + 1
            Thread.objects.filter(pk=thread.pk).update(reply_count=change)
        if hidden and thread.accepted_post_id == post.pk:
            Thread.objects.filter(pk=thread.pk).update(accepted_post=None)
        if hidden:
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
    _moderator(moderator, post.thread.community)
    Flag.objects.filter(post=post, resolved_at=None).update(resolved_at=timezone.now(), resolved_by=moderator)
    log(moderator, post.thread.community, Action.DISMISS_FLAG, reason, post.thread, post, post.author)


def set_thread_state(
    moderator, thread: Thread, *, locked: bool | None = None, pinned: bool | None = None, reason: str = ""
) -> None:
    """Lock / unlock or pin / unpin a thread."""
    _moderator(moderator, thread.community)
    with transaction.atomic():
        if locked is not None and thread.locked != locked:
            Thread.objects.filter(pk=thread.pk).update(locked=locked)
            thread.locked = locked
            log(moderator, thread.community, Action.LOCK if locked else Action.UNLOCK, reason, thread)
        if pinned is not None and thread.pinned != pinned:
            Thread.objects.filter(pk=thread.pk).update(pinned=pinned)
            thread.pinned = pinned
            log(moderator, thread.community, Action.PIN if pinned else Action.UNPIN, reason, thread)


def move_thread(moderator, thread: Thread, target: Community, reason: str = "") -> None:
    """Move a thread to another community the moderator also moderates."""
    source = thread.community
    _moderator(moderator, source)
    _moderator(moderator, target)
    if target.pk == source.pk:
        return
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(community=target)
        Community.objects.filter(pk=source.pk).update(thread_count=F("thread_count") - 1)
        Community.objects.filter(pk=target.pk).update(
            thread_count=F("thread_count") + 1, last_activity=_no_earlier_than(thread.last_activity)
        )
        notifications.Notification.objects.filter(thread=thread).update(community=target)
        thread.community = target
        # Each log is read by its own community's moderators: a private name stays out of the other log.
        source_name, target_name = _name_in_log(source), _name_in_log(target)
        log(moderator, source, Action.MOVE, reason, thread, detail=f"{source.name} → {target_name}")
        log(moderator, target, Action.MOVE, reason, thread, detail=f"{source_name} → {target.name}")


def _name_in_log(community: Community) -> str:
    """How another community's log names this one: by name, unless it is private."""
    return _("another community") if community.visibility == Visibility.PRIVATE else community.name


def set_banned(moderator, community: Community, user, banned: bool, reason: str = "") -> None:
    """Ban a person from the community (they keep reading if it is public, but never post), or lift it."""
    _moderator(moderator, community)
    _require(user.pk != moderator.pk, _("You cannot ban yourself."))
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(community=community, user=user).first()
        if banned:
            _require(
                is_editor(moderator)
                or not (is_editor(user) or (membership is not None and membership.role == Role.MODERATOR)),
                _("Only an editor may ban a moderator or an editor."),
            )
            was_active = membership is not None and membership.status == Status.ACTIVE
            if membership is None:
                membership = Membership(community=community, user=user)
            elif membership.status == Status.BANNED:
                return
            membership.status, membership.role = Status.BANNED, Role.MEMBER
            membership.save()
            if was_active:
                Community.objects.filter(pk=community.pk).update(member_count=F("member_count") - 1)
            Subscription.objects.filter(user=user, community=community).delete()
        else:
            if membership is None or membership.status != Status.BANNED:
                return
            membership.status = Status.ACTIVE
            membership.save(update_fields=["status"])
            Community.objects.filter(pk=community.pk).update(member_count=F("member_count") + 1)
        log(moderator, community, Action.BAN if banned else Action.UNBAN, reason, user=user)


def search_threads(user, words: list[str], limit: int = 10) -> list[Thread]:
    """Threads the person may read whose title or visible posts contain every word (database search)."""
    from django.db.models import Exists, OuterRef, Q

    if not words:
        return []
    threads = Thread.objects.visible_to(user)
    for word in words[:10]:
        in_posts = Post.objects.filter(
            thread=OuterRef("pk"), body__icontains=word, hidden=False, deleted_at__isnull=True
        )
        threads = threads.filter(Q(title__icontains=word) | Exists(in_posts))
    return list(threads.select_related("community").order_by("-last_activity")[:limit])
