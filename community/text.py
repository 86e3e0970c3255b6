"""User text in communities: posts rendered by content.markdown.render_markdown, with @mentions linked by a
python-markdown inline processor in the same pass as the rest of the text.

Mentions use the @handle form (the username, which people may change in their profile): handles are
unique and contain no spaces, while display names are neither. Each post shows its author's @handle, so
readers see what to type. Because python-markdown itself finds the mentions, code (fenced, indented or in
backticks) and link text are left alone, and a mention anywhere else (a list item's later paragraph, a
table cell, a quote) is found: the people linked are exactly the people notified.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 - only to edit python-markdown's own element tree
from collections.abc import Callable, Iterator

import markdown
from django.contrib.auth import get_user_model
from django.urls import reverse
from markdown import util
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from content.markdown import render_markdown

# Distinct handles looked up in one post: later ones stay plain text.
MAX_MENTIONS = 10
# Links made in one post (later mentions stay plain @handles), so that linking adds a bounded amount of
# HTML and a post of "@someone" repeated costs no more than any other.
MAX_MENTION_LINKS = 20
# Django usernames are letters, digits and @.+-_; a mention stops at "@" and drops a trailing dot. Not
# after a word character, "@", "/" or "[" (an e-mail address, a path, a link label).
MENTION = r"(?<![\w@/\[])@([\w.+-]{1,150})"
_PLACEHOLDER_TAG = "govlearn-mention"

Resolve = Callable[[list[str]], dict[str, object]]


class _MentionPattern(InlineProcessor):
    """Each @handle outside code and links becomes a placeholder element, resolved after the inline pass.

    At most MAX_MENTIONS distinct handles, and MAX_MENTION_LINKS placeholders of each (no more can be
    linked), so that a post of mentions builds a bounded number of elements.
    """

    ANCESTOR_EXCLUDES = ("a",)  # a mention inside a link's text would be a link in a link
    starts_at = "@"  # the only character this pattern starts at (content.markdown_limits' fast path)

    def __init__(self, md: markdown.Markdown, found: dict[str, int]):
        super().__init__(MENTION, md)
        self.found = found

    def handleMatch(self, match: re.Match, data: str):  # noqa: N802 - python-markdown's API
        name = match.group(1).rstrip(".")
        if not name:
            return None, None, None
        key = get_user_model().handle_key_for(name)
        if key not in self.found and len(self.found) >= MAX_MENTIONS:
            return None, None, None
        if self.found.get(key, 0) >= MAX_MENTION_LINKS:
            return None, None, None
        self.found[key] = self.found.get(key, 0) + 1
        element = ET.Element(_PLACEHOLDER_TAG, {"key": key})
        element.text = util.AtomicString("@" + name)
        return element, match.start(0), match.start(1) + len(name)


class _ResolveMentions(Treeprocessor):
    """After the inline pass: look the handles up once, link the first MAX_MENTION_LINKS mentions of people
    who exist, and turn the other placeholders back into the text as typed."""

    def __init__(self, md: markdown.Markdown, extension: MentionExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, root: ET.Element) -> None:
        placeholders = list(_placeholders(root))
        if not placeholders:
            return
        people = self.extension.resolve(list(self.extension.found))
        left, urls = MAX_MENTION_LINKS, {}
        for parent, element in placeholders:
            person = people.get(element.get("key"))
            if person is None or left <= 0:
                _unwrap(parent, element)
                continue
            left -= 1
            self.extension.linked[element.get("key")] = person
            if person.username not in urls:
                urls[person.username] = reverse("community:person", args=[person.username])
            element.tag = "a"
            element.attrib.clear()
            element.set("href", urls[person.username])
            element.text = util.AtomicString("@" + person.username)  # their own spelling, not the typed one


def _placeholders(parent: ET.Element) -> Iterator[tuple[ET.Element, ET.Element]]:
    """(parent, placeholder) in document order."""
    for child in parent:
        if child.tag == _PLACEHOLDER_TAG:
            yield parent, child
        else:
            yield from _placeholders(child)


def _unwrap(parent: ET.Element, element: ET.Element) -> None:
    """Replace the element by its text (it has no children), joined to the text before it."""
    text = (element.text or "") + (element.tail or "")
    index = list(parent).index(element)
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        before = parent[index - 1]
        before.tail = (before.tail or "") + text
    parent.remove(element)


class _Rendered(Postprocessor):
    """The last step of a render that python-markdown finished (not one shown as plain text instead)."""

    def __init__(self, md: markdown.Markdown, extension: MentionExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        self.extension.finished = True
        return text


class MentionExtension(Extension):
    """Links @mentions of the people `resolve` finds (handle keys to people); one instance per render.

    After the render, `mentioned` holds the people linked: none when the text was shown as plain text.
    """

    def __init__(self, resolve: Resolve):
        super().__init__()
        self.resolve = resolve
        self.found: dict[str, int] = {}
        self.linked: dict[str, object] = {}
        self.finished = False

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - python-markdown's API
        # After entities (80), before emphasis (60): "@a_b_" is a handle, not emphasis.
        md.inlinePatterns.register(_MentionPattern(md, self.found), "govlearn_mention", 70)
        md.treeprocessors.register(_ResolveMentions(md, self), "govlearn_mentions", 15)  # after "inline" (20)
        md.postprocessors.register(_Rendered(md, self), "govlearn_mentions_rendered", 0)

    @property
    def mentioned(self) -> dict[str, object]:
        return self.linked if self.finished else {}


def _people_with_handles(keys: list[str]) -> dict[str, object]:
    """The active people with these handle keys ("@ALICE", "@Ａlice" and "@alice" are one handle)."""
    if not keys:
        return {}
    return {
        user.handle_key: user for user in get_user_model().objects.with_handles(keys).filter(is_active=True)
    }


def render_with_mentions(source: str) -> tuple[str, dict[str, object]]:
    """The post rendered and sanitised, with mentions of people who exist linked to their page; and those
    people, by handle key (the ones to notify)."""
    mentions = MentionExtension(_people_with_handles)
    html = render_markdown(source, extensions=[mentions])
    return html, mentions.mentioned


def find_mentions(source: str) -> dict[str, object]:
    """The people a post mentions (linked when it is shown), by handle key."""
    return render_with_mentions(source)[1]


def render_post(source: str, mentioned: dict[str, object] | None = None) -> str:
    """The post rendered and sanitised, with mentions of the `mentioned` people (by handle key) linked."""
    if not mentioned:
        return render_markdown(source)
    mentions = MentionExtension(lambda keys: {key: mentioned[key] for key in keys if key in mentioned})
    return render_markdown(source, extensions=[mentions])
