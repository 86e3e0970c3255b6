"""Security middleware: a strict Content-Security-Policy (relaxed only where the Wagtail admin needs it),
headers Django does not set, and only the HTTP methods the site uses."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

ADMIN_PREFIX = "/admin/"
# The Wagtail page editor still emits a few inline scripts and styles.
ADMIN_RELAXATIONS = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}


# A page previewed in the admin keeps the public pages' strict policy, but the admin (same origin) may
# frame it: its preview pane is an iframe.
PREVIEW_RELAXATIONS = {"frame-ancestors": ["'self'"]}


def is_admin_path(path: str) -> bool:
    return path.startswith(ADMIN_PREFIX)


def is_preview(request: HttpRequest) -> bool:
    """Wagtail renders a preview through the middleware with a dummy request for the page's own URL."""
    return getattr(request, "is_dummy", False)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin relaxations applied under /admin/ only, and previews framable
    by the admin."""

    def get_policy_parts(self, request: HttpRequest, response: HttpResponse, report_only: bool = False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if is_preview(request):
            relaxations = PREVIEW_RELAXATIONS
        elif is_admin_path(request.path_info):
            relaxations = ADMIN_RELAXATIONS
        else:
            return parts
        replace = {**(parts.replace or {}), **relaxations}
        return PolicyParts(parts.config, parts.update, replace, parts.nonce)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself; the admin's preview frames need same-origin framing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if is_admin_path(request.path_info) or is_preview(request):
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response


# The Wagtail admin's scripts also PATCH (dismissible notices) and DELETE (preview data); nothing else
# uses more than GET, HEAD and POST. OPTIONS and TRACE are never needed here: no CORS, no WebDAV.
SITE_METHODS = ("GET", "HEAD", "POST")
ADMIN_METHODS = (*SITE_METHODS, "PUT", "PATCH", "DELETE")


class AllowedMethodsMiddleware:
    """Answers 405 to any HTTP method the site does not use (OPTIONS, TRACE, WebDAV verbs, made-up ones),
    before any view sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = ADMIN_METHODS if is_admin_path(request.path_info) else SITE_METHODS
        if request.method not in allowed:
            return HttpResponseNotAllowed(allowed)
        return self.get_response(request)


class NullCharacterInRequest(SuspiciousOperation):
    """A NUL character in a URL or form: no person types one, and PostgreSQL cannot store it."""


class RejectNullCharactersMiddleware:
    """Answer 400 to any request with a NUL character in its path, query string or form fields.

    One check here instead of one in every view: PostgreSQL refuses NUL in text (a DataError, so a 500)
    wherever a value reaches a query, and no legitimate browser request contains one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info or _has_null(request.GET) or _has_null(request.POST):
            raise NullCharacterInRequest("NUL character in the request")
        return self.get_response(request)


def _has_null(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data)
