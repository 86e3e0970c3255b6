"""The community domain, one module per concept: communities and membership, invitations, threads and
posts, notifications and following, moderation."""

from .community import Community, JoinPolicy, Membership, MembershipRole, Status, Visibility
from .invitation import Invitation
from .moderation import Flag, ModerationAction
from .notification import EmailFrequency, Notification, NotificationKind, NotificationSettings, Subscription
from .thread import Post, PostRevision, Reaction, Thread, ThreadQuerySet, ThreadReadState

__all__ = [
    "Community",
    "EmailFrequency",
    "Flag",
    "Invitation",
    "JoinPolicy",
    "Membership",
    "MembershipRole",
    "ModerationAction",
    "Notification",
    "NotificationKind",
    "NotificationSettings",
    "Post",
    "PostRevision",
    "Reaction",
    "Status",
    "Subscription",
    "Thread",
    "ThreadQuerySet",
    "ThreadReadState",
    "Visibility",
]
