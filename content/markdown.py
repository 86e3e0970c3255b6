"""The one renderer of user-written text: Markdown in, sanitised HTML out (python-markdown, then nh3).

Policy, in short:
- Markdown is rendered with fenced code, tables (alignment as the `align` attribute), sane lists and
  line breaks; bare http(s) URLs are autolinked (outside code), since nh3 has no linkify.
- Then nh3 (Ammonia) keeps only ALLOWED_TAGS and ALLOWED_ATTRIBUTES. Scripts, styles, event handlers,
  frames, forms, SVG/MathML, object/embed, meta and base never survive; the contents of script, style and
  similar elements are dropped, not shown as text. Comments are stripped.
- Links keep only http, https and mailto addresses (or relative ones); any other scheme, including ones
  hidden behind entities, mixed case or embedded whitespace, loses its href. Every link gets
  rel="nofollow noopener ugc".
- Images are NOT allowed in user text: a picture from an outside address would load on every reader's
  device (tracking, data cost on slow connections, a strict CSP) and user text has no way to require alt
  text. A Markdown image `![alt](url)` therefore becomes a plain link to the address, labelled with its
  alternative text, so nothing is lost and nothing loads until the reader chooses. Editors who need
  pictures use the image block (content.blocks.AccessibleImageBlock), which requires alt text.
- Rendering costs a bounded time whatever the text (content.markdown_limits): text past
  MAX_SOURCE_CHARS is not shown, and text that would cost more than one render may spend (hostile or
  very dense Markdown) is shown as plain paragraphs instead, as is text python-markdown fails on.
"""

import html as html_lib
import logging
import re
import xml.etree.ElementTree as ET  # noqa: S405 - only used to edit Markdown's own element tree
from collections.abc import Sequence

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.nl2br import Nl2BrExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor

from . import markdown_limits
from .markdown_limits import MAX_SOURCE_CHARS, TooComplex

logger = logging.getLogger(__name__)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": set(),  # no attribute on every tag (nh3 would otherwise allow title and lang everywhere)
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener ugc"
# Elements whose content is dropped with them (not shown as text).
DROPPED_WITH_CONTENT = {
    "script", "style", "template", "noscript", "iframe", "frame", "frameset", "noframes", "noembed",
    "object", "embed", "applet", "svg", "math", "textarea", "select", "title", "xmp",
}  # fmt: skip

# A bare URL stops where a tag would start, also at a `<` the pre-pass made plain text (U+FDD0).
_BARE_URL = re.compile(r"(?<![\w(<\[\"'=/])(https?://[^\s<>()\[\]\"'\ufdd0]+[^\s<>()\[\]\"'.,;:!?\ufdd0])")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_CODE_CLASS = re.compile(r"^language-[\w+#.-]{1,40}$")
_ALIGN = {"left", "right", "center"}


def _autolink(source: str) -> str:
    """Wrap bare http(s) URLs in angle brackets so Markdown turns them into links (nh3 has no linkify)."""
    if "http" not in source:
        return source
    out = []
    in_fence = False
    for line in source.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            out.append(line)
            continue
        if in_fence or line.startswith(("    ", "\t")) or "http" not in line:
            out.append(line)
            continue
        # Leave inline code spans alone: only odd-numbered pieces between backticks are code.
        pieces = line.split("`")
        pieces[::2] = [_BARE_URL.sub(r"<\1>", piece) for piece in pieces[::2]]
        out.append("`".join(pieces))
    return "\n".join(out)


class _ImagesAsLinks(Treeprocessor):
    """Turn every Markdown image into a link to it, labelled with its alt text (see the module docstring)."""

    def run(self, root: ET.Element) -> None:
        for element in root.iter("img"):
            src = element.get("src", "")
            label = element.get("alt") or src
            title = element.get("title")
            element.attrib.clear()
            element.tag = "a"
            element.set("href", src)
            if title:
                element.set("title", title)
            element.text = label


class _ImagesAsLinksExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - python-markdown's API
        md.treeprocessors.register(_ImagesAsLinks(md), "govlearn_images_as_links", 0)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Second line of defence after nh3's own checks: drop anything that only looks harmless."""
    if attribute == "href":
        # Browsers ignore tabs and newlines inside URLs; be stricter and ignore all invisible characters.
        match = _SCHEME.match(_INVISIBLE.sub("", value))
        if match and match.group(1).lower() not in ALLOWED_URL_SCHEMES:
            return None
        return value
    if tag == "code" and attribute == "class":
        return value if _CODE_CLASS.match(value) else None
    if attribute == "align":
        return value if value.lower() in _ALIGN else None
    if attribute == "start":
        return value if value.isdigit() and len(value) <= 6 else None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel=LINK_REL,
    strip_comments=True,
)


def render_markdown(
    source: str, hard_breaks: bool = True, plain_text: str | None = None, extensions: Sequence[Extension] = ()
) -> str:
    """Render untrusted Markdown to HTML that is safe to show: the only place user text becomes HTML.

    `hard_breaks` keeps each typed line break (what people expect in a post); editorial text written in
    files or the CMS wraps its lines freely, so it passes False and only blank lines start paragraphs.
    Text too costly to render as Markdown is shown as plain paragraphs of `plain_text` (by default the
    source itself). `extensions` are more python-markdown extensions, fresh instances (community.text's
    @mentions); their inline patterns are metered like python-markdown's own (content.markdown_limits).
    """
    if not source or not source.strip():
        return ""
    try:
        html = _render(source, hard_breaks, extensions)
    except TooComplex:
        logger.warning("Markdown over the work budget (%d characters): shown as plain text.", len(source))
        html = render_plain_text(source if plain_text is None else plain_text, hard_breaks)
    except Exception:  # RecursionError or a python-markdown bug: the reader still gets the text
        logger.exception("Markdown failed to render (%d characters): shown as plain text.", len(source))
        html = render_plain_text(source if plain_text is None else plain_text, hard_breaks)
    return _cleaner.clean(html)


def _render(source: str, hard_breaks: bool, more: Sequence[Extension] = ()) -> str:
    extensions = [
        FencedCodeExtension(),
        TableExtension(use_align_attribute=True),
        SaneListExtension(),
        _ImagesAsLinksExtension(),
        *more,
    ]
    if hard_breaks:
        extensions.append(Nl2BrExtension())
    md = markdown.Markdown(extensions=extensions, output_format="html", tab_length=markdown_limits.TAB_LENGTH)
    text = _autolink(markdown_limits.shape(source))
    markdown_limits.meter(md, text)
    return markdown_limits.restore(md.convert(text))


def render_plain_text(source: str, hard_breaks: bool = True) -> str:
    """The text as escaped paragraphs (blank lines between them), each typed line break kept if asked."""
    paragraphs, lines = [], []
    text = html_lib.escape(source[:MAX_SOURCE_CHARS].replace("\r\n", "\n").replace("\r", "\n"))
    for line in text.split("\n"):
        if line.strip():
            lines.append(line.strip())
        elif lines:
            paragraphs.append(lines)
            lines = []
    if lines:
        paragraphs.append(lines)
    joiner = "<br>\n" if hard_breaks else "\n"
    return "\n".join(f"<p>{joiner.join(lines)}</p>" for lines in paragraphs)
