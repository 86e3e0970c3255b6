"""Membership: joining, asking to join and the moderators' answer, leaving, bans, and member counts."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from .. import notifications
from ..models import Community, JoinPolicy, Membership, MembershipRole, NotificationKind, Status, Subscription
from ..policy import Policy
from .errors import NotAllowed, require
from .moderation import Action, log, require_moderator
from .rate_limits import check_rate_limit, told_lately


def join(user, community: Community) -> Membership:
    """Join an open community, or ask to join one that needs approval (moderators are notified)."""
    access = Policy(user).access(community)
    require(access.authenticated, _("Sign in to join a community."))
    if access.membership is not None:
        require(not access.is_banned, _("You have been banned from this community."))
        return access.membership
    require(access.can_see, _("This community does not exist."))
    if community.join_policy == JoinPolicy.INVITATION:
        raise NotAllowed(_("This community is by invitation only."))
    status = Status.ACTIVE if community.join_policy == JoinPolicy.OPEN else Status.PENDING
    if status == Status.PENDING:
        check_rate_limit(user, "join_request")
    with transaction.atomic():
        # Two tabs joining at the same moment: the row one made is the join that counts.
        membership, created = Membership.objects.get_or_create(
            community=community, user=user, defaults={"status": status}
        )
        if not created:
            return membership
        if status == Status.ACTIVE:
            members_changed(community, +1)
        elif not told_lately(NotificationKind.JOIN_REQUEST, community=community, actor=user):
            # Asking, withdrawing and asking again tells the moderators once a period; the request
            # itself always waits in their queue.
            notifications.notify_moderators(NotificationKind.JOIN_REQUEST, community, actor=user)
    return membership


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
            members_changed(community, -1)
        Subscription.objects.filter(user=user, community=community).delete()
        Subscription.objects.filter(user=user, thread__community=community).delete()


def decide_request(moderator, membership: Membership, approve: bool, reason: str = "") -> None:
    """A moderator approves or declines a request to join."""
    community = membership.community
    require_moderator(moderator, community)
    pending = Membership.objects.filter(pk=membership.pk, status=Status.PENDING)
    with transaction.atomic():
        # Only the request still pending changes: two moderators deciding at once, or the person
        # withdrawing meanwhile, count once.
        if approve:
            if not pending.update(status=Status.ACTIVE):
                return
            membership.status = Status.ACTIVE
            members_changed(community, +1)
            notifications.notify(
                [membership.user_id], NotificationKind.JOIN_APPROVED, community, actor=moderator
            )
        else:
            _total, deleted = pending.delete()
            if not deleted.get(Membership._meta.label):
                return
        log(moderator, community, Action.APPROVE if approve else Action.DECLINE, reason, user=membership.user)


def set_banned(moderator, community: Community, user, banned: bool, reason: str = "") -> None:
    """Ban a person from the community (they keep reading if it is public, but never post), or lift it."""
    require_moderator(moderator, community)
    require(user.pk != moderator.pk, _("You cannot ban yourself."))
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(community=community, user=user).first()
        if banned:
            require(
                Policy(moderator).can_ban(community, user, membership),
                _("Only an editor may ban a moderator or an editor."),
            )
            before = _ban(community, user)
            if before == Status.BANNED:
                return
            if before == Status.ACTIVE:
                members_changed(community, -1)
            Subscription.objects.filter(user=user, community=community).delete()
        else:
            banned_rows = Membership.objects.filter(community=community, user=user, status=Status.BANNED)
            if not banned_rows.update(status=Status.ACTIVE):
                return
            members_changed(community, +1)
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
            _membership, created = Membership.objects.get_or_create(
                community=community, user=user, defaults={"status": Status.BANNED}
            )
            if created:
                return None
            continue  # they joined at this very moment: ban that membership
        pk, status = current
        if status == Status.BANNED:
            return status
        changed = Membership.objects.filter(pk=pk, status=status).update(
            status=Status.BANNED, role=MembershipRole.MEMBER
        )
        if changed:
            return status


def members_changed(community: Community, delta: int) -> None:
    """Move the stored member count by `delta`, never below zero."""
    members = Community.objects.filter(pk=community.pk)
    if delta < 0:
        members = members.filter(member_count__gte=-delta)
    members.update(member_count=F("member_count") + delta)


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
