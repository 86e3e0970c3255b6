"""Posts: the permalink, the buttons on a post, editing, reporting, and the edit history for moderators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import queries, services
from ..forms import EditPostForm, FlagForm, PostActionForm
from ..models import Community, Post
from ..policy import Policy
from .common import community_view, join_prompt, preview, refused


def post_or_404(policy: Policy, community: Community, pk: int) -> Post:
    """The community's post, if the person may read it: hidden or deleted ones only reach moderators."""
    post = queries.post_in(community, pk)
    if post is None or not policy.can_see_post(post):
        raise Http404
    return post


@community_view(require="read")
def post_permalink(request: HttpRequest, community: Community, policy: Policy, pk: int) -> HttpResponse:
    return redirect(queries.post_url(post_or_404(policy, community, pk)))


@require_POST
@community_view(require="read", login="community")
def post_action(request: HttpRequest, community: Community, policy: Policy, pk: int) -> HttpResponse:
    """Helpful, accept as answer, delete one's own; hide / unhide and ban the author for moderators."""
    post = post_or_404(policy, community, pk)
    form = PostActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect(queries.post_url(post))
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    try:
        if action == "helpful":
            services.toggle_helpful(request.user, post)
        elif action == "accept":
            services.accept_answer(request.user, post)
            messages.success(request, _("Marked as the accepted answer."))
        elif action == "delete":
            services.delete_post(request.user, post)
            messages.success(request, _("Your post was deleted."))
        elif action in {"hide", "unhide"}:
            services.set_post_hidden(request.user, post, action == "hide", reason)
        elif action in {"ban", "unban"} and post.author_id:
            services.set_banned(request.user, community, post.author, action == "ban", reason)
            messages.success(request, _("Done. The moderation log records it."))
    except services.CommunityError as error:
        refused(request, error)
    return redirect(queries.post_url(post))


@login_required
@community_view(require="read")
def edit_post(request: HttpRequest, community: Community, policy: Policy, pk: int) -> HttpResponse:
    post = post_or_404(policy, community, pk)
    if post.author_id != request.user.pk and not policy.can_moderate(community):
        raise Http404
    form = EditPostForm(request.POST or None, initial={"body": post.body})
    rendered, status = None, None
    if request.method == "POST" and "preview" in request.POST:
        if not policy.can_post(community):
            return join_prompt(request, community, policy)
        rendered, status = preview(request, community, form, post=post)
    elif request.method == "POST" and form.is_valid():
        try:
            services.edit_post(request.user, post, form.cleaned_data["body"])
            return redirect(queries.post_url(post))
        except services.CommunityError as error:
            form.add_error(None, error.message)
    context = {"community": community, "post": post, "thread": post.thread, "form": form, "preview": rendered}
    return render(request, "community/post_edit.html", context, status=status or 200)


@login_required
@community_view(require="read")
def report_post(request: HttpRequest, community: Community, policy: Policy, pk: int) -> HttpResponse:
    post = post_or_404(policy, community, pk)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_post(request.user, post, form.cleaned_data["reason"])
            messages.success(request, _("Thank you. The moderators will look at this post."))
            return redirect(queries.post_url(post))
        except services.CommunityError as error:
            form.add_error(None, error.message)
    return render(
        request,
        "community/report.html",
        {"community": community, "post": post, "thread": post.thread, "form": form},
    )


@community_view(require="moderate")
def post_history(request: HttpRequest, community: Community, policy: Policy, pk: int) -> HttpResponse:
    """Earlier versions of an edited post: for moderators only."""
    post = post_or_404(policy, community, pk)
    revisions = post.revisions.select_related("edited_by")
    return render(
        request,
        "community/post_history.html",
        {"community": community, "post": post, "thread": post.thread, "revisions": revisions},
    )
