"""The community's business rules as plain functions: joining, posting, answers, following, moderation.

Views, commands, the loader and tests call these; they check permissions themselves (through
community.permissions) and raise CommunityError with a message fit to show the person.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content import limits

from . import notifications
from .models import (
    Community,
    Flag,
    Invitation,
    JoinPolicy,
    Membership,
    ModerationAction,
    Notification,
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

logger = logging.getLogger(__name__)
Action = ModerationAction.Action
INVITATION_SALT = "community.invitation"
INVITATION_MAX_AGE = 60 * 60 * 24 * 14
DISCUSSION_SALT = "community.discussion"
DISCUSSION_MAX_AGE = 60 * 60 * 24 * 30  # pages sign a fresh link each time they are shown
# Limits per person and action, as (how many, per seconds): every action that makes other people
# receive something. Accounts younger than a day get the stricter "new" ones; moderators are exempt
# from the posting limits. Counted in the cache (content.limits).
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
    if status == Status.PENDING:
        check_rate_limit(user, "join_request")
    with transaction.atomic():
        try:
            with transaction.atomic():
                membership = Membership.objects.create(community=community, user=user, status=status)
        except IntegrityError:  # the same person joined at the same moment (two tabs): that join counts
            return Membership.objects.get(community=community, user=user)
        if status == Status.ACTIVE:
            Community.objects.filter(pk=community.pk).update(member_count=F("member_count") + 1)
        elif not _told_lately(NotificationKind.JOIN_REQUEST, community=community, actor=user):
            # Asking, withdrawing and asking again tells the moderators once a period; the request
            # itself always waits in their queue.
            notifications.notify(
                _moderator_ids(community),
                NotificationKind.JOIN_REQUEST,
                community,
                actor=user,
                check_access=False,
            )
    return membership


def _moderator_ids(community: Community) -> list[int]:
    return list(
        Membership.objects.filter(community=community, role=Role.MODERATOR, status=Status.ACTIVE).values_list(
            "user_id", flat=True
        )
    )


def _told_lately(kind: str, **about) -> bool:
    """Whether a notification of this kind about the same thing was made within NOTICE_PERIOD."""
    since = timezone.now() - NOTICE_PERIOD
    return Notification.objects.filter(kind=kind, created_at__gte=since, **about).exists()


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
        # Delete the row only in the state read (SQLite has no row locks): counted once, whatever races.
        _total, deleted = Membership.objects.filter(pk=membership.pk, status=membership.status).delete()
        if not deleted.get(Membership._meta.label):
            return
        if membership.status == Status.ACTIVE:
            _members_changed(community, -1)
        Subscription.objects.filter(user=user, community=community).delete()
        Subscription.objects.filter(user=user, thread__community=community).delete()


def decide_request(moderator, membership: Membership, approve: bool, reason: str = "") -> None:
    """A moderator approves or declines a request to join."""
    _require(access_for(moderator, membership.community).can_moderate, _("Only moderators may do this."))
    community = membership.community
    pending = Membership.objects.filter(pk=membership.pk, status=Status.PENDING)
    with transaction.atomic():
        # Only the request still pending changes: two moderators deciding at once, or the person
        # withdrawing meanwhile, count once.
        if approve:
            if not pending.update(status=Status.ACTIVE):
                return
            membership.status = Status.ACTIVE
            _members_changed(community, +1)
            notifications.notify(
                [membership.user_id], NotificationKind.JOIN_APPROVED, community, actor=moderator
            )
        else:
            _total, deleted = pending.delete()
            if not deleted.get(Membership._meta.label):
                return
        log(moderator, community, Action.APPROVE if approve else Action.DECLINE, reason, user=membership.user)


def invitation_token(invitation: Invitation) -> str:
    """The signed token of an invitation's link: it names the row, which says whether it still works."""
    return signing.dumps({"c": invitation.community_id, "i": invitation.pk}, salt=INVITATION_SALT)


def invite(moderator, community: Community, email: str) -> Invitation:
    """A moderator invites someone by e-mail: a link that works once within 14 days, sent through tasks.

    At most one invitation e-mail per address and community a period, and a limit per moderator: an
    invitation is an e-mail to any address.
    """
    _require(access_for(moderator, community).can_moderate, _("Only moderators may invite people."))
    email = email.strip().lower()
    now = timezone.now()
    recent = Invitation.objects.filter(community=community, email=email, created_at__gte=now - NOTICE_PERIOD)
    if recent.exists():
        raise RateLimited(
            _("An invitation was sent to this address less than a day ago. Please wait a day before another.")
        )
    check_rate_limit(moderator, "invitation")
    from .tasks import send_invitation

    invitation = Invitation.objects.create(
        community=community,
        email=email,
        invited_by=moderator,
        created_at=now,
        expires_at=now + timedelta(seconds=INVITATION_MAX_AGE),
    )
    link = settings.SITE_URL + reverse(
        "community:invitation", args=[community.slug, invitation_token(invitation)]
    )
    log(moderator, community, Action.INVITE, detail=email[:300])
    send_invitation.enqueue(community.pk, email, link, moderator.pk)
    return invitation


def read_invitation(community: Community, token: str) -> Invitation | None:
    """The invitation a link names, whatever its state; None for a forged link or another community's."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") != community.pk:
        return None
    if "i" in data:
        return Invitation.objects.filter(pk=data["i"], community=community).first()
    # A link sent before invitations were stored names the address: migration 0003 stored those.
    email = str(data.get("e", "")).lower()
    return Invitation.objects.filter(community=community, email=email).first() if email else None


def invitation_problem(invitation: Invitation, user=None) -> str | None:
    """Why this invitation's link no longer works, in words for the person; None while it does."""
    state = invitation.state
    if state == Invitation.State.ACCEPTED:
        if _accepted_and_in(invitation, user):
            return None  # accepting twice (two tabs, the link opened again) is the same acceptance
        return _("This invitation has already been used. Ask a moderator for a new one if you need it.")
    if state == Invitation.State.REVOKED:
        return _("This invitation was withdrawn by the community's moderators.")
    if state == Invitation.State.EXPIRED:
        return _("This invitation has expired. Ask a moderator for a new one.")
    return None


def _accepted_and_in(invitation: Invitation, user) -> bool:
    """Whether this person accepted the invitation and is still a member through it."""
    return (
        user is not None
        and invitation.accepted_by_id == user.pk
        and Membership.objects.filter(
            community=invitation.community_id, user=user, status=Status.ACTIVE
        ).exists()
    )


def accept_invitation(user, community: Community, token: str) -> Membership:
    """Accept an invitation sent to one of the person's verified addresses: the link works once."""
    from allauth.account.models import EmailAddress

    invitation = read_invitation(community, token)
    _require(invitation is not None, _("This invitation link is not valid."))
    problem = invitation_problem(invitation, user)
    _require(problem is None, problem)
    # Only an address the person has proved is theirs counts (allauth's verified EmailAddress).
    own = EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists()
    _require(own, _("This invitation was sent to another e-mail address."))
    now = timezone.now()
    with transaction.atomic():
        if invitation.accepted_by_id != user.pk:
            # Claim the invitation: of two acceptances at once, one changes the row; the other reads why.
            claimed = Invitation.objects.filter(
                pk=invitation.pk, accepted_at=None, revoked_at=None, expires_at__gt=now
            ).update(accepted_at=now, accepted_by=user)
            if not claimed:
                invitation.refresh_from_db()
                problem = invitation_problem(invitation, user)
                _require(problem is None, problem)
        # get_or_create makes the row in a savepoint and reads it when another tab made it meanwhile.
        membership, created = Membership.objects.select_for_update().get_or_create(
            community=community, user=user, defaults={"status": Status.ACTIVE}
        )
        # A ban stays: the claim is rolled back with this refusal.
        _require(membership.status != Status.BANNED, _("You have been banned from this community."))
        if created:
            _members_changed(community, +1)
        elif Membership.objects.filter(pk=membership.pk, status=Status.PENDING).update(status=Status.ACTIVE):
            membership.status = Status.ACTIVE
            _members_changed(community, +1)
    return membership


def revoke_invitation(moderator, invitation: Invitation) -> None:
    """Withdraw an invitation not yet used: its link then says so and does nothing."""
    community = invitation.community
    _moderator(moderator, community)
    withdrawn = Invitation.objects.filter(pk=invitation.pk, accepted_at=None, revoked_at=None)
    with transaction.atomic():
        if withdrawn.update(revoked_at=timezone.now()):
            log(moderator, community, Action.REVOKE_INVITE, detail=invitation.email[:300])


# --- posting ----------------------------------------------------------------------------------------


def check_rate_limit(user, action: str = "post") -> None:
    """Count one `action` against the person's limits; raise RateLimited beyond them."""
    if not limits.within(f"community:{action}", user.pk, RATE_LIMITS[action][limits.tier(user)]):
        raise RateLimited(str(LIMIT_MESSAGES[action]))


def mention_allowance(user, wanted: int) -> int:
    """How many of `wanted` people the author may still notify of @mentions now."""
    return limits.allowance("community:mention", user.pk, RATE_LIMITS["mention"][limits.tier(user)], wanted)


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
        check_rate_limit(user, "preview")


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


def _mentions_to_notify(author, mentioned: dict) -> dict:
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
            notifications.notify_mentions(_mentions_to_notify(user, mentioned), community, thread, post, user)
    _remember_submission(claim, post)
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
                last_activity=_no_earlier_than(post.created_at)
            )
            follow_thread(user, thread)
            mark_read(user, thread, post.pk)
            followers = Subscription.objects.filter(thread=thread).exclude(user=user)
            followers = followers.values_list("user_id", flat=True)
            already = notifications.notify_mentions(
                _mentions_to_notify(user, mentioned), thread.community, thread, post, user
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
    now = timezone.now()
    thread = post.thread
    with transaction.atomic():
        was_shown = _change_post(post, Q(deleted_at__isnull=True), Q(hidden=False), deleted_at=now)
        post.deleted_at = post.deleted_at or now
        if was_shown is None:
            return  # deleted already (another tab)
        Thread.objects.filter(pk=thread.pk, accepted_post=post.pk).update(accepted_post=None)
        if was_shown and post.pk != thread.first_post_id:
            _replies_changed(thread, -1)


def _change_post(post: Post, expected: Q, other: Q, **change) -> bool | None:
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


def _replies_changed(thread: Thread, delta: int) -> None:
    if delta < 0:  # never below zero: a PostgreSQL CHECK constraint would turn drift into an error page
        Thread.objects.filter(pk=thread.pk, reply_count__gte=-delta).update(
            reply_count=F("reply_count") + delta
        )
    else:
        Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") + delta)


def _members_changed(community: Community, delta: int) -> None:
    members = Community.objects.filter(pk=community.pk)
    if delta < 0:
        members = members.filter(member_count__gte=-delta)
    members.update(member_count=F("member_count") + delta)


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
    removed = _("A deleted or hidden post cannot be the answer.")
    _require(not post.is_removed, removed)
    with transaction.atomic():
        # Lock the post's row: a moderator hiding it (or its author deleting it) at this moment either
        # waits and then clears the accepted answer, or goes first and this refuses.
        shown = (
            Post.objects.select_for_update()
            .filter(pk=post.pk, thread=thread, hidden=False, deleted_at__isnull=True)
            .exists()
        )
        _require(shown, removed)
        changed = (
            Thread.objects.filter(pk=thread.pk).exclude(accepted_post=post.pk).update(accepted_post=post)
        )
        thread.accepted_post = post
        # Accepting, taking back and accepting again tells the author once a period.
        told_lately = _told_lately(NotificationKind.ACCEPTED, post=post)
        if changed and post.author_id and post.author_id != user.pk and not told_lately:
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
    """Report a post to the community's moderators, with a reason; they are told once per post a period.

    One open report per person and post (reporting again returns it); reports are rate-limited per person.
    """
    community = post.thread.community
    _require(access_for(user, community).can_read, _("You cannot report this post."))
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
        if created and not _told_lately(NotificationKind.REPORT, post=post):
            notifications.notify(
                _moderator_ids(community),
                NotificationKind.REPORT,
                community,
                post.thread,
                post,
                user,
                check_access=False,
            )
    return flag


def set_post_hidden(moderator, post: Post, hidden: bool, reason: str = "") -> None:
    """Hide a post from readers (or show it again); open reports on it are resolved."""
    thread = post.thread
    _moderator(moderator, thread.community)
    with transaction.atomic():
        # Whether the post counts as a reply (not deleted) at the moment it changes, from the UPDATE itself.
        counts = _change_post(post, Q(hidden=not hidden), Q(deleted_at__isnull=True), hidden=hidden)
        post.hidden = hidden
        if counts is None:
            return  # another moderator did it first
        if post.pk == thread.first_post_id:
            Thread.objects.filter(pk=thread.pk).update(hidden=hidden)
        elif counts:
            _replies_changed(thread, -1 if hidden else +1)
        if hidden:
            Thread.objects.filter(pk=thread.pk, accepted_post=post.pk).update(accepted_post=None)
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
    """Move a thread to another community the moderator also moderates."""
    source = thread.community
    _moderator(moderator, source)
    _moderator(moderator, target)
    if target.pk == source.pk:
        return
    with transaction.atomic():
        # Only from where it still is: two moderators moving it at once move it, and count it, once.
        if not Thread.objects.filter(pk=thread.pk, community=source).update(community=target):
            thread.refresh_from_db(fields=["community"])
            raise NotAllowed(_("Someone else has just moved this thread; nothing was changed."))
        Community.objects.filter(pk=source.pk, thread_count__gt=0).update(thread_count=F("thread_count") - 1)
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
            before = _ban(community, user)
            if before == Status.BANNED:
                return
            if before == Status.ACTIVE:
                _members_changed(community, -1)
            Subscription.objects.filter(user=user, community=community).delete()
        else:
            banned_rows = Membership.objects.filter(community=community, user=user, status=Status.BANNED)
            if not banned_rows.update(status=Status.ACTIVE):
                return
            _members_changed(community, +1)
        log(moderator, community, Action.BAN if banned else Action.UNBAN, reason, user=user)


def _ban(community: Community, user) -> str | None:
    """Make the person's membership banned; the status it had before (None when they had none).

    Every UPDATE names the status it replaces, so a ban racing another ban, a leave or a join changes
    the row, and the member count, once.
    """
    while True:
        current = (
            Membership.objects.filter(community=community, user=user).values_list("pk", "status").first()
        )
        if current is None:
            try:
                with transaction.atomic():
                    Membership.objects.create(community=community, user=user, status=Status.BANNED)
                return None
            except IntegrityError:  # they joined at this very moment: ban that membership
                continue
        pk, status = current
        if status == Status.BANNED:
            return status
        if Membership.objects.filter(pk=pk, status=status).update(status=Status.BANNED, role=Role.MEMBER):
            return status


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
