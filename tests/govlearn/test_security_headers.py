"""Security headers: a strict CSP on public pages (relaxed under /admin/ only), HSTS and secure cookies."""

from html.parser import HTMLParser

import pytest
from django.test import override_settings

from tests.govlearn.envs import PRODUCTION_ENV, settings_values
from tests.signing_in import sign_in_with_second_factor

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/search/?q=identity", "/fr/", "/no-such-page/"]


def csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_a_strict_policy(client, home_page, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    policy = csp(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_admin_alone_gets_the_relaxed_policy(client, home_page, user_factory):
    admin = user_factory(is_staff=True, is_superuser=True)
    sign_in_with_second_factor(client, admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = csp(response)
    assert "'unsafe-inline'" in policy["script-src"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["frame-ancestors"] == ["'self'"]  # the page editor previews in a frame
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert policy["object-src"] == ["'none'"]
    # Signed in as an editor, public pages stay strict.
    public = client.get("/")
    assert "'unsafe-inline'" not in public["Content-Security-Policy"]
    assert public["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/administrator/", "/fr/admin/", "/search/?q=/admin/"])
def test_paths_that_merely_look_like_the_admin_stay_strict(client, home_page, path):
    response = client.get(path)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_production_settings_send_hsts_and_secure_cookies(client, home_page, user):
    """The values production settings compute, applied to a request over HTTPS."""
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
    ]
    production = settings_values(names, **PRODUCTION_ENV)
    with override_settings(**production):
        plain = client.get("/accounts/login/")
        assert plain.status_code == 301 and plain["Location"] == "https://testserver/accounts/login/"
        response = client.get("/accounts/login/", secure=True)
        assert response.status_code == 200
        hsts = response["Strict-Transport-Security"]
        assert "max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts
        assert response.cookies["csrftoken"]["secure"] is True
        assert response.cookies["csrftoken"]["samesite"] == "Lax"
        signed_in = client.post(
            "/accounts/login/", {"login": user.email, "password": "correct-horse-battery"}, secure=True
        )
        assert signed_in.status_code == 302
        session_cookie = signed_in.cookies["sessionid"]
        assert session_cookie["secure"] is True
        assert session_cookie["httponly"] is True


def test_debug_settings_send_no_hsts(client, home_page):
    debug = settings_values(["SECURE_HSTS_SECONDS", "CSRF_COOKIE_SECURE"], DJANGO_DEBUG="1")
    with override_settings(**debug):
        response = client.get("/accounts/login/", secure=True)
    assert "Strict-Transport-Security" not in response
    assert response.cookies["csrftoken"]["secure"] == ""


DATA_BLOCK_TYPES = {"application/json", "application/ld+json"}


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP would block: inline <script>, <style> elements, style="" attributes."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        is_data_block = (attributes.get("type") or "").lower() in DATA_BLOCK_TYPES  # never executed
        if tag == "script" and not attributes.get("src") and not is_data_block:
            self.problems.append(f"inline <script> {attrs}")
        if tag == "style":
            self.problems.append("<style> element")
        if "style" in attributes:
            self.problems.append(f'style="" on <{tag}>')
        for name in attributes:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
        if tag == "a" and (attributes.get("href") or "").strip().lower().startswith("javascript:"):
            self.problems.append("javascript: link")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


def test_the_scanner_catches_inline_code():
    assert inline_code('<script>alert(1)</script><p style="color:red" onclick="x()">') == [
        "inline <script> []",
        'style="" on <p>',
        "event handler onclick on <p>",
    ]
    assert inline_code('<script type="module">run()</script>') == ["inline <script> [('type', 'module')]"]
    assert inline_code('<script src="/static/a.js" defer></script><p class="x">') == []
    assert inline_code('<script type="application/json">{"a": 1}</script>') == []


@pytest.mark.parametrize("signed_in", [False, True])
def test_public_pages_have_no_inline_script_or_style(client, home_page, user, signed_in):
    from wagtail.models import Page

    page = Page(title="Identity basics", slug="identity-basics", search_description="About identity")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    if signed_in:
        client.force_login(user)
    paths = ["/", "/search/", "/search/?q=identity", "/identity-basics/", "/no-such-page/"]
    if not signed_in:
        paths += ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert inline_code(response.content.decode()) == [], path


@pytest.mark.django_db
def test_the_admin_requests_no_avatar_from_gravatar(client, home_page, admin_user):
    sign_in_with_second_factor(client, admin_user)
    html = client.get(f"/admin/pages/{home_page.pk}/edit/").content.decode()
    assert "gravatar.com" not in html


@pytest.mark.django_db
def test_a_preview_keeps_the_strict_policy_but_the_admin_may_frame_it(rf, home_page, admin_user):
    """The editor's preview pane is an iframe of the admin: a page preview must be framable by the admin's
    own origin (it was refused with frame-ancestors 'none', a broken frame), and by nobody else."""
    original = rf.get(f"/admin/pages/{home_page.pk}/edit/preview/")
    original.user = admin_user
    response = home_page.make_preview_request(original)
    assert response.status_code == 200
    policy = csp(response)
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # still the public pages' policy, no inline script
    assert policy["style-src"] == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.django_db
def test_the_admin_asks_wagtail_org_for_no_update(client, home_page, admin_user):
    sign_in_with_second_factor(client, admin_user)
    html = client.get("/admin/").content.decode()
    assert "releases.wagtail.org" not in html
    assert "data-w-upgrade" not in html
