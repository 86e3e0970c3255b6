"""Thin views over the services: communities, threads, posts, people, notifications, "Discuss this"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from content.ids import parse_id

from . import notifications, services
from .forms import EditPostForm, FlagForm, NotificationSettingsForm, ReplyForm, ThreadForm
from .models import (
    Community,
    Membership,
    NotificationSettings,
    Post,
    Reaction,
    Subscription,
    Thread,
    ThreadReadState,
)
from .permissions import Access, request_access
from .text import find_mentions, render_post

THREADS_PER_PAGE = 30
POSTS_PER_PAGE = 20


# --- helpers ----------------------------------------------------------------------------------------


def community_or_404(request: HttpRequest, slug: str) -> tuple[Community, Access]:
    """The community if the person may know it exists; a private one is a 404 for non-members."""
    community = Community.objects.filter(slug=slug).first()
    if community is None:
        raise Http404
    access = request_access(request, community)
    if not access.can_see:
        raise Http404
    return community, access


def join_prompt(request: HttpRequest, community: Community, access: Access) -> HttpResponse:
    """Members-only content asked for by a non-member: 403, saying how to get in."""
    return render(
        request, "community/join_prompt.html", {"community": community, "access": access}, status=403
    )


def thread_or_404(request: HttpRequest, community: Community, access: Access, pk: int) -> Thread:
    thread = (
        Thread.objects.select_related("author", "accepted_post__author")
        .filter(pk=pk, community=community)
        .first()
    )
    if thread is None or (thread.hidden and not access.can_moderate):
        raise Http404
    thread.community = community
    return thread


def post_or_404(request: HttpRequest, community: Community, access: Access, pk: int) -> Post:
    post = Post.objects.select_related("thread", "author").filter(pk=pk, thread__community=community).first()
    if post is None or ((post.is_removed or post.thread.hidden) and not access.can_moderate):
        raise Http404  # hidden by a moderator or deleted by its author: only moderators reach it
    post.thread.community = community
    return post


def post_url(post: Post) -> str:
    """Where a post is: its thread's page that holds it, with the post's anchor."""
    position = Post.objects.filter(thread_id=post.thread_id, pk__lte=post.pk).count()
    page = (position - 1) // POSTS_PER_PAGE + 1
    suffix = f"?page={page}" if page > 1 else ""
    return f"{post.thread.get_absolute_url()}{suffix}#post-{post.pk}"


def _error(request: HttpRequest, error: services.CommunityError) -> None:
    messages.error(request, error.message)


def _preview(request: HttpRequest, community: Community, form, **where) -> tuple[str | None, int | None]:
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
    body = form.cleaned_data["body"]
    return render_post(body, find_mentions(body)), 200


# --- communities ------------------------------------------------------------------------------------


def community_list(request: HttpRequest) -> HttpResponse:
    """The communities a person may know of, with members, threads and latest activity."""
    communities = Community.objects.visible_to(request.user)
    if request.user.is_authenticated:
        communities = communities.annotate(
            my_status=Subquery(
                Membership.objects.filter(community=OuterRef("pk"), user=request.user).values("status")[:1]
            )
        )
    return render(request, "community/community_list.html", {"communities": communities})


def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A community's threads, pinned first then by latest activity; filter answered / unanswered."""
    community, access = community_or_404(request, slug)
    context = {"community": community, "access": access}
    if not access.can_read:
        return render(request, "community/community_detail.html", context)
    threads = Thread.objects.filter(community=community).for_listing()
    if not access.can_moderate:
        threads = threads.filter(hidden=False)
    show = request.GET.get("show", "")
    if show == "unanswered":
        threads = threads.filter(accepted_post__isnull=True)
    elif show == "answered":
        threads = threads.filter(accepted_post__isnull=False)
    else:
        show = ""
    if request.user.is_authenticated:
        threads = threads.annotate(
            last_read=Subquery(
                ThreadReadState.objects.filter(thread=OuterRef("pk"), user=request.user).values(
                    "last_read_post_id"
                )[:1]
            )
        )
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    following = (
        request.user.is_authenticated
        and Subscription.objects.filter(user=request.user, community=community).exists()
    )
    context.update(
        {
            "page_obj": page,
            "show": show,
            "following": following,
            "query_string": f"show={show}" if show else "",
        }
    )
    return render(request, "community/community_detail.html", context)


@require_POST
def membership(request: HttpRequest, slug: str) -> HttpResponse:
    """Join, request to join, leave, or (un)follow the community."""
    community, access = community_or_404(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(community.get_absolute_url())
    action = request.POST.get("action")
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
        _error(request, error)
    if action == "leave" and community.visibility == "private":
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


# --- threads ----------------------------------------------------------------------------------------


def new_thread(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a thread: title and Markdown body, with a preview before posting."""
    community, access = community_or_404(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access.can_read:
        return join_prompt(request, community, access)
    if not access.can_post:
        return join_prompt(request, community, access)
    form = ThreadForm(request.POST or None)
    preview, status = None, None
    if request.method == "POST" and "preview" in request.POST:
        preview, status = _preview(request, community, form)
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
        {"community": community, "form": form, "preview": preview},
        status=status or 200,
    )


def thread_redirect(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community, access = community_or_404(request, slug)
    if not access.can_read:
        return join_prompt(request, community, access)
    return redirect(thread_or_404(request, community, access, pk))


def _quote(post: Post) -> str:
    who = f"@{post.author.username}" if post.author_id else _("GovLearn team")
    quoted = "\n".join(f"> {line}" for line in post.body.splitlines())
    return _("%(who)s wrote:") % {"who": who} + f"\n{quoted}\n\n"


def thread_detail(request: HttpRequest, slug: str, pk: int, thread_slug: str) -> HttpResponse:
    """A thread's posts, paginated, with the reply form; a POST replies (or previews the reply)."""
    community, access = community_or_404(request, slug)
    if not access.can_read:
        return join_prompt(request, community, access)
    thread = thread_or_404(request, community, access, pk)
    if thread_slug != (thread.slug or "-"):
        return _redirect_keep_query(request, thread.get_absolute_url())
    preview, preview_status = None, None
    form = ReplyForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(thread.get_absolute_url())
        form = ReplyForm(request.POST)
        if "preview" in request.POST:
            if not access.can_post:
                return join_prompt(request, community, access)
            preview, preview_status = _preview(request, community, form, thread=thread)
        elif form.is_valid():
            body = form.cleaned_data["body"]
            try:
                post = services.post_reply(request.user, thread, body, form.cleaned_data["submission"])
                return redirect(post_url(post))
            except services.DuplicateSubmission as error:
                if error.existing is not None:
                    return redirect(post_url(error.existing))
                form.add_error(None, error.message)
            except services.CommunityError as error:
                form.add_error(None, error.message)
    elif request.GET.get("quote", "").isdigit():
        quoted = (
            Post.objects.filter(pk=int(request.GET["quote"]), thread=thread, hidden=False, deleted_at=None)
            .select_related("author")
            .first()
        )
        if quoted is not None:
            form = ReplyForm(initial={"body": _quote(quoted)})
    posts = Post.objects.filter(thread=thread).select_related("author")
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    page_posts = list(page.object_list)
    context = {
        "community": community,
        "access": access,
        "thread": thread,
        "page_obj": page,
        "posts": page_posts,
        "form": form,
        "preview": preview,
    }
    if request.user.is_authenticated:
        ids = [p.pk for p in page_posts]
        context["helpful"] = set(
            Reaction.objects.filter(user=request.user, post_id__in=ids).values_list("post_id", flat=True)
        )
        context["following"] = Subscription.objects.filter(user=request.user, thread=thread).exists()
        if page_posts and request.method == "GET":
            services.mark_read(request.user, thread, max(ids))
        if access.can_moderate:
            context["move_targets"] = notifications.moderated_communities(request.user).exclude(
                pk=community.pk
            )
    status = 400 if request.method == "POST" and not preview and form.errors else 200
    return render(request, "community/thread_detail.html", context, status=preview_status or status)


def _redirect_keep_query(request: HttpRequest, url: str) -> HttpResponse:
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


@require_POST
def thread_action(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Follow / unfollow; and for moderators lock, pin, move; and un-accepting an answer."""
    community, access = community_or_404(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(community.get_absolute_url())
    if not access.can_read:
        return join_prompt(request, community, access)
    thread = thread_or_404(request, community, access, pk)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")[:1000]
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
            target = Community.objects.filter(pk=parse_id(request.POST.get("target"))).first()
            if target is None:
                raise services.CommunityError(_("Choose a community to move the thread to."))
            services.move_thread(request.user, thread, target, reason)
            messages.success(
                request, _("The thread was moved to %(community)s.") % {"community": target.name}
            )
        elif action == "unaccept":
            services.unaccept_answer(request.user, thread)
    except services.CommunityError as error:
        _error(request, error)
    return redirect(thread)


# --- posts ------------------------------------------------------------------------------------------


def post_permalink(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community, access = community_or_404(request, slug)
    if not access.can_read:
        return join_prompt(request, community, access)
    return redirect(post_url(post_or_404(request, community, access, pk)))


@require_POST
def post_action(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Helpful, accept as answer, delete one's own; hide / unhide and ban the author for moderators."""
    community, access = community_or_404(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(community.get_absolute_url())
    if not access.can_read:
        return join_prompt(request, community, access)
    post = post_or_404(request, community, access, pk)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")[:1000]
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
        _error(request, error)
    return redirect(post_url(post))


@login_required
def edit_post(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community, access = community_or_404(request, slug)
    if not access.can_read:
        return join_prompt(request, community, access)
    post = post_or_404(request, community, access, pk)
    if post.author_id != request.user.pk and not access.can_moderate:
        raise Http404
    form = EditPostForm(request.POST or None, initial={"body": post.body})
    preview, status = None, None
    if request.method == "POST" and "preview" in request.POST:
        if not access.can_post:
            return join_prompt(request, community, access)
        preview, status = _preview(request, community, form, post=post)
    elif request.method == "POST" and form.is_valid():
        try:
            services.edit_post(request.user, post, form.cleaned_data["body"])
            return redirect(post_url(post))
        except services.CommunityError as error:
            form.add_error(None, error.message)
    return render(
        request,
        "community/post_edit.html",
        {"community": community, "post": post, "thread": post.thread, "form": form, "preview": preview},
        status=status or 200,
    )


@login_required
def report_post(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community, access = community_or_404(request, slug)
    if not access.can_read:
        return join_prompt(request, community, access)
    post = post_or_404(request, community, access, pk)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_post(request.user, post, form.cleaned_data["reason"])
            messages.success(request, _("Thank you. The moderators will look at this post."))
            return redirect(post_url(post))
        except services.CommunityError as error:
            form.add_error(None, error.message)
    return render(
        request,
        "community/report.html",
        {"community": community, "post": post, "thread": post.thread, "form": form},
    )


def post_history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Earlier versions of an edited post: for moderators only."""
    community, access = community_or_404(request, slug)
    if not access.can_moderate:
        raise Http404
    post = post_or_404(request, community, access, pk)
    revisions = post.revisions.select_related("edited_by")
    return render(
        request,
        "community/post_history.html",
        {"community": community, "post": post, "thread": post.thread, "revisions": revisions},
    )


# --- "Discuss this" ---------------------------------------------------------------------------------


def discuss(request: HttpRequest, slug: str) -> HttpResponse:
    """A page's thread: opens it if it exists; otherwise offers to start it (POST) to those who may."""
    community, access = community_or_404(request, slug)
    data = services.read_discussion_token(request.GET.get("d", ""))
    if data is None or data.get("c") != community.slug:
        raise Http404  # forged, expired, or signed for another community
    if not access.can_read:
        return join_prompt(request, community, access)
    existing = Thread.objects.filter(community=community, discussion_key=data["k"]).first()
    if existing is not None:
        if existing.hidden and not access.can_moderate:
            raise Http404  # hidden by a moderator: not re-started by the link
        return redirect(existing)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            thread = services.start_discussion(request.user, community, data["k"], data["t"], data["u"])
            return redirect(thread)
        except services.CommunityError as error:
            _error(request, error)
    return render(
        request, "community/discuss.html", {"community": community, "access": access, "about": data}
    )


# --- people and notifications -----------------------------------------------------------------------


def person(request: HttpRequest, username: str) -> HttpResponse:
    """A person's public name and their recent posts that the viewer may read."""
    member = get_object_or_404(get_user_model().objects.with_handles([username]), is_active=True)
    if member.username != username:  # "/people/ALICE/" is alice's page: send readers to its one address
        return redirect("community:person", member.username)
    posts = (
        Post.objects.filter(
            author=member,
            thread__in=Thread.objects.visible_to(request.user),
            hidden=False,
            deleted_at=None,
        )
        .select_related("thread__community")
        .order_by("-created_at")[:20]
    )
    return render(request, "community/person.html", {"member": member, "posts": posts})


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The person's notifications (only what they may still see), and their e-mail choice."""
    setting, _created = NotificationSettings.objects.get_or_create(user=request.user)
    form = NotificationSettingsForm(request.POST or None, instance=setting)
    if request.method == "POST":
        if request.POST.get("action") == "read-all":
            notifications.Notification.objects.filter(user=request.user, read_at=None).update(
                read_at=timezone.now()
            )
            messages.success(request, _("All notifications are marked as read."))
            return redirect("community_notifications")
        if form.is_valid():
            form.save()
            messages.success(request, _("Your e-mail choice has been saved."))
            return redirect("community_notifications")
    page = Paginator(notifications.visible_notifications(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "community/notifications.html", {"page_obj": page, "form": form})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to what it is about."""
    notification = get_object_or_404(notifications.visible_notifications(request.user), pk=pk)
    if notification.read_at is None:
        notifications.Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    if notification.kind in notifications.MODERATOR_KINDS:
        return redirect("community:moderation", notification.community.slug)
    if notification.post_id and not notification.post.is_removed:
        return redirect(post_url(notification.post))
    if notification.thread_id:
        return redirect(notification.thread)
    return redirect(notification.community)


@csrf_exempt  # the signed token is the credential; mail clients' one-click POST (RFC 8058) has no CSRF token
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe from community e-mails: GET asks, POST does it."""
    user = notifications.user_from_unsubscribe_token(token)
    if user is None:
        raise Http404
    if request.method == "POST":
        notifications.unsubscribe(user)
        return render(request, "community/unsubscribe.html", {"done": True})
    return render(request, "community/unsubscribe.html", {"done": False, "token": token})


def notifications_url() -> str:
    return reverse("community_notifications")
