"""The community domain, one module per concept: communities and membership, threads and posts,
notifications and following, moderation."""

from .community import Community, CommunityQuerySet, JoinPolicy, Membership, Role, Status, Visibility
from .moderation import Flag, ModerationAction
from .notification import EmailFrequency, Notification, NotificationKind, NotificationSettings, Subscription
from .thread import Post, PostRevision, Reaction, Thread, ThreadQuerySet, ThreadReadState

__all__ = [
    "Community",
    "CommunityQuerySet",
    "EmailFrequency",
    "Flag",
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
