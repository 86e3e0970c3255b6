"""Signed links: an invitation's, a page's "Discuss this" link, and the one-click unsubscribe in e-mails.

Each is a token signed with its own salt, so that one kind can never be passed off as another.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from .models import Community, Invitation, Visibility
from .models.thread import TITLE_MAX

INVITATION_SALT = "community.invitation"
INVITATION_MAX_AGE = 60 * 60 * 24 * 14
DISCUSSION_SALT = "community.discussion"
DISCUSSION_MAX_AGE = 60 * 60 * 24 * 30  # pages sign a fresh link each time they are shown
UNSUBSCRIBE_SALT = "community.unsubscribe"


def invitation_token(invitation: Invitation) -> str:
    """The signed token of an invitation's link: it names the row, which says whether it still works."""
    return signing.dumps({"c": invitation.community_id, "i": invitation.pk}, salt=INVITATION_SALT)


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


def unsubscribe_token(user) -> str:
    """The token of the one-click unsubscribe link in every community e-mail."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_from_unsubscribe_token(token: str):
    """The person an unsubscribe link was made for, or None if forged."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk).first()
