"""What every community view starts with: the community looked up, the person's access decided (404, a
join prompt, or the sign-in page), and the preview of a message before it is posted."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .. import services
from ..models import Community
from ..policy import Policy, policy_for
from ..text import render_with_mentions

REQUIREMENTS = ("see", "read", "post", "moderate")


def community_view(require: str = "see", login: str | None = None) -> Callable:
    """Decorate a view of `/community/<slug>/…`: it is called as `view(request, community, policy, …)`.

    Whoever may not know the community exists gets a 404 (a private one, as if it did not exist); then,
    with `login` ("page": back to this page, "community": to the community, for POST-only views), an
    anonymous person is sent to sign in; then `require`: "read" and "post" answer 403 with a join prompt
    to those who may not, "moderate" a 404 (the moderators' pages are not advertised).
    """
    if require not in REQUIREMENTS:
        raise ValueError(f"require must be one of {REQUIREMENTS}")

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            community = Community.objects.filter(slug=slug).first()
            policy = policy_for(request)
            if community is None or not policy.access(community).can_see:
                raise Http404
            if login and not request.user.is_authenticated:
                here = request.get_full_path() if login == "page" else community.get_absolute_url()
                return redirect_to_login(here)
            access = policy.access(community)
            if require == "moderate" and not access.can_moderate:
                raise Http404
            if require in ("read", "post") and not access.can_read:
                return join_prompt(request, community, policy)
            if require == "post" and not access.can_post:
                return join_prompt(request, community, policy)
            return view(request, community, policy, *args, **kwargs)

        return wrapped

    return decorate


def join_prompt(request: HttpRequest, community: Community, policy: Policy) -> HttpResponse:
    """Members-only content asked for by a non-member: 403, saying how to get in."""
    context = {"community": community, "access": policy.access(community), "policy": policy}
    return render(request, "community/join_prompt.html", context, status=403)


def refused(request: HttpRequest, error: services.CommunityError) -> None:
    """Tell the person why a button did nothing (the page they return to shows it)."""
    messages.error(request, error.message)


def preview(request: HttpRequest, community: Community, form, **where) -> tuple[str | None, int | None]:
    """The form's message rendered for someone who may post it there, and the status to answer with.

    Callers first send people who may not post in the community to the join prompt (403). Here: an
    invalid form gives no preview (status None: the view's usual one); a locked or hidden thread or a
    deleted post gives 403 and a reason, too many previews 429 and a reason; never a rendered preview.
    `where` is the thread or post being answered or edited (see services.check_preview).
    """
    if not form.is_valid():
        return None, None
    try:
        services.check_preview(request.user, community, **where)
    except services.RateLimited as error:
        form.add_error(None, error.message)
        return None, 429
    except services.CommunityError as error:
        form.add_error(None, error.message)
        return None, 403
    html, _mentioned = render_with_mentions(form.cleaned_data["body"])
    return html, 200
