"""The unread notification count for the header: one query, only when a template asks, once per request."""

from django.http import HttpRequest


def notifications(request: HttpRequest) -> dict:
    def unread() -> int:
        if not hasattr(request, "_community_unread"):
            from .notifications import unread_count

            user = getattr(request, "user", None)
            request._community_unread = (
                unread_count(user) if user is not None and user.is_authenticated else 0
            )
        return request._community_unread

    return {"unread_notifications": unread}
