"""The list of communities, a community's page, joining and leaving, invitations, and "Discuss this"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import queries, services
from ..forms import MembershipActionForm
from ..models import Community, Visibility
from ..policy import Policy, policy_for
from .common import community_view, join_prompt, refused


def community_list(request: HttpRequest) -> HttpResponse:
    """The communities a person may know of, with members, threads and latest activity."""
    communities = queries.community_list(policy_for(request))
    return render(request, "community/community_list.html", {"communities": communities})


@community_view()
def community_detail(request: HttpRequest, community: Community, policy: Policy) -> HttpResponse:
    """A community's threads, pinned first then by latest activity; filter answered / unanswered."""
    access = policy.access(community)
    context = {"community": community, "access": access, "policy": policy}
    if not access.can_read:
        return render(request, "community/community_detail.html", context)
    show = request.GET.get("show", "")
    show = show if show in queries.THREAD_FILTERS else ""
    threads = queries.community_threads(policy, community, show)
    context.update(
        {
            "page_obj": Paginator(threads, queries.THREADS_PER_PAGE).get_page(request.GET.get("page")),
            "show": show,
            "following": queries.follows_community(request.user, community),
            "query_string": f"show={show}" if show else "",
        }
    )
    return render(request, "community/community_detail.html", context)


@require_POST
@community_view(login="community")
def membership(request: HttpRequest, community: Community, policy: Policy) -> HttpResponse:
    """Join, request to join, leave, or (un)follow the community."""
    form = MembershipActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect(community)
    action = form.cleaned_data["action"]
    try:
        if action == "join":
            result = services.join(request.user, community)
            if result.is_active:
                messages.success(request, _("Welcome to %(community)s.") % {"community": community.name})
            else:
                messages.success(request, _("Your request to join has been sent to the moderators."))
        elif action == "leave":
            services.leave(request.user, community)
            messages.success(request, _("You have left %(community)s.") % {"community": community.name})
        elif action == "follow":
            services.follow_community(request.user, community)
            messages.success(request, _("You will be told about new threads in this community."))
        elif action == "unfollow":
            services.unfollow_community(request.user, community)
            messages.success(request, _("You no longer follow this community."))
    except services.CommunityError as error:
        refused(request, error)
    if action == "leave" and community.visibility == Visibility.PRIVATE:
        return redirect("community:list")
    return redirect(community)


@login_required
def invitation(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """Accept an invitation (GET shows it, POST accepts); a private community's name shows only here."""
    community = get_object_or_404(Community, slug=slug)
    # Only a genuine invitation to this community may show its name, whatever the method.
    invitation = services.read_invitation(community, token)
    if invitation is None:
        raise Http404
    problem = services.invitation_problem(invitation, request.user)
    if problem is not None:  # used, withdrawn or expired: the link does nothing, and says why
        return render(
            request, "community/invitation.html", {"community": community, "error": problem}, status=410
        )
    if request.method == "POST":
        try:
            services.accept_invitation(request.user, community, token)
        except services.CommunityError as error:
            context = {"community": community, "error": error.message}
            return render(request, "community/invitation.html", context)
        messages.success(request, _("Welcome to %(community)s.") % {"community": community.name})
        return redirect(community)
    return render(request, "community/invitation.html", {"community": community})


@community_view()
def discuss(request: HttpRequest, community: Community, policy: Policy) -> HttpResponse:
    """A page's thread: opens it if it exists; otherwise offers to start it (POST) to those who may."""
    data = services.read_discussion_token(request.GET.get("d", ""))
    if data is None or data.get("c") != community.slug:
        raise Http404  # forged, expired, or signed for another community
    access = policy.access(community)
    if not access.can_read:
        return join_prompt(request, community, policy)
    existing = queries.discussion_thread(community, data["k"])
    if existing is not None:
        if not policy.can_see_thread(existing):
            raise Http404  # hidden by a moderator: not re-started by the link
        return redirect(existing)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            thread = services.start_discussion(request.user, community, data["k"], data["t"], data["u"])
            return redirect(thread)
        except services.CommunityError as error:
            refused(request, error)
    context = {"community": community, "access": access, "policy": policy, "about": data}
    return render(request, "community/discuss.html", context)
