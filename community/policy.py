"""Who may do what in communities: the one place these rules live, asked by views, templates, services,
queries, notifications and e-mails alike (as django-machina's forum_permission handler).

Decisions (documented in docs and tests/community/test_permissions.py):
- Public: anyone reads; active members post. Banned people keep reading but cannot post.
- Members only: listed with name and description for everyone, so people can ask to join; its threads
  answer 403 with a join prompt to non-members; nothing of its threads shows in search or notifications.
- Private: unknown to non-members: every URL answers 404, exactly as for a community that does not exist.
- Editors (the "change community" permission, or superusers) read and moderate every community, and are
  told of what they follow wherever it is.
- Pending and banned people are non-members for reading (except public communities, which anyone reads).
- A hidden thread, and a post hidden by a moderator or deleted by its author, are seen by moderators only.

Each rule is written twice, side by side: as a property of `Access` (one person, one community: answers
from one membership row) and as a query (`Policy`'s lists, and the recipients of notifications), so that
a list shows exactly what a single check allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from .models import (
    Community,
    JoinPolicy,
    Membership,
    MembershipRole,
    Notification,
    NotificationKind,
    Post,
    Status,
    Thread,
    Visibility,
)

EDITOR_PERMISSION = ("community", "change_community")
# Kinds only the community's moderators receive; they lead to the moderation queue.
MODERATOR_KINDS = frozenset({NotificationKind.JOIN_REQUEST, NotificationKind.REPORT})
# What templates may ask with {% can "action" object %}: each is a `can_<action>` method below.
ACTIONS = frozenset(
    {
        "see",
        "read",
        "post",
        "reply",
        "moderate",
        "edit",
        "delete",
        "react",
        "accept",
        "change_answer",
        "report",
    }
)


def is_editor(user) -> bool:
    """Editors manage communities in the admin and may read and moderate every community."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_superuser or user.has_perm("community.change_community"))
    )


def _editors() -> Q:
    """`is_editor` as a condition on users (active superusers, or the permission directly or by group)."""
    app_label, codename = EDITOR_PERMISSION
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return Q(is_active=True) & (
        Q(is_superuser=True) | Q(user_permissions__in=permission) | Q(groups__permissions__in=permission)
    )


@dataclass(frozen=True)
class Access:
    """One person's standing in one community, and what it allows there."""

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
        """May know that the community exists (Policy.listed_communities)."""
        return self.community.visibility != Visibility.PRIVATE or self.is_member or self.editor

    @property
    def can_read(self) -> bool:
        """May read its threads (Policy.readable_communities, Policy.readers_among)."""
        return self.community.visibility == Visibility.PUBLIC or self.is_member or self.editor

    @property
    def can_moderate(self) -> bool:
        """(Policy.moderated_communities.)"""
        return self.editor or (self.is_member and self.membership.role == MembershipRole.MODERATOR)

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


class Policy:
    """One person's rights in every community, answered once per community and kept for the request.

    Views get it from `policy_for(request)` (templates from the `can` tag); services make a fresh one per
    call, so that a decision never rests on a membership read before an earlier step changed it.
    """

    def __init__(self, user):
        self.user = user
        self.authenticated = bool(user is not None and user.is_authenticated)
        self.editor = is_editor(user)
        self._access: dict[int, Access] = {}

    # --- one community ----------------------------------------------------------------------------

    def access(self, community: Community) -> Access:
        """The person's standing in the community: one query for their membership, once."""
        if community.pk not in self._access:
            membership = (
                Membership.objects.filter(community=community, user=self.user).first()
                if self.authenticated
                else None
            )
            self._access[community.pk] = Access(community, self.authenticated, self.editor, membership)
        return self._access[community.pk]

    def _is(self, user_id: int | None) -> bool:
        """Whether `user_id` (a post's or thread's author) is this person."""
        return self.authenticated and user_id == self.user.pk

    # --- single objects ---------------------------------------------------------------------------

    def can_see_thread(self, thread: Thread) -> bool:
        """May read this thread: a hidden one only if they moderate its community."""
        access = self.access(thread.community)
        return access.can_read and (not thread.hidden or access.can_moderate)

    def can_see_post(self, post: Post) -> bool:
        """May read this post: one hidden or deleted (or in a hidden thread) only if they moderate."""
        access = self.access(post.thread.community)
        removed = post.is_removed or post.thread.hidden
        return access.can_read and (not removed or access.can_moderate)

    def can_reply(self, thread: Thread) -> bool:
        """May post in this thread: a poster in the community, the thread neither locked nor hidden."""
        access = self.access(thread.community)
        return access.can_post and not thread.locked and (not thread.hidden or access.can_moderate)

    def can_edit(self, post: Post) -> bool:
        """The post's author (while they may post) or a moderator; never a deleted post."""
        access = self.access(post.thread.community)
        return (
            access.can_post and (self._is(post.author_id) or access.can_moderate) and post.deleted_at is None
        )

    def can_delete(self, post: Post) -> bool:
        """Only the author deletes their own post (moderators hide instead)."""
        return self._is(post.author_id) and post.deleted_at is None

    def can_react(self, post: Post) -> bool:
        """Mark someone else's post helpful: posters only."""
        return self.access(post.thread.community).can_post and not self._is(post.author_id)

    def can_accept(self, post: Post) -> bool:
        """The person who asked (while they may post) or a moderator marks a reply, shown, as the answer."""
        thread = post.thread
        return self.can_change_answer(thread) and post.pk != thread.first_post_id and not post.is_removed

    def can_change_answer(self, thread: Thread) -> bool:
        """The person who asked (while they may post) or a moderator takes back the accepted answer."""
        access = self.access(thread.community)
        return (self._is(thread.author_id) and access.can_post) or access.can_moderate

    def can_report(self, post: Post) -> bool:
        """Report someone else's post in a community they read."""
        return (
            self.authenticated
            and self.access(post.thread.community).can_read
            and not self._is(post.author_id)
        )

    def can_moderate(self, obj: Community | Thread | Post) -> bool:
        return self.access(_community_of(obj)).can_moderate

    def can_ban(self, community: Community, person, membership: Membership | None) -> bool:
        """A moderator bans people; only an editor bans a moderator or an editor (`membership` is the
        person's in the community, read by the caller under its lock)."""
        if not self.access(community).can_moderate:
            return False
        protected = is_editor(person) or (
            membership is not None and membership.role == MembershipRole.MODERATOR
        )
        return self.editor or not protected

    def can_move(self, thread: Thread, target: Community) -> bool:
        """Move a thread: a moderator of both communities (Policy.move_targets)."""
        return self.can_moderate(thread) and self.access(target).can_moderate

    def may_receive(self, notification: Notification) -> bool:
        """Whether this person (the notification's) may still see it: membership may have changed since."""
        if not self.user.is_active:
            return False
        access = self.access(notification.community)
        if notification.kind in MODERATOR_KINDS:
            return access.can_moderate
        if not access.can_see:
            return False
        if notification.thread_id is None:
            return True
        if not access.can_read:
            return False
        if notification.thread.hidden or (notification.post_id and notification.post.is_removed):
            return access.can_moderate
        return True

    def can_see(self, obj: Community | Thread | Post) -> bool:
        return self.access(_community_of(obj)).can_see

    def can_read(self, obj: Community | Thread | Post) -> bool:
        if isinstance(obj, Post):
            return self.can_see_post(obj)
        if isinstance(obj, Thread):
            return self.can_see_thread(obj)
        return self.access(obj).can_read

    def can_post(self, obj: Community | Thread | Post) -> bool:
        return self.access(_community_of(obj)).can_post

    def allows(self, action: str, obj: Community | Thread | Post | None) -> bool:
        """The template tag's question: may the person do `action` (one of ACTIONS) to `obj`?"""
        if action not in ACTIONS:
            raise ValueError(f"Unknown community action {action!r}")
        return obj is not None and getattr(self, f"can_{action}")(obj)

    # --- lists ------------------------------------------------------------------------------------

    def _active_in(self, **membership) -> QuerySet:
        return Membership.objects.filter(user=self.user, status=Status.ACTIVE, **membership).values(
            "community"
        )

    def listed_communities(self, communities: QuerySet | None = None) -> QuerySet:
        """Communities whose existence the person may know (Access.can_see)."""
        communities = Community.objects.all() if communities is None else communities
        if self.editor:
            return communities
        listed = ~Q(visibility=Visibility.PRIVATE)
        if self.authenticated:
            listed |= Q(pk__in=self._active_in())
        return communities.filter(listed)

    def readable_communities(self) -> QuerySet:
        """Communities whose threads the person may read (Access.can_read)."""
        if self.editor:
            return Community.objects.all()
        readable = Q(visibility=Visibility.PUBLIC)
        if self.authenticated:
            readable |= Q(pk__in=self._active_in())
        return Community.objects.filter(readable)

    def moderated_communities(self) -> QuerySet:
        """Communities the person moderates (Access.can_moderate)."""
        if self.editor:
            return Community.objects.all()
        if not self.authenticated:
            return Community.objects.none()
        return Community.objects.filter(pk__in=self._active_in(role=MembershipRole.MODERATOR))

    def visible_threads(self, threads: QuerySet | None = None) -> QuerySet:
        """Threads the person may read (Policy.can_see_thread): hidden ones only where they moderate."""
        threads = Thread.objects.all() if threads is None else threads
        threads = threads.filter(community__in=self.readable_communities())
        if self.editor:
            return threads
        if self.authenticated:
            return threads.filter(Q(hidden=False) | Q(community__in=self.moderated_communities()))
        return threads.filter(hidden=False)

    def move_targets(self, thread: Thread) -> QuerySet:
        """The communities a moderator may move this thread to (Policy.can_move)."""
        if not self.can_moderate(thread):
            return Community.objects.none()
        return self.moderated_communities().exclude(pk=thread.community_id)

    # --- recipients -------------------------------------------------------------------------------

    @staticmethod
    def readers_among(user_ids: list[int], community: Community) -> list[int]:
        """The ones among `user_ids` who may read the community's threads (Access.can_read), in order."""
        if community.visibility == Visibility.PUBLIC:
            return user_ids
        members = Membership.objects.filter(community=community, user_id__in=user_ids, status=Status.ACTIVE)
        allowed = set(members.values_list("user_id", flat=True))
        others = [uid for uid in user_ids if uid not in allowed]
        if others:
            editors = get_user_model().objects.filter(_editors(), pk__in=others)
            allowed |= set(editors.values_list("pk", flat=True))
        return [uid for uid in user_ids if uid in allowed]

    @staticmethod
    def moderators_of(community: Community) -> list[int]:
        """Who is told of what waits in a community's moderation queue: its own moderators (editors, who
        moderate everywhere, would otherwise hear of every request and report on the site)."""
        moderators = Membership.objects.filter(
            community=community, role=MembershipRole.MODERATOR, status=Status.ACTIVE
        )
        return list(moderators.values_list("user_id", flat=True))


def _community_of(obj: Community | Thread | Post) -> Community:
    if isinstance(obj, Post):
        return obj.thread.community
    if isinstance(obj, Thread):
        return obj.community
    return obj


def policy_for(request: HttpRequest) -> Policy:
    """The request's policy: made once, so that a view and its templates ask each question once."""
    policy = getattr(request, "_community_policy", None)
    if policy is None or policy.user is not request.user:
        policy = request._community_policy = Policy(request.user)
    return policy
