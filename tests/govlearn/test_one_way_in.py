"""One way in: no URL, under any language prefix, signs anyone in except allauth's login view, with its
stages (second factor, verified e-mail) and rate limits.

The URLs are not listed by hand: every pattern of the URLconf is walked, its parameters filled with
plausible values (real ids, real reset and confirmation keys), and valid credentials - as form fields
named every way a sign-in form names them - are posted to it.
"""

from collections.abc import Iterator

import pytest
from allauth.account.forms import default_token_generator as allauth_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import default_token_generator as django_token_generator
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.regex_helper import normalize
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from community import services as community_services
from community.models import Community
from govlearn.models import HomePage

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def walk(resolver: URLResolver | None = None, chain: tuple = ()) -> Iterator[tuple]:
    """Every URL pattern of the URLconf, in resolution order, with the patterns that lead to it."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern, (*chain, pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            yield (*chain, pattern.pattern)


def route_of(chain: tuple) -> str:
    """The route as Django's ResolverMatch.route spells it (inner leading ^ dropped)."""
    route = ""
    for part in chain:
        text = str(part)
        route += text[1:] if route and text.startswith("^") else text
    return route


def path_for(chain: tuple, values: dict) -> str:
    """A concrete path for a pattern, as reverse() would build it, with plausible parameter values."""
    regex = "".join(part.regex.pattern.removeprefix("^") for part in chain)
    template, params = normalize(regex)[0]
    return "/" + template % {name: values(name, route_of(chain)) for name in params}


@pytest.fixture
def world(site, user_factory):
    """Real objects for the parameters to point at: users, a community with a post, restricted pages and
    documents whose restriction password is the user's password too."""
    home = HomePage.objects.get()
    secret_page = HomePage(title="Restricted", slug="restricted")
    home.add_child(instance=secret_page)
    page_restriction = PageViewRestriction.objects.create(
        page=secret_page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    collection = Collection.get_first_root_node().add_child(name="Restricted documents")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password=PASSWORD
    )
    document = Document.objects.create(title="Plan", file="documents/plan.pdf", collection=collection)
    community = Community.objects.create(name="Payments", slug="payments")
    author = user_factory(username="author")
    community_services.join(author, community)
    thread = community_services.start_thread(author, community, "A question", "Body")
    return {
        "home": home,
        "page_restriction": page_restriction,
        "collection_restriction": CollectionViewRestriction.objects.get(),
        "document": document,
        "community": community,
        "thread": thread,
        "post": thread.first_post,
    }


def plausible_values(world: dict, user) -> callable:
    unverified = EmailAddress.objects.create(user=user, email=f"second-{user.email}", verified=False)

    def value(name: str, route: str) -> str:
        if name == "pk":
            if "/p/" in route:
                return str(world["post"].pk)
            if "/t/" in route:
                return str(world["thread"].pk)
            return "1"
        if name == "key":
            if "confirm-email" in route:
                return EmailConfirmationHMAC(unverified).key
            return allauth_token_generator.make_token(user)
        return {
            "uidb36": user_pk_to_url_str(user),
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": django_token_generator.make_token(user),
            "slug": world["community"].slug,
            "thread_slug": world["thread"].slug,
            "username": user.username,
            "provider_id": "national-id",
            "page_view_restriction_id": str(world["page_restriction"].pk),
            "restriction_id": str(world["collection_restriction"].pk),
            "page_id": str(world["page_restriction"].page_id),
            "document_id": str(world["document"].pk),
            "_0": str(world["document"].pk) if route.startswith("documents/") else "",
            "_1": "plan.pdf",
        }.get(name, "1")

    return value


def reaches_a_view(path: str) -> bool:
    """Does the path reach a view other than Wagtail's page server?"""
    try:
        return resolve(path).url_name != "wagtail_serve"
    except Resolver404:
        return False


def every_url(values) -> list[str]:
    """Each pattern's path in the default language and under /fr/, checked to reach that pattern (or an
    earlier one that shadows it, such as our redirect in front of Wagtail's own login). Language-neutral
    paths (the admin, documents...) are tried under /fr/ too when that reaches anything but the page
    server, which is tried under /fr/ in any case."""
    chains = list(walk())
    urls: list[str] = []
    for language in ("en", "fr"):
        with translation.override(language):
            order: dict[str, int] = {}
            for index, chain in enumerate(chains):
                order.setdefault(route_of(chain), index)
            for index, chain in enumerate(chains):
                path = path_for(chain, values)
                match = resolve(path)
                assert order.get(match.route, len(chains)) <= index, (path, route_of(chain), match.route)
                urls.append(path)
                if language == "fr" and not path.startswith("/fr/") and reaches_a_view(f"/fr{path}"):
                    urls.append(f"/fr{path}")
    assert len(chains) > 300 and any(url.startswith("/fr/accounts/") for url in urls)
    return list(dict.fromkeys(urls))


def credentials(user, username: str) -> dict:
    """Valid credentials under every field name a sign-in, sign-up or password form uses."""
    return {
        "username": username,
        "login": user.email,
        "email": user.email,
        "password": PASSWORD,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "oldpassword": PASSWORD,
        "remember": "on",
    }


def paths_that_sign_in(urls: list[str], data: dict, start=None) -> list[str]:
    """Post to each URL from a fresh browser; each post is rolled back afterwards, so that one URL's
    effect (a confirmed address, a changed password) cannot hide or cause another's."""
    signed_in = []
    for url in urls:
        client = Client(raise_request_exception=False)
        with transaction.atomic():
            if start:
                start(client)
            client.post(url, data)
            if client.session.get(SESSION_KEY) is not None:
                signed_in.append(url)
            transaction.set_rollback(True)
        cache.clear()  # rate limits are tested elsewhere; here they would only stop the walk early
    return signed_in


@pytest.fixture
def staff_with_totp(user_factory):
    staff = user_factory(username="staff-with-totp", is_staff=True, is_superuser=True)
    TOTP.activate(staff, generate_totp_secret())
    return staff


@pytest.fixture
def staff_without_mfa(user_factory):
    return user_factory(username="staff-without-mfa", is_staff=True, is_superuser=True)


def test_no_url_signs_in_someone_who_has_a_second_factor(world, staff_with_totp):
    user = staff_with_totp
    urls = every_url(plausible_values(world, user))
    assert paths_that_sign_in(urls, credentials(user, user.email)) == []


def test_no_url_completes_a_sign_in_waiting_for_its_second_factor(world, staff_with_totp):
    """Password given, second factor not yet: posting the credentials anywhere does not finish it."""
    user = staff_with_totp
    urls = every_url(plausible_values(world, user))
    waiting = Client()
    response = waiting.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    waiting_state = dict(waiting.session.items())

    def half_signed_in(client: Client) -> None:
        """A browser of its own in the same state: password accepted, code awaited."""
        session = SessionStore()
        session.update(waiting_state)
        session.create()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key

    assert paths_that_sign_in(urls, credentials(user, user.email), start=half_signed_in) == []


@pytest.mark.parametrize("username_as", ["email", "handle"])
def test_without_a_second_factor_only_allauths_login_signs_in(world, staff_without_mfa, username_as):
    """The handle (the public username) with the password must not work anywhere: only Django's
    ModelBackend would accept it."""
    user = staff_without_mfa
    urls = every_url(plausible_values(world, user))
    data = credentials(user, user.email if username_as == "email" else user.username)
    assert sorted(paths_that_sign_in(urls, data)) == ["/accounts/login/", "/fr/accounts/login/"]


def test_wagtails_front_end_login_goes_to_allauth(client, site, staff_without_mfa):
    for prefix in ("", "/fr"):
        response = client.post(
            f"{prefix}/_util/login/?next=/me/", {"username": staff_without_mfa.username, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert response["Location"] == f"{prefix}/accounts/login/?next=%2Fme%2F"
        assert SESSION_KEY not in client.session
    response = client.get("/_util/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/login/?next=%2F"


def test_pages_for_signed_in_people_send_them_to_allauth(client, site):
    home = HomePage.objects.get()
    members_page = HomePage(title="Members", slug="members")
    home.add_child(instance=members_page)
    PageViewRestriction.objects.create(page=members_page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/members/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/members/"
    assert settings.WAGTAIL_FRONTEND_LOGIN_URL == "account_login"


def test_only_allauths_backend_authenticates():
    """Django's ModelBackend would accept the public @handle with a password wherever authenticate() is
    called; allauth's backend accepts the e-mail address only, and answers permission checks."""
    assert settings.AUTHENTICATION_BACKENDS == ["allauth.account.auth_backends.AuthenticationBackend"]


def test_permissions_still_come_from_groups_with_allauths_backend(staff_without_mfa, user_factory, site):
    from django.contrib.auth.models import Group

    editor = user_factory(username="editor")
    editor.groups.add(Group.objects.get(name="Editors"))
    assert editor.has_perm("wagtailadmin.access_admin")
    assert not user_factory(username="plain").has_perm("wagtailadmin.access_admin")


def test_a_page_password_grants_the_page_not_a_session(client, world, staff_without_mfa):
    restriction = world["page_restriction"]
    response = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{restriction.page_id}/",
        {"password": PASSWORD, "return_url": "/restricted/"},
    )
    assert response.status_code == 302
    assert client.get("/restricted/").status_code == 200  # the restriction is passed...
    assert SESSION_KEY not in client.session  # ...and nobody is signed in


def test_the_walk_reaches_every_kind_of_sign_in_form(world, staff_without_mfa):
    """The walk is real: it reaches allauth's login, Wagtail's own (shadowed) login and password views."""
    urls = every_url(plausible_values(world, staff_without_mfa))
    for url in [
        "/accounts/login/",
        "/fr/accounts/login/",
        "/_util/login/",
        "/fr/_util/login/",
        "/admin/login/",
    ]:
        assert url in urls
    assert any(url.startswith("/admin/password_reset/confirm/") for url in urls)
    assert any(url.startswith("/accounts/password/reset/key/") for url in urls)
    assert any(url.startswith("/accounts/confirm-email/") for url in urls)
    assert any(url.startswith("/accounts/2fa/webauthn/login/") for url in urls)
