"""The unread notification count for the header: one query, only when a template asks, once per request."""

from django.http import HttpRequest

from .queries import unread_count


def notifications(request: HttpRequest) -> dict:
    def unread() -> int:
        if not hasattr(request, "_community_unread"):
            user = getattr(request, "user", None)
            request._community_unread = (
                unread_count(user) if user is not None and user.is_authenticated else 0
            )
        return request._community_unread

    return {"unread_notifications": unread}
