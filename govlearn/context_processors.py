"""Template context every page needs: navigation and whether single sign-on is offered."""

from django.http import HttpRequest

from .navigation import main_navigation


def site_chrome(request: HttpRequest) -> dict:
    """Lazily computed so that pages which never render the chrome (JSON, redirects) pay nothing."""

    def navigation():
        if not hasattr(request, "_govlearn_nav"):
            request._govlearn_nav = main_navigation(request)
        return request._govlearn_nav

    return {"main_navigation": navigation}
