"""The community's business rules as plain functions, one module per flow: membership, invitations,
posting, reading (follows, read marks, helpful, answers), moderation, and the named rate limits.

Views, commands, the loader and tests call these; they ask community.policy whether the person may, and
raise CommunityError with a message fit to show the person. The names below are what callers use.
"""

from ..links import (
    discussion_communities,
    discussion_link,
    invitation_token,
    read_discussion_token,
    read_invitation,
)
from ..queries import search_threads
from .errors import CommunityError, DuplicateSubmission, NotAllowed, RateLimited
from .invitations import accept_invitation, invitation_problem, invite, revoke_invitation
from .membership import decide_request, join, leave, recount_members, set_banned
from .moderation import dismiss_flags, flag_post, log, move_thread, set_post_hidden, set_thread_state
from .posting import (
    check_preview,
    create_thread,
    delete_post,
    edit_post,
    post_reply,
    start_discussion,
    start_thread,
    thread_slug,
)
from .rate_limits import check_rate_limit
from .reading import (
    accept_answer,
    follow_community,
    follow_thread,
    mark_read,
    toggle_helpful,
    unaccept_answer,
    unfollow_community,
    unfollow_thread,
)

__all__ = [
    "CommunityError",
    "DuplicateSubmission",
    "NotAllowed",
    "RateLimited",
    "accept_answer",
    "accept_invitation",
    "check_preview",
    "check_rate_limit",
    "create_thread",
    "decide_request",
    "delete_post",
    "discussion_communities",
    "discussion_link",
    "dismiss_flags",
    "edit_post",
    "flag_post",
    "follow_community",
    "follow_thread",
    "invitation_problem",
    "invitation_token",
    "invite",
    "join",
    "leave",
    "log",
    "mark_read",
    "move_thread",
    "post_reply",
    "read_discussion_token",
    "read_invitation",
    "recount_members",
    "revoke_invitation",
    "search_threads",
    "set_banned",
    "set_post_hidden",
    "set_thread_state",
    "start_discussion",
    "start_thread",
    "thread_slug",
    "toggle_helpful",
    "unaccept_answer",
    "unfollow_community",
    "unfollow_thread",
]
