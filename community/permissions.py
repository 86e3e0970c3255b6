"""Who may do what in one community, resolved once per request (one membership query) and reused.

Decisions (documented in docs and tests):
- Public: anyone reads; active members post. Banned people keep reading but cannot post.
- Members only: listed with name and description for everyone, so people can ask to join; its threads
  answer 403 with a join prompt to non-members; nothing of its threads shows in search or notifications.
- Private: unknown to non-members: every URL answers 404, exactly as for a community that does not exist.
- Editors (the "change community" permission, or superusers) read and moderate every community.
- Pending and banned people are non-members for reading (except public communities, which anyone reads).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from .models import Community, JoinPolicy, Membership, Role, Status, Visibility
from .models.community import is_editor


@dataclass(frozen=True)
class Access:
    """One person's rights in one community."""

    community: Community
    authenticated: bool
    editor: bool
    membership: Membership | None

    @property
    def status(self) -> str | None:
        return self.membership.status if self.membership else None

    @property
    def is_member(self) -> bool:
        return self.status == Status.ACTIVE

    @property
    def is_pending(self) -> bool:
        return self.status == Status.PENDING

    @property
    def is_banned(self) -> bool:
        return self.status == Status.BANNED

    @property
    def can_see(self) -> bool:
        """May know that the community exists."""
        return self.community.visibility != Visibility.PRIVATE or self.is_member or self.editor

    @property
    def can_read(self) -> bool:
        return self.community.visibility == Visibility.PUBLIC or self.is_member or self.editor

    @property
    def can_moderate(self) -> bool:
        return self.editor or (self.is_member and self.membership.role == Role.MODERATOR)

    @property
    def can_post(self) -> bool:
        return self.is_member or self.editor

    @property
    def can_join(self) -> bool:
        return (
            self.authenticated and self.membership is None and self.community.join_policy == JoinPolicy.OPEN
        )

    @property
    def can_request(self) -> bool:
        return (
            self.authenticated
            and self.membership is None
            and self.community.join_policy == JoinPolicy.APPROVAL
        )


def access_for(user, community: Community) -> Access:
    """The person's access to the community: one query for their membership (none when anonymous)."""
    authenticated = bool(user is not None and user.is_authenticated)
    membership = Membership.objects.filter(community=community, user=user).first() if authenticated else None
    return Access(community, authenticated, is_editor(user), membership)


def request_access(request: HttpRequest, community: Community) -> Access:
    """`access_for` cached on the request, so that a view and its templates ask once."""
    cache = request.__dict__.setdefault("_community_access", {})
    if community.pk not in cache:
        cache[community.pk] = access_for(request.user, community)
    return cache[community.pk]
