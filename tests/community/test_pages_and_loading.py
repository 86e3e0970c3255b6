"""XSS stays inert, query counts stay fixed, bundled communities load, seed_demo seeds, "Discuss this"."""

from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.utils import timezone

from community import services
from community.counters import drift
from community.models import Community, Membership, Post, Thread
from content.discussion import discussion_url
from content.loading import load_all
from content.markdown import render_markdown

pytestmark = pytest.mark.django_db

VECTORS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<svg onload=alert(1)><circle/></svg>",
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<div <script>alert(1)</script>",
]
FORBIDDEN_TAGS = {"script", "style", "iframe", "svg", "img", "object", "embed"}


class _Elements(HTMLParser):
    """Every element and attribute the browser would build: what matters is markup, not escaped text."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def assert_inert(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in FORBIDDEN_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src", "action"}:
                cleaned = "".join((value or "").split()).lower()
                assert not cleaned.startswith(("javascript:", "data:", "vbscript:")), (tag, value)


@pytest.mark.parametrize("vector", VECTORS)
def test_xss_in_posts_titles_and_names_renders_inert(client_for, site, user_factory, community, vector):
    person = user_factory(username="attacker", display_name=vector[:80])
    Membership.objects.create(community=community, user=person)
    thread = services.start_thread(person, community, vector[:150], f"Hello {vector} @attacker")
    html = client_for(person).get(thread.get_absolute_url()).content.decode()
    assert_inert(html[html.index('<main id="main"') : html.index("</main>")])
    listing = client_for(person).get(community.get_absolute_url()).content.decode()
    assert_inert(listing[listing.index('<main id="main"') : listing.index("</main>")])


def test_post_html_is_the_renderer_output(community, member):
    thread = services.start_thread(member, community, "T", "**x** <b onclick=1>y</b>")
    assert Post.objects.get(pk=thread.first_post_id).body_html == render_markdown("**x** <b onclick=1>y</b>")


def _many_threads(community, author, count):
    now = timezone.now()
    threads = Thread.objects.bulk_create(
        [
            Thread(community=community, title=f"T{i}", slug=f"t{i}", author=author, last_activity=now)
            for i in range(count)
        ]
    )
    posts = Post.objects.bulk_create(
        [Post(thread=t, author=author, body="b", body_html="<p>b</p>") for t in threads]
    )
    for thread, post in zip(threads, posts, strict=True):
        thread.first_post = thread.last_post = post
    Thread.objects.bulk_update(threads, ["first_post", "last_post"])


def test_query_counts_are_fixed(
    client_for, site, community, member, make_community, django_assert_max_num_queries
):
    for i in range(20):
        make_community(f"c{i}")
    _many_threads(community, member, 500)
    thread = services.start_thread(member, community, "Long one", "start")
    Post.objects.bulk_create(
        [Post(thread=thread, author=member, body=f"r{i}", body_html=f"<p>r{i}</p>") for i in range(200)]
    )
    client = client_for(member)
    client.get("/community/")  # warm the session and caches
    # Each budget includes reading the session, which lives in the database (not the cache) by design.
    with django_assert_max_num_queries(10):
        assert client.get("/community/").status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get(community.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get(community.get_absolute_url() + "?page=10").status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get(thread.get_absolute_url() + "?page=5").status_code == 200


def test_bundled_communities_load_idempotently_with_welcome_threads(site):
    load_all(only=["taxonomies", "communities"])
    assert Community.objects.count() == 4
    assert Thread.objects.filter(discussion_key="welcome", pinned=True).count() == 4
    assert Community.objects.get(slug="digital-identity").building_blocks.exists()
    report = load_all(only=["taxonomies", "communities"])
    assert report.created == [] and report.updated == []
    assert Thread.objects.count() == 4


def test_seed_demo_adds_members_threads_and_posts(site):
    load_all(only=["taxonomies", "communities"])
    call_command("seed_demo", "--scale", "1")
    assert Thread.objects.filter(discussion_key__startswith="seed:").exists()
    busy = Community.objects.order_by("-thread_count").first()
    assert busy.thread_count == busy.threads.count() and busy.member_count == busy.memberships.count()
    assert drift() == []  # every counter and pointer the seeder stored, and the loader's
    before = Post.objects.count()
    call_command("seed_demo", "--scale", "1")
    assert Post.objects.count() == before


def test_discuss_this_creates_the_thread_on_first_use_only(client_for, site, community, member):
    url = discussion_url(community.slug, "playbook-step:7", "Catalogue services", "/playbook/step/")
    assert discussion_url("no-such-community", "k", "t", "/") is None
    client = client_for(member)
    assert client.get(url).status_code == 200
    first = client.post(url)
    second = client.post(url)
    assert first["Location"] == second["Location"]
    thread = Thread.objects.get(discussion_key="playbook-step:7")
    assert thread.title == "Catalogue services"
    assert client.get(url)["Location"] == thread.get_absolute_url()
