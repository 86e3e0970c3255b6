"""Never a 5xx from input: every URL the URLconf and the page routes expose, fed hostile values.

The test grows with the site by itself: it walks Django's resolver (under the default and every language
prefix), every live Wagtail page and every RoutablePageMixin route, fills path parameters with real values
and then with hostile ones, sends hostile query strings with every parameter name the code reads, and
submits every form it finds on the pages (as anonymous, member and moderator) with hostile values in each
field. Any answer of 500 or more, or any exception that would have become one, is a failure.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
APPS = ("govlearn", "content", "courses", "playbook", "community", "workshops")

# Values that have broken web applications: NUL, digits that are not ASCII, integers beyond 64 bits,
# overlong text, negative and empty numbers, markup, quotes, bad dates and floats.
HOSTILE = [
    "a\x00b",
    "\u0661\u0662\u0663",  # Arabic-Indic digits: str.isdigit() says yes, int() says yes, the database no
    "9" * 40,
    "-1",
    "",
    "x" * 20_000,
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "1e999",
    "2026-02-31T25:61",
    "\ud7ff\U0010ffff",
]
# A shorter list for path segments (URLs are bounded by servers; these cover the classes).
HOSTILE_IN_PATH = ["a\x00b", "\u0661\u0662\u0663", "9" * 40, "x" * 3000, "%ff"]
# Fields one at a time get the values most likely to break int() or the database; all fields at once
# get the whole list above.
HOSTILE_PER_FIELD = ["a\x00b", "\u0661\u0662\u0663", "9" * 40]
ADMIN = re.compile(r"^(?:[a-z]{2}/)?(?:admin|django-admin)/")
# Field names that carry an id (knowledge-check questions are named by their stream block's UUID).
ID_LIKE = re.compile(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|\d+")
# The prefixes of the languages other than the default one (/fr/…).
LANGUAGE_PREFIX = re.compile(
    r"^/?(?:%s)/" % "|".join(re.escape(code) for code, _name in settings.LANGUAGES[1:])  # noqa: UP031
)


# ---------------------------------------------------------------------------------------------------------
# The URLconf as templates: "community/{slug}/t/{pk}/" with the converter or regex of each parameter.


@dataclass
class UrlTemplate:
    parts: list[str | tuple[str, str]]  # literal text or (parameter name, kind)
    view: str

    @property
    def params(self) -> list[tuple[str, str]]:
        return [part for part in self.parts if isinstance(part, tuple)]

    @property
    def is_translated_copy(self) -> bool:
        """The same view under another language's prefix (/fr/…)."""
        first = self.parts[0] if self.parts else ""
        return isinstance(first, str) and bool(LANGUAGE_PREFIX.match(first))

    def fill(self, values: dict[str, str]) -> str:
        out = []
        for part in self.parts:
            if isinstance(part, tuple):
                name, kind = part
                value = values.get(name, "1" if kind in ("int", "regex") else "x")
                out.append(quote(value, safe=""))
            else:
                out.append(part)
        return "/" + "".join(out)


_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _route_parts(route: str) -> list:
    parts, last = [], 0
    for match in _ROUTE_PARAM.finditer(route):
        parts.append(route[last : match.start()])
        parts.append((match.group("name"), match.group("conv") or "str"))
        last = match.end()
    parts.append(route[last:])
    return parts


def _regex_parts(regex: str) -> list:
    """A regex route as literal text and groups ((?P<name>…) or anonymous), without anchors."""
    regex = regex.removeprefix("^").removesuffix("$").removesuffix("\\Z")
    parts, i, anonymous, literal = [], 0, 0, ""
    while i < len(regex):
        char = regex[i]
        if char == "\\" and i + 1 < len(regex):
            literal += regex[i + 1]
            i += 2
            continue
        if char == "(":
            depth, j = 1, i + 1
            while depth:
                if regex[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                j += 1
            group = regex[i:j]
            named = re.match(r"\(\?P<(\w+)>", group)
            if named or not group.startswith("(?:"):
                parts.append(literal)
                literal = ""
                name = named.group(1) if named else f"_{anonymous}"
                anonymous += 0 if named else 1
                parts.append((name, "regex"))
            i = j
            continue
        if char in "^$?*+":
            i += 1
            continue
        literal += char
        i += 1
    parts.append(literal)
    return parts


def url_templates() -> list[UrlTemplate]:
    """Every endpoint of the URLconf; patterns under a language prefix once per language."""
    templates: list[UrlTemplate] = []

    def walk(resolver: URLResolver, prefix: list) -> None:
        for entry in resolver.url_patterns:
            pattern = entry.pattern
            if isinstance(pattern, LocalePrefixPattern):
                prefixes = [[]] + [[f"{code}/"] for code, _name in settings.LANGUAGES[1:]]
            elif isinstance(pattern, RoutePattern):
                prefixes = [_route_parts(str(pattern))]
            elif isinstance(pattern, RegexPattern):
                prefixes = [_regex_parts(pattern.regex.pattern)]
            else:  # pragma: no cover - a new kind of pattern must be taught to this test
                raise AssertionError(f"unknown URL pattern kind {pattern!r}")
            for extra in prefixes:
                if isinstance(entry, URLResolver):
                    walk(entry, prefix + extra)
                elif isinstance(entry, URLPattern):
                    templates.append(UrlTemplate(prefix + extra, entry.lookup_str))

    walk(get_resolver(), [])
    return templates


# ---------------------------------------------------------------------------------------------------------
# Forms on pages.


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    multi: set[str] = field(default_factory=set)

    def key(self, kinds: dict[str, str]) -> tuple:
        """Forms that the same code handles: the same view or page type, method and fields (ids aside)."""
        path = urlsplit(self.action).path
        where = kinds.get(path) or re.sub(r"\d+", "N", LANGUAGE_PREFIX.sub("/", path))
        fields = sorted({ID_LIKE.sub("ID", name) for name in self.fields})
        return (where, self.method, tuple(fields))


class FormParser(HTMLParser):
    """The forms of a page with their fields' default values (what a browser would submit)."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = a.get("action") or self.page_url
            self._form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name"):
            if tag == "option" and self._form is not None and self._select:
                self._form.fields.setdefault(self._select, a.get("value", ""))
            return
        name = a["name"]
        if tag in ("input", "button"):
            kind = a.get("type", "text" if tag == "input" else "submit")
            if kind in ("checkbox", "radio"):
                if name in self._form.fields:
                    self._form.multi.add(name)
                self._form.fields.setdefault(name, a.get("value", "on"))
            elif kind != "file":
                self._form.fields.setdefault(name, a.get("value", ""))
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
            self._form.fields.setdefault(name, "")
        elif tag == "option" and self._select:
            self._form.fields.setdefault(self._select, a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] = data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def query_parameter_names() -> set[str]:
    """Every request.GET / request.POST name the project's code reads, plus the usual suspects."""
    names = {"page", "next", "q", "lang", "format", "sort", "order", "id", "pk", "action"}
    pattern = re.compile(r"request\.(?:GET|POST|data)(?:\.get|\.getlist)?\(?\[?[\"']([\w-]+)")
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            names |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return names


# ---------------------------------------------------------------------------------------------------------
# The world the requests run against: the bundled curriculum and people with something of everything.


@pytest.fixture
def world(site, user_factory, settings):
    from community import services as community_services
    from community.models import Community, Membership, Role, Status
    from courses import services as course_services
    from courses.models import Certificate, CoursePage, LessonPage
    from playbook.models import PlaybookStepPage
    from workshops import services as workshop_services
    from workshops.models import WorkshopPage

    settings.ACCOUNT_RATE_LIMITS = False
    call_command("load_content", verbosity=0)
    member = user_factory(username="member", display_name="Member")
    moderator = user_factory(username="moderator", display_name="Moderator", is_staff=False)
    community = Community.objects.order_by("pk").first()
    for person, role in ((member, Role.MEMBER), (moderator, Role.MODERATOR)):
        for each in Community.objects.all():
            Membership.objects.get_or_create(
                community=each, user=person, defaults={"role": role, "status": Status.ACTIVE}
            )
    thread = community_services.start_thread(member, community, "A question from a member", "Body **here**.")
    reply = community_services.post_reply(moderator, thread, "An answer, @member.")
    newcomer = user_factory(username="newcomer", display_name="Newcomer")
    Membership.objects.create(community=community, user=newcomer, role=Role.MEMBER, status=Status.PENDING)
    community_services.flag_post(member, reply, "spam")
    course = CoursePage.objects.live().first()
    lesson = LessonPage.objects.live().descendant_of(course).first()
    course_services.enrol(member, course)
    Certificate.objects.create(user=member, course=course, issuer="GovLearn")
    workshop_services.register(member, WorkshopPage.objects.live().first())
    step = PlaybookStepPage.objects.live().first()
    return {
        "member": member,
        "moderator": moderator,
        "community": community,
        "thread": thread,
        "post": reply,
        "course": course,
        "lesson": lesson,
        "step": step,
    }


def valid_values(world) -> dict[str, str]:
    """A real value for each path parameter name the URLconf uses."""
    from wagtail.models import PageViewRestriction

    from courses.models import Certificate

    certificate = Certificate.objects.first()
    restriction = PageViewRestriction.objects.first()
    thread, post = world["thread"], world["post"]
    return {
        "slug": world["community"].slug,
        "pk": str(post.pk),
        "thread_slug": thread.slug,
        "username": world["member"].username,
        "token": "not-a-token",
        "code": certificate.code if certificate else "NOCODE",
        "key": "not-a-key",
        "uidb36": "1",
        "provider_id": "national-id",
        "page_view_restriction_id": str(restriction.pk if restriction else 1),
        "page_id": str(world["step"].pk),
        "restriction_id": "1",
        "_0": "1",
        "_1": "file.pdf",
    }


def thread_values(world) -> dict[str, str]:
    values = valid_values(world)
    values["pk"] = str(world["thread"].pk)
    return values


def page_urls() -> dict[str, str]:
    """Every live page's URL and every route of every routable page, each with its kind (the page type, and
    the route's name): pages of one kind run the same code, so the costlier attacks need only a few."""
    urls: dict[str, str] = {}
    for page in Page.objects.live().specific().order_by("path"):
        url = page.get_url()
        if not url:
            continue
        kind = type(page).__name__
        urls[url] = kind
        if isinstance(page, RoutablePageMixin):
            for route in page.get_subpage_urls():
                parts = (
                    _route_parts(str(route.pattern))
                    if isinstance(route.pattern, RoutePattern)
                    else _regex_parts(route.pattern.regex.pattern)
                )
                template = UrlTemplate(parts, route.lookup_str)
                base = url.rstrip("/")
                route_kind = f"{kind}:{route.name}"
                # setdefault: the index route is the page's own URL, which keeps the page's kind
                urls.setdefault(
                    base + template.fill({name: "1" for name, _kind in template.params}), route_kind
                )
                for value in HOSTILE_IN_PATH:
                    for name, _kind in template.params:
                        filled = {n: "1" for n, _k in template.params} | {name: value}
                        urls[base + template.fill(filled)] = route_kind + ":hostile"
    return urls


# ---------------------------------------------------------------------------------------------------------
# Sending and judging.


@dataclass
class Verdict:
    failures: list[str] = field(default_factory=list)
    requests: int = 0

    def send(self, client: Client, method: str, url: str, data: dict | None = None) -> str:
        cache.clear()  # rate limits would otherwise stop the fuzzing before it reaches the code
        self.requests += 1
        try:
            response = client.post(url, data or {}) if method == "post" else client.get(url, data or {})
        except Exception as error:  # noqa: BLE001 - every exception here is a 500 a person would see
            self.failures.append(f"{method.upper()} {url[:200]!r} {_short(data)} raised {error!r:.300}")
            return ""
        if response.status_code >= 500:
            status = response.status_code
            self.failures.append(f"{method.upper()} {url[:200]!r} {_short(data)} answered {status}")
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith("text/html") and not response.streaming:
            return response.content.decode("utf-8", "replace")
        return ""


def _short(data: dict | None) -> str:
    if not data:
        return ""
    return repr({k: (v[:20] + "…" if isinstance(v, str) and len(v) > 20 else v) for k, v in data.items()})


def run_persona(world, persona: str) -> Verdict:
    client = Client(raise_request_exception=True)
    if persona != "anonymous":
        client.force_login(world[persona])
    verdict = Verdict()
    values = valid_values(world)
    pages = page_urls()
    forms: dict[tuple, Form] = {}

    def collect_forms(url: str, html: str) -> None:
        if "<form" not in html:
            return
        parser = FormParser(url)
        parser.feed(html)
        for form in parser.forms:
            if urlsplit(form.action).netloc not in ("", "testserver"):
                continue
            forms.setdefault(form.key(pages), form)

    # 1. Every endpoint with real values, then with each parameter hostile (not the admin's insides: it
    # answers every non-staff persona with a redirect to sign in, whatever the rest of the path says).
    concrete: list[str] = []
    for template in url_templates():
        is_admin = bool(ADMIN.match(template.fill({n: "1" for n, _k in template.params}).lstrip("/")))
        for base in (values, thread_values(world)):
            url = template.fill(base)
            if url in concrete:
                continue
            concrete.append(url)
            collect_forms(url, verdict.send(client, "get", url))
        if is_admin or template.is_translated_copy:
            continue  # the admin, and other languages' copies of the same views, get only real values
        for name, _kind in template.params:
            for value in HOSTILE_IN_PATH:
                url = template.fill(values | {name: value})
                verdict.send(client, "get", url)
                if "login" not in url and "logout" not in url:
                    verdict.send(client, "post", url, {"action": "x"})

    # 2. Every page and page route; two of each kind get the hostile query strings below.
    seen_kinds: dict[str, int] = {}
    for url, kind in pages.items():
        collect_forms(url, verdict.send(client, "get", url))
        seen_kinds[kind] = seen_kinds.get(kind, 0) + 1
        if seen_kinds[kind] <= 2:
            concrete.append(url)

    # 3. Hostile query strings on every endpoint.
    names = sorted(query_parameter_names())
    for url in dict.fromkeys(concrete):
        if ADMIN.match(url.lstrip("/")) or LANGUAGE_PREFIX.match(url) or "logout" in url:
            continue
        for value in ("a\x00b", "9" * 40, "\u0661\u0662\u0663"):
            verdict.send(client, "get", url, dict.fromkeys(names, value))

    # 4. Every form: each field hostile in turn, then all fields at once.
    for form in forms.values():
        if "logout" in form.action:
            continue
        for name in form.fields:
            for value in HOSTILE_PER_FIELD:
                verdict.send(client, form.method, form.action, form.fields | {name: value})
        for value in HOSTILE:
            verdict.send(client, form.method, form.action, dict.fromkeys(form.fields, value))
        verdict.send(client, form.method, form.action, {})
    return verdict


@pytest.mark.parametrize("persona", ["anonymous", "member", "moderator"])
def test_no_input_answers_5xx(world, persona):
    verdict = run_persona(world, persona)
    assert verdict.requests > 500, "the walk reached too little of the site"
    assert verdict.failures == [], f"{len(verdict.failures)} of {verdict.requests} requests failed:\n" + (
        "\n".join(verdict.failures[:60])
    )


def test_the_walk_reaches_every_part_of_the_site(world):
    """If the walk stopped finding an app's URLs or forms, the test above would pass without meaning."""
    views = {template.view.split(".")[0] for template in url_templates()}
    assert {"govlearn", "community", "courses", "allauth", "wagtail"} <= views
    pages = page_urls()
    assert any("/playbook/" in url for url in pages)
    assert {"PlaybookStepPage", "LessonPage", "WorkshopPage", "CoursePage"} <= set(pages.values())
    assert any("/courses/" in url for url in pages)
    assert any("/workshops/" in url for url in pages)
    names = query_parameter_names()
    assert {"q", "page", "action", "next"} <= names
    # French pages are walked too.
    assert any(t.fill({n: "x" for n, _k in t.params}).startswith("/fr/") for t in url_templates())
