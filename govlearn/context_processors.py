"""Template context every page needs: navigation and whether single sign-on is offered."""

from django.http import HttpRequest
from django.utils.translation import get_language_from_path

from .navigation import main_navigation


def path_without_language(request: HttpRequest) -> str:
    """The current address without its /fr/ prefix: `set_language` can only translate such a path."""
    path = request.get_full_path()
    language = get_language_from_path(request.path_info)
    prefix = f"/{language}/" if language else None
    return path[len(prefix) - 1 :] if prefix and path.startswith(prefix) else path


def site_chrome(request: HttpRequest) -> dict:
    """Lazily computed so that pages which never render the chrome (JSON, redirects) pay nothing."""

    def navigation():
        if not hasattr(request, "_govlearn_nav"):
            request._govlearn_nav = main_navigation(request)
        return request._govlearn_nav

    return {"main_navigation": navigation, "language_neutral_path": lambda: path_without_language(request)}
