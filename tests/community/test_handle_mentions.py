"""@mentions find people by the same canonical handle the profile keeps unique, and link with the real one."""

import pytest

from community import services
from community.models import Notification
from community.text import find_mentions, render_post

pytestmark = pytest.mark.django_db


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
