"""What the community's services raise when a rule says no: a message fit to show the person."""

from __future__ import annotations

from ..models import Post


class CommunityError(Exception):
    """A rule said no; the message is for the person."""

    def __init__(self, message: str, existing: Post | None = None):
        super().__init__(message)
        self.message = message
        self.existing = existing


class NotAllowed(CommunityError):
    """The person may not do this (community.policy said no)."""


class RateLimited(CommunityError):
    """The person did this too often lately (community.services.rate_limits)."""


class DuplicateSubmission(CommunityError):
    """The same form was sent twice; `existing` is what the first one made."""


def require(condition: bool, message: str) -> None:
    """Refuse with `message` unless `condition` holds."""
    if not condition:
        raise NotAllowed(message)
