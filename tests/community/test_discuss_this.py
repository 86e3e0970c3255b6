""" "Discuss this" on playbook steps and course lessons: the link, the thread made once, who may start it."""

import re
from html import unescape

import pytest
from wagtail import hooks

from community.models import Status, Thread, Visibility
from content.hooks import DISCUSSION_LINKS
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from playbook.models import PlaybookPage, PlaybookSectionPage, PlaybookStepPage
from tests.signing_in import sign_in_with_second_factor

LINK_TEXT = {"step": "Discuss this step", "lesson": "Discuss this lesson"}


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def pages(home_page):
    """A playbook step and a course lesson, neither naming a community yet."""
    playbook = publish(home_page, PlaybookPage(title="Playbook", slug="playbook"))
    section = publish(playbook, PlaybookSectionPage(title="Implementation", slug="implementation"))
    step = publish(section, PlaybookStepPage(title="Catalogue services", slug="catalogue", summary="List"))
    index = publish(home_page, CourseIndexPage(title="Courses", slug="courses"))
    course = publish(index, CoursePage(title="Basics", slug="basics", summary="About"))
    module = publish(course, ModulePage(title="Module", slug="module"))
    lesson = publish(module, LessonPage(title="What is a building block?", slug="lesson"))
    return {"step": step, "lesson": lesson}


def name_community(page, slug: str):
    page.discussion_community = slug
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def discuss_href(client, page) -> str | None:
    """The "Discuss this" address on the page as the client sees it, or None when there is no link."""
    html = client.get(page.url).content.decode()
    match = re.search(r'<p class="discuss-this"><a href="([^"]+)">([^<]+)</a>', html)
    return unescape(match.group(1)) if match else None


@pytest.mark.parametrize("kind", ["step", "lesson"])
def test_link_shows_only_for_a_community_that_exists_and_a_registered_provider(
    kind, pages, client, community, monkeypatch
):
    page = pages[kind]
    assert discuss_href(client, page) is None  # no community named
    name_community(page, "no-such-community")
    assert discuss_href(client, page) is None
    name_community(page, community.slug)
    html = client.get(page.url).content.decode()
    assert LINK_TEXT[kind] in html
    assert discuss_href(client, page).startswith(f"/community/{community.slug}/discuss/?d=")
    get_hooks = hooks.get_hooks  # nobody answers for "Discuss this" links any more
    monkeypatch.setattr(hooks, "get_hooks", lambda name: [] if name == DISCUSSION_LINKS else get_hooks(name))
    assert discuss_href(client, page) is None
    assert LINK_TEXT[kind] not in client.get(page.url).content.decode()


@pytest.mark.parametrize("kind", ["step", "lesson"])
def test_a_private_community_gets_no_link(kind, pages, client_for, make_community, member):
    secret = make_community("secret", visibility=Visibility.PRIVATE)
    page = name_community(pages[kind], secret.slug)
    assert discuss_href(client_for(None), page) is None
    assert discuss_href(client_for(member), page) is None
    assert "secret" not in client_for(None).get(page.url).content.decode()


@pytest.mark.parametrize("kind", ["step", "lesson"])
def test_first_use_starts_the_thread_and_later_uses_open_it(
    kind, pages, client_for, community, member, user_factory, add_member
):
    page = name_community(pages[kind], community.slug)
    client = client_for(member)
    href = discuss_href(client, page)
    offer = client.get(href)
    assert offer.status_code == 200 and "Start the discussion" in offer.content.decode()
    assert not Thread.objects.exists()  # opening the link alone starts nothing

    first = client.post(href)
    thread = Thread.objects.get()
    assert first.status_code == 302 and first["Location"] == thread.get_absolute_url()
    assert thread.title == page.title and thread.author == member and thread.community == community
    assert thread.discussion_key == f"{page._meta.label_lower}:{page.pk}"
    assert page.get_full_url() in thread.first_post.body  # the thread points back at the page

    assert client.post(href)["Location"] == thread.get_absolute_url()  # a second start reuses it
    other = user_factory(username="other")
    add_member(community, other)
    again = client_for(other).get(discuss_href(client_for(other), page))
    assert again.status_code == 302 and again["Location"] == thread.get_absolute_url()
    assert Thread.objects.count() == 1
    community.refresh_from_db()
    assert community.thread_count == 1


def test_each_page_has_its_own_thread(pages, client_for, community, member):
    client = client_for(member)
    for page in pages.values():
        client.post(discuss_href(client, name_community(page, community.slug)))
    assert sorted(Thread.objects.values_list("title", flat=True)) == sorted(
        page.title for page in pages.values()
    )


def test_a_hidden_discussion_is_not_started_again(pages, client_for, community, member):
    page = name_community(pages["step"], community.slug)
    client = client_for(member)
    href = discuss_href(client, page)
    client.post(href)
    Thread.objects.update(hidden=True)
    assert client.get(href).status_code == 404
    assert client.post(href).status_code == 404
    assert Thread.objects.count() == 1


def test_only_signed_in_posters_start_a_discussion_in_a_public_community(
    pages, client_for, community, user_factory, add_member
):
    page = name_community(pages["step"], community.slug)
    href = discuss_href(client_for(None), page)
    assert client_for(None).get(href).status_code == 200  # anyone may read a public community
    anonymous = client_for(None).post(href)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    outsider = user_factory(username="outsider")
    assert "Join this community to post." in client_for(outsider).post(href).content.decode()
    banned = user_factory(username="banned")
    add_member(community, banned, status=Status.BANNED)
    assert client_for(banned).post(href).status_code == 200
    assert not Thread.objects.exists()


@pytest.mark.parametrize("status", [None, Status.PENDING, Status.BANNED])
def test_a_non_member_of_a_members_only_community_is_not_given_a_thread(
    status, pages, client_for, make_community, user_factory, add_member
):
    closed = make_community("closed", visibility=Visibility.MEMBERS)
    page = name_community(pages["lesson"], closed.slug)
    person = user_factory(username="person")
    if status:
        add_member(closed, person, status=status)
    client = client_for(person)
    href = discuss_href(client, page)
    assert href is not None  # members-only communities are listed openly, so the link shows
    assert client.get(href).status_code == 403
    assert client.post(href).status_code == 403
    assert not Thread.objects.exists()
    # Once the thread exists, the link still gives a non-member nothing of it.
    member = user_factory(username="insider")
    add_member(closed, member)
    client_for(member).post(href)
    thread = Thread.objects.get()
    refused = client_for(person).get(href)
    assert refused.status_code == 403 and thread.get_absolute_url() not in refused.content.decode()


def test_a_community_made_private_after_the_link_was_given_answers_404(
    pages, client_for, make_community, user_factory
):
    closed = make_community("closed", visibility=Visibility.MEMBERS)
    page = name_community(pages["step"], closed.slug)
    person = user_factory(username="person")
    href = discuss_href(client_for(person), page)
    closed.visibility = Visibility.PRIVATE
    closed.save()
    client = client_for(person)
    assert client.get(href).status_code == 404
    assert client.post(href).status_code == 404
    assert not Thread.objects.exists()


@pytest.mark.parametrize("kind", ["step", "lesson"])
def test_editors_pick_the_community_from_a_list(kind, pages, client, user_factory, make_community):
    make_community("payments")
    make_community("closed", visibility=Visibility.MEMBERS)
    make_community("secret", visibility=Visibility.PRIVATE)
    page = pages[kind]
    sign_in_with_second_factor(client, user_factory(username="admin", is_superuser=True, is_staff=True))
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    select = re.search(r'<select name="discussion_community".*?</select>', html, re.S)
    assert select is not None
    options = re.findall(r'<option value="([^"]*)"', select.group(0))
    assert options == ["", "closed", "payments"]  # private communities cannot host page discussions
