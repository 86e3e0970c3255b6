"""Invitations: a moderator invites an address; the link works once, until it expires or is withdrawn."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..links import INVITATION_MAX_AGE, invitation_token, read_invitation
from ..models import Community, Invitation, Membership, Status
from ..tasks import send_invitation
from .errors import RateLimited, require
from .membership import members_changed
from .moderation import Action, log, require_moderator
from .rate_limits import NOTICE_PERIOD, check_rate_limit


def invite(moderator, community: Community, email: str) -> Invitation:
    """A moderator invites someone by e-mail: a link that works once within 14 days, sent through tasks.

    At most one invitation e-mail per address and community a period, and a limit per moderator: an
    invitation is an e-mail to any address.
    """
    require_moderator(moderator, community, _("Only moderators may invite people."))
    email = email.strip().lower()
    now = timezone.now()
    recent = Invitation.objects.filter(community=community, email=email, created_at__gte=now - NOTICE_PERIOD)
    if recent.exists():
        raise RateLimited(
            _("An invitation was sent to this address less than a day ago. Please wait a day before another.")
        )
    check_rate_limit(moderator, "invitation")
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
    # Sent once the invitation is stored: the link must name a row that exists.
    transaction.on_commit(partial(send_invitation.enqueue, community.pk, email, link, moderator.pk))
    return invitation


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
    invitation = read_invitation(community, token)
    require(invitation is not None, _("This invitation link is not valid."))
    problem = invitation_problem(invitation, user)
    require(problem is None, problem)
    # Only an address the person has proved is theirs counts (allauth's verified EmailAddress).
    own = EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists()
    require(own, _("This invitation was sent to another e-mail address."))
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
                require(problem is None, problem)
        # get_or_create makes the row in a savepoint and reads it when another tab made it meanwhile.
        membership, created = Membership.objects.select_for_update().get_or_create(
            community=community, user=user, defaults={"status": Status.ACTIVE}
        )
        # A ban stays: the claim is rolled back with this refusal.
        require(membership.status != Status.BANNED, _("You have been banned from this community."))
        if created:
            members_changed(community, +1)
        elif Membership.objects.filter(pk=membership.pk, status=Status.PENDING).update(status=Status.ACTIVE):
            membership.status = Status.ACTIVE
            members_changed(community, +1)
    return membership


def revoke_invitation(moderator, invitation: Invitation) -> None:
    """Withdraw an invitation not yet used: its link then says so and does nothing."""
    community = invitation.community
    require_moderator(moderator, community)
    withdrawn = Invitation.objects.filter(pk=invitation.pk, accepted_at=None, revoked_at=None)
    with transaction.atomic():
        if withdrawn.update(revoked_at=timezone.now()):
            log(moderator, community, Action.REVOKE_INVITE, detail=invitation.email[:300])
