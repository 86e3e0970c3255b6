"""The moderators' page of a community: requests to join, reported posts, invitations (sent, withdrawn),
bans, the log."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from content.ids import parse_id

from . import services
from .forms import InviteForm
from .models import Flag, Invitation, Membership, ModerationAction, Status
from .views import community_or_404


def queue(request: HttpRequest, slug: str) -> HttpResponse:
    """GET shows the queue; POST acts on it. Only the community's moderators (and editors) see it."""
    community, access = community_or_404(request, slug)
    if not access.can_moderate:
        raise Http404
    invite_form = InviteForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        reason = request.POST.get("reason", "")[:1000]
        try:
            if action in {"approve", "decline"}:
                membership = (
                    Membership.objects.select_related("user")
                    .filter(community=community, pk=parse_id(request.POST.get("membership")))
                    .first()
                )
                if membership is not None:
                    services.decide_request(request.user, membership, action == "approve", reason)
            elif action == "dismiss":
                flag = (
                    Flag.objects.select_related("post__thread")
                    .filter(pk=parse_id(request.POST.get("flag")), post__thread__community=community)
                    .first()
                )
                if flag is not None:
                    services.dismiss_flags(request.user, flag.post, reason)
            elif action == "hide":
                flag = (
                    Flag.objects.select_related("post__thread")
                    .filter(pk=parse_id(request.POST.get("flag")), post__thread__community=community)
                    .first()
                )
                if flag is not None:
                    flag.post.thread.community = community
                    services.set_post_hidden(request.user, flag.post, True, reason)
            elif action == "unban":
                person = get_user_model().objects.filter(pk=parse_id(request.POST.get("user"))).first()
                if person is not None:
                    services.set_banned(request.user, community, person, False, reason)
            elif action == "revoke":
                invitation = Invitation.objects.filter(
                    community=community, pk=parse_id(request.POST.get("invitation"))
                ).first()
                if invitation is not None:
                    services.revoke_invitation(request.user, invitation)
            elif action == "invite":
                invite_form = InviteForm(request.POST)
                if invite_form.is_valid():
                    services.invite(request.user, community, invite_form.cleaned_data["email"])
                    messages.success(request, _("The invitation has been sent."))
                    return redirect("community:moderation", community.slug)
                return _render(request, community, invite_form)
            messages.success(request, _("Done. The moderation log records it."))
        except services.CommunityError as error:
            messages.error(request, error.message)
        return redirect("community:moderation", community.slug)
    return _render(request, community, invite_form)


def _render(request: HttpRequest, community, invite_form: InviteForm) -> HttpResponse:
    context = {
        "community": community,
        "pending": Membership.objects.filter(community=community, status=Status.PENDING).select_related(
            "user"
        ),
        "banned": Membership.objects.filter(community=community, status=Status.BANNED).select_related("user"),
        "flags": Flag.objects.filter(post__thread__community=community, resolved_at=None).select_related(
            "post__thread", "post__author", "reporter"
        ),
        "log": ModerationAction.objects.filter(community=community).select_related(
            "moderator", "target_user", "thread"
        )[:50],
        "invite_form": invite_form,
        "invitations": Invitation.objects.filter(
            community=community, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
        ).select_related("invited_by")[:100],
    }
    return render(request, "community/moderation.html", context)
