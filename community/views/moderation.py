"""The moderators' page of a community: requests to join, reported posts, invitations (sent, withdrawn),
bans, the log."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import queries, services
from ..forms import InviteForm, ModerationForm
from ..models import Community
from ..policy import Policy
from .common import community_view, refused


@community_view(require="moderate")
def queue(request: HttpRequest, community: Community, policy: Policy) -> HttpResponse:
    """GET shows the queue; POST acts on it. Only the community's moderators (and editors) see it."""
    if request.method != "POST":
        return _render(request, community, InviteForm())
    if request.POST.get("action") == "invite":
        invite_form = InviteForm(request.POST)
        if not invite_form.is_valid():
            return _render(request, community, invite_form)
        try:
            services.invite(request.user, community, invite_form.cleaned_data["email"])
            messages.success(request, _("The invitation has been sent."))
        except services.CommunityError as error:
            refused(request, error)
        return redirect("community:moderation", community.slug)
    form = ModerationForm(request.POST, community=community)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect("community:moderation", community.slug)
    data, user = form.cleaned_data, request.user
    action, reason = data["action"], data["reason"]
    try:
        if action in {"approve", "decline"}:
            services.decide_request(user, data["membership"], action == "approve", reason)
        elif action == "dismiss":
            services.dismiss_flags(user, data["flag"].post, reason)
        elif action == "hide":
            services.set_post_hidden(user, data["flag"].post, True, reason)
        elif action == "unban":
            services.set_banned(user, community, data["user"], False, reason)
        elif action == "revoke":
            services.revoke_invitation(user, data["invitation"])
        messages.success(request, _("Done. The moderation log records it."))
    except services.CommunityError as error:
        refused(request, error)
    return redirect("community:moderation", community.slug)


def _render(request: HttpRequest, community: Community, invite_form: InviteForm) -> HttpResponse:
    context = {
        "community": community,
        "pending": queries.pending_requests(community),
        "banned": queries.banned_memberships(community),
        "flags": queries.open_flags(community),
        "log": queries.moderation_log(community),
        "invite_form": invite_form,
        "invitations": queries.open_invitations(community)[:100],
    }
    return render(request, "community/moderation.html", context)
