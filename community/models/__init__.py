"""The community domain, one module per concept: communities and membership, invitations, threads and
posts, notifications and following, moderation."""

from .community import Community, CommunityQuerySet, JoinPolicy, Membership, Role, Status, Visibility
from .invitation import Invitation
from .moderation import Flag, ModerationAction
from .notification import EmailFrequency, Notification, NotificationKind, NotificationSettings, Subscription
from .thread import Post, PostRevision, Reaction, Thread, ThreadQuerySet, ThreadReadState

__all__ = [
    "Community",
    "CommunityQuerySet",
    "EmailFrequency",
    "Flag",
    "Invitation",
    "JoinPolicy",
    "Membership",
    "ModerationAction",
    "Notification",
    "NotificationKind",
    "NotificationSettings",
    "Post",
    "PostRevision",
    "Reaction",
    "Role",
    "Status",
    "Subscription",
    "Thread",
    "ThreadQuerySet",
    "ThreadReadState",
    "Visibility",
]
