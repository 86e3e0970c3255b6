"""The one renderer of user-written text: Markdown in, sanitised HTML out (python-markdown, then nh3)."""

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener ugc"

_BARE_URL = re.compile(r"(?<![\w(<\[\"'=/])(https?://[^\s<>()\[\]\"']+[^\s<>()\[\]\"'.,;:!?])")


def _autolink(source: str) -> str:
    """Wrap bare http(s) URLs in angle brackets so Markdown turns them into links (nh3 has no linkify)."""
    out = []
    in_fence = False
    for line in source.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence or line.startswith(("    ", "\t")):
            out.append(line)
            continue
        # Leave inline code spans alone: only odd-numbered pieces between backticks are code.
        pieces = line.split("`")
        pieces[::2] = [_BARE_URL.sub(r"<\1>", piece) for piece in pieces[::2]]
        out.append("`".join(pieces))
    return "\n".join(out)


def render_markdown(source: str) -> str:
    """Render untrusted Markdown to HTML that is safe to show: the only place user text becomes HTML."""
    if not source:
        return ""
    html = markdown.markdown(
        _autolink(source),
        extensions=["fenced_code", "tables", "sane_lists", "nl2br"],
        output_format="html",
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
