"""People and notifications: a person's page, the notifications list, and the one-click unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .. import notifications, queries
from ..forms import NotificationsActionForm, NotificationSettingsForm
from ..links import user_from_unsubscribe_token
from ..models import NotificationSettings
from ..policy import MODERATOR_KINDS, policy_for


def person(request: HttpRequest, username: str) -> HttpResponse:
    """A person's public name and their recent posts that the viewer may read."""
    member = get_object_or_404(get_user_model().objects.with_handles([username]), is_active=True)
    if member.username != username:  # "/people/ALICE/" is alice's page: send readers to its one address
        return redirect("community:person", member.username)
    posts = queries.person_posts(policy_for(request), member)
    return render(request, "community/person.html", {"member": member, "posts": posts})


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The person's notifications (only what they may still see), and their e-mail choice."""
    setting, _created = NotificationSettings.objects.get_or_create(user=request.user)
    form = NotificationSettingsForm(request.POST or None, instance=setting)
    if request.method == "POST":
        action = NotificationsActionForm(request.POST)
        if action.is_valid() and action.cleaned_data["action"] == "read-all":
            notifications.mark_all_read(request.user)
            messages.success(request, _("All notifications are marked as read."))
            return redirect("community_notifications")
        if form.is_valid():
            form.save()
            messages.success(request, _("Your e-mail choice has been saved."))
            return redirect("community_notifications")
    visible = queries.visible_notifications(request.user)
    page = Paginator(visible, queries.NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "community/notifications.html", {"page_obj": page, "form": form})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to what it is about."""
    notification = get_object_or_404(queries.visible_notifications(request.user), pk=pk)
    notifications.mark_read(notification)
    if notification.kind in MODERATOR_KINDS:
        return redirect("community:moderation", notification.community.slug)
    if notification.post_id and not notification.post.is_removed:
        return redirect(queries.post_url(notification.post))
    if notification.thread_id:
        return redirect(notification.thread)
    return redirect(notification.community)


@csrf_exempt  # the signed token is the credential; mail clients' one-click POST (RFC 8058) has no CSRF token
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe from community e-mails: GET asks, POST does it."""
    user = user_from_unsubscribe_token(token)
    if user is None:
        raise Http404
    if request.method == "POST":
        notifications.unsubscribe(user)
        return render(request, "community/unsubscribe.html", {"done": True})
    return render(request, "community/unsubscribe.html", {"done": False, "token": token})
