"""Threads: starting one, reading one (with the reply form), and the buttons on a thread."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content.ids import parse_id

from .. import queries, services
from ..forms import ReplyForm, ThreadActionForm, ThreadForm
from ..models import Community, Post, Thread
from ..policy import Policy
from .common import community_view, join_prompt, preview, refused


def thread_or_404(policy: Policy, community: Community, pk: int) -> Thread:
    """The community's thread, if the person may read it (a hidden one: its moderators only)."""
    thread = queries.thread_in(community, pk)
    if thread is None or not policy.can_see_thread(thread):
        raise Http404
    return thread


@community_view(require="post", login="page")
def new_thread(request: HttpRequest, community: Community, policy: Policy) -> HttpResponse:
    """Start a thread: title and Markdown body, with a preview before posting."""
    form = ThreadForm(request.POST or None)
    rendered, status = None, None
    if request.method == "POST" and "preview" in request.POST:
        rendered, status = preview(request, community, form)
    elif request.method == "POST" and form.is_valid():
        try:
            thread = services.start_thread(
                request.user,
                community,
                form.cleaned_data["title"],
                form.cleaned_data["body"],
                submission=form.cleaned_data["submission"],
            )
            return redirect(thread)
        except services.DuplicateSubmission as error:
            if error.existing is not None:
                return redirect(error.existing.thread)
            form.add_error(None, error.message)
        except services.CommunityError as error:
            form.add_error(None, error.message)
    return render(
        request,
        "community/thread_form.html",
        {"community": community, "form": form, "preview": rendered},
        status=status or 200,
    )


@community_view(require="read")
def thread_redirect(request: HttpRequest, community: Community, policy: Policy, pk: int) -> HttpResponse:
    return redirect(thread_or_404(policy, community, pk))


def _quote(post: Post) -> str:
    who = f"@{post.author.username}" if post.author_id else _("GovLearn team")
    quoted = "\n".join(f"> {line}" for line in post.body.splitlines())
    return _("%(who)s wrote:") % {"who": who} + f"\n{quoted}\n\n"


@community_view(require="read")
def thread_detail(
    request: HttpRequest, community: Community, policy: Policy, pk: int, thread_slug: str
) -> HttpResponse:
    """A thread's posts, paginated, with the reply form; a POST replies (or previews the reply)."""
    thread = thread_or_404(policy, community, pk)
    if thread_slug != (thread.slug or "-"):
        return _redirect_keep_query(request, thread.get_absolute_url())
    access = policy.access(community)
    rendered, preview_status = None, None
    form = ReplyForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(thread.get_absolute_url())
        form = ReplyForm(request.POST)
        if "preview" in request.POST:
            if not access.can_post:
                return join_prompt(request, community, policy)
            rendered, preview_status = preview(request, community, form, thread=thread)
        elif form.is_valid():
            body = form.cleaned_data["body"]
            try:
                post = services.post_reply(request.user, thread, body, form.cleaned_data["submission"])
                return redirect(queries.post_url(post))
            except services.DuplicateSubmission as error:
                if error.existing is not None:
                    return redirect(queries.post_url(error.existing))
                form.add_error(None, error.message)
            except services.CommunityError as error:
                form.add_error(None, error.message)
    else:
        quoted = queries.quotable_post(thread, parse_id(request.GET.get("quote")))
        if quoted is not None:
            form = ReplyForm(initial={"body": _quote(quoted)})
    page = queries.thread_page(thread, request.GET.get("page"))
    page_posts = page.object_list
    context = {
        "community": community,
        "access": access,
        "policy": policy,
        "thread": thread,
        "page_obj": page,
        "posts": page_posts,
        "form": form,
        "preview": rendered,
    }
    if request.user.is_authenticated:
        context["helpful"] = queries.helpful_marks(request.user, page_posts)
        context["following"] = queries.follows_thread(request.user, thread)
        if page_posts and request.method == "GET":
            services.mark_read(request.user, thread, max(post.pk for post in page_posts))
        if access.can_moderate:
            context["move_targets"] = policy.move_targets(thread)
    status = 400 if request.method == "POST" and not rendered and form.errors else 200
    return render(request, "community/thread_detail.html", context, status=preview_status or status)


def _redirect_keep_query(request: HttpRequest, url: str) -> HttpResponse:
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


@require_POST
@community_view(require="read", login="community")
def thread_action(request: HttpRequest, community: Community, policy: Policy, pk: int) -> HttpResponse:
    """Follow / unfollow; and for moderators lock, pin, move; and un-accepting an answer."""
    thread = thread_or_404(policy, community, pk)
    form = ThreadActionForm(request.POST, move_targets=policy.move_targets(thread))
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect(thread)
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    try:
        if action == "follow":
            services.follow_thread(request.user, thread)
            messages.success(request, _("You follow this thread: you will be told about replies."))
        elif action == "unfollow":
            services.unfollow_thread(request.user, thread)
            messages.success(request, _("You no longer follow this thread."))
        elif action in {"lock", "unlock"}:
            services.set_thread_state(request.user, thread, locked=action == "lock", reason=reason)
        elif action in {"pin", "unpin"}:
            services.set_thread_state(request.user, thread, pinned=action == "pin", reason=reason)
        elif action == "move":
            target = form.cleaned_data["target"]
            services.move_thread(request.user, thread, target, reason)
            messages.success(
                request, _("The thread was moved to %(community)s.") % {"community": target.name}
            )
        elif action == "unaccept":
            services.unaccept_answer(request.user, thread)
    except services.CommunityError as error:
        refused(request, error)
    return redirect(thread)
