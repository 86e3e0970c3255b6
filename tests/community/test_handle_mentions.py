"""@mentions find people by the same canonical handle the profile keeps unique, and link with the real one."""

import pytest

from community import services
from community.models import Notification
from community.text import MAX_MENTION_LINKS, MAX_MENTIONS, find_mentions, render_post, render_with_mentions
from tests.content.test_markdown_limits import SECONDS, best_time, fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def replier(user_factory, community, add_member):
    person = user_factory(username="replier")
    add_member(community, person)
    return person


@pytest.fixture
def alice(user_factory, community, add_member):
    person = user_factory(username="alice", display_name="Alice A.")
    add_member(community, person)
    return person


@pytest.mark.parametrize("typed", ["@ALICE", "@Alice", "@ａｌｉｃｅ", "@Ａlice", "@alice"])
def test_any_spelling_of_the_handle_finds_the_person(alice, typed):
    mentioned = find_mentions(f"Ask {typed} about it.")
    assert list(mentioned.values()) == [alice]
    html = render_post(f"Ask {typed} about it.", mentioned)
    assert '<a href="/community/people/alice/" rel="nofollow noopener ugc">@alice</a>' in html
    assert typed not in html or typed == "@alice"  # the link shows the person's real handle


def test_a_look_alike_does_not_find_the_person(alice):
    assert find_mentions("Ask @a1ice and @\u0430lice.") == {}  # digit one; Cyrillic а


def test_one_person_mentioned_in_several_spellings_is_told_once(thread, member, alice, user_factory):
    replier = user_factory(username="replier")
    services.join(replier, thread.community)
    post = services.post_reply(replier, thread, "@alice, @ALICE and @Ａlice: see this.")
    assert post.body_html.count('href="/community/people/alice/"') == 3
    assert Notification.objects.filter(user=alice, kind="mention").count() == 1


def test_a_handle_with_capitals_is_found_in_lower_case(user_factory):
    kofi = user_factory(username="Kofi.M")
    mentioned = find_mentions("Thanks @kofi.m.")
    assert list(mentioned.values()) == [kofi]
    html = render_post("Thanks @kofi.m.", mentioned)
    assert '<a href="/community/people/Kofi.M/" rel="nofollow noopener ugc">@Kofi.M</a>.' in html


# --- found by python-markdown itself: what is linked is who is told ----------------------------------

NESTED_FENCES = [
    "Try this:\n\n~~~\n```\n@alice\n```\n~~~\n",  # a tilde fence showing a backtick fence
    "````\n```\n@alice\n```\n````",  # a longer fence around a shorter one
]


@pytest.mark.parametrize("body", NESTED_FENCES)
def test_a_mention_inside_a_fenced_code_block_is_neither_linked_nor_notified(thread, alice, replier, body):
    post = services.post_reply(replier, thread, body)
    assert "/community/people/alice/" not in post.body_html
    assert "<code>```\n@alice\n```\n</code>" in post.body_html  # the code exactly as typed
    assert not Notification.objects.filter(user=alice, kind="mention").exists()


def test_a_mention_in_an_indented_list_paragraph_is_linked_and_notified(thread, alice, replier):
    post = services.post_reply(replier, thread, "- First point\n\n    @alice what do you think?\n")
    assert '<a href="/community/people/alice/" rel="nofollow noopener ugc">@alice</a> what' in post.body_html
    assert Notification.objects.filter(user=alice, kind="mention", post=post).exists()


def test_a_mention_inside_a_links_text_is_neither_linked_nor_notified(thread, alice, replier):
    post = services.post_reply(replier, thread, "See [@alice's notes](https://example.org/notes).")
    assert post.body_html.count("<a ") == 1 and "/community/people/alice/" not in post.body_html
    assert not Notification.objects.filter(user=alice, kind="mention").exists()


def test_a_mention_in_a_table_cell_or_emphasis_is_linked(alice):
    html, mentioned = render_with_mentions("| who |\n|---|\n| @alice |\n\n**@alice**, `@alice`")
    assert html.count('href="/community/people/alice/"') == 2  # not the one in code
    assert list(mentioned.values()) == [alice]


def test_only_the_people_linked_are_the_people_mentioned(alice, user_factory):
    bob = user_factory(username="bob")
    nobody = " ".join(f"@nobody{n}" for n in range(MAX_MENTIONS))
    html, mentioned = render_with_mentions(f"{nobody} @alice\n\n```\n@bob\n```")
    assert mentioned == {}  # alice comes after MAX_MENTIONS handles; bob is in code
    assert "/people/" not in html
    assert bob.username and find_mentions("@bob @alice") == {"bob": bob, "alice": alice}


def test_a_post_of_mentions_at_the_length_limit_renders_quickly_and_links_a_few(alice):
    for text in (fill("@alice "), fill("@alice"), fill("@a@b "), fill("x@alice ")):
        seconds, html = best_time(lambda text=text: render_with_mentions(text)[0])
        assert seconds < SECONDS, f"{text[:10]!r}: {seconds * 1000:.0f} ms"
        assert html.count("<a ") <= MAX_MENTION_LINKS
