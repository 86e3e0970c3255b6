"""What rendering user text may cost, whatever the text: a pre-pass that bounds its shape and a work budget
inside python-markdown. content.markdown.render_markdown applies both; this module holds the reasons.

python-markdown is quick on ordinary text and slow on hostile text. Measured at 20,000 characters (the
longest post), before these bounds: link brackets scan ahead to their match, so unmatched `[` took up to a
minute; each block step re-tests the rest of its block, so 5,000 one-line headings took seconds; list
markers nested on one line recursed until RecursionError; the HTML pre-parser (the standard library's
HTMLParser, before Python 3.11.13 / 3.12.11 / 3.13.4) re-scanned every unclosed tag, and the fenced-code
pre-processor every unclosed fence, to the end of the text. Even harmless but dense text (thousands of
one-letter paragraphs, list items or table cells) costs about 40 µs per element.

The bounds hold by construction, for any text:

- `shape` cuts the text at MAX_SOURCE_CHARS, stops quote and list markers nesting deeper than MAX_NESTING
  on a line, and takes out of python-markdown's way the characters of constructs that cannot end: a `<`
  that opens no well-formed tag, comment or declaration, and the fence lines no later line closes (beyond
  the first few). Such a character is swapped for a private placeholder that python-markdown treats as
  plain text, and `restore` puts it back, escaped, in the HTML: readers see exactly the character typed.
- `meter` charges python-markdown's work as it happens (each block step by the length it tests, each pass
  of the inline patterns by the length it scans, each pattern match (an extension's patterns' too), each
  character link parsing reads; a link's address may be at most MAX_LINK_TAIL characters) and stops the
  render by raising TooComplex once WORK_BUDGET is spent. The caller then shows the text as plain paragraphs.

Ordinary text reaches neither limit and renders exactly as python-markdown renders it
(tests/content/test_markdown_limits.py checks the bundled content and the usual constructs).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET  # noqa: S405 - only to recognise python-markdown's own elements
from collections.abc import Callable

import markdown
from markdown import util
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor, LinkInlineProcessor
from markdown.treeprocessors import Treeprocessor

# Longest text the renderer looks at. The longest user field is a post (community.models.thread.BODY_MAX,
# 20,000 characters), to which community.text.render_post adds at most MAX_MENTION_LINKS links of under
# 500 characters; editors' Markdown blocks are refused beyond BODY_MAX too (content.blocks.MarkdownBlock).
# So only text that bypassed every form (a script, a fixture) is ever cut here.
MAX_SOURCE_CHARS = 32_000
# Quote and list levels started on one line; deeper markers show as typed. Nobody nests sixteen deep.
MAX_NESTING = 16
# Unclosed fence lines (``` or ~~~ that no later line closes) left as they are; more are shown as text.
MAX_UNCLOSED_FENCES = 8
# Characters between a link's `](` and its `)`: a longer "address" is text, not a link.
MAX_LINK_TAIL = 4096
# python-markdown's work allowed for one render, in units of at most about a microsecond (see the weights
# below): some 60 ms on a busy 2-core machine. Enough for an ordinary post at the length limit (hundreds of
# paragraphs, list items, links or table rows); denser or hostile text is shown as plain text instead.
WORK_BUDGET = 60_000

# Weights of the meter (units per event), fitted on the shapes of text in tests/content/
# test_markdown_limits.py (hostile ones and ordinary posts) so that a unit stays at or under about a
# microsecond of a busy 2-core machine whatever the shape. Lengths are charged per so many characters.
BLOCK_STEP, BLOCK_CHARS = 10, 8  # each block step, which tests (by regex and line by line) its whole block
ELEMENT = 10  # each element built (by a block or an inline match): it is also serialised and sanitised
INLINE_PASS, INLINE_CHARS = 60, 4  # each text the fifteen inline patterns run over, and its length
MATCH, SIBLINGS, MATCH_CHARS = 4, 128, 1024  # each pattern match; a successful one is inserted among the
# matches before it in its text (python-markdown's inserts are linear) and rebuilds the text around it
BRACKET, TEXT_CHARS = 2, 64  # link text: each bracket visited, and the characters skipped to reach it
LINK_CHARS = 4  # link address: each character read (python-markdown reads them one by one)
MARKUP, TAG = 2, 30  # each `<` and `&` the HTML pre-parser stops at, and each tag it parses (unmetered)
PLACEHOLDER = 2  # each character the pre-pass took out, put back after rendering
FENCE, FENCE_CHARS = 10, 1024  # each fence line: the fenced-code pre-processor rebuilds the text per fence

TAB_LENGTH = 4  # python-markdown's default, which render_markdown keeps


class TooComplex(Exception):
    """The text would cost more to render as Markdown than one render may spend."""


# --- the pre-pass -----------------------------------------------------------------------------------

# Private placeholders (Unicode noncharacters, never shown) for characters taken out of python-markdown's
# way, and what each becomes again in the HTML.
_PLACEHOLDER = {
    "<": "\ufdd0",
    ">": "\ufdd1",
    "*": "\ufdd2",
    "+": "\ufdd3",
    "-": "\ufdd4",
    ".": "\ufdd5",
    "`": "\ufdd6",
    "~": "\ufdd7",
}
_RESTORED = {placeholder: html.escape(char) for char, placeholder in _PLACEHOLDER.items()}
_PLACEHOLDERS = re.compile("[\ufdd0-\ufdd7]")
_OWN_RANGE = re.compile("[\ufdd0-\ufdef]")  # typed by someone: not ours, so never turned into markup

_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
# What the HTML pre-parser may read as markup: a tag, autolink or declaration that ends before any other
# `<` (quoted attribute values included), so its own scan stops at the same `>`. Possessive quantifiers
# keep this check linear. Comments (`<!--`) need no check: python-markdown's parser remembers when no
# comment closes and does not look again.
_WELL_FORMED = re.compile(
    r"""<(?:
        [A-Za-z][A-Za-z0-9:-]*+
        (?:\s++[^\s"'<>/=`]++(?:\s*+=\s*+(?:"[^"<]*+"|'[^'<]*+'|[^\s"'=<>`]++))?+)*+
        \s*+/?>
      | /[A-Za-z][A-Za-z0-9:-]*+\s*+>
      | [A-Za-z][A-Za-z0-9+.-]*+:[^\s<>"'`]*+>
      | [^\s<>!"'`@]++@[^\s<>@"'`]++>
      | !--
      | ![A-Za-z][^<>"'`]*+>
      | !\[CDATA\[(?:[^\]<]++|\](?!\]>))*+\]\]>
      | \?[^<>]*+>
    )""",
    re.VERBOSE,
)
# Every character some inline pattern of render_markdown's python-markdown starts at (code, escapes,
# links and images, autolinks, raw HTML, entities, emphasis, line breaks) and its own placeholders.
# tests/content/test_markdown_limits.py pins the list of patterns this was written for; a pattern an
# extension adds names the characters it starts at in its `starts_at` (see _inline_syntax).
_INLINE_SYNTAX_CHARS = r"`\\\[<&*_\n\x02\x03"
_INLINE_SYNTAX = re.compile(f"[{_INLINE_SYNTAX_CHARS}]")
# One quote or list marker at the start of a line (or after another one): `>`, `*`/`+`/`-`, or `1.`.
_CONTAINER = re.compile(r"[ ]{0,3}(?:(>)[ ]?|([*+-])[ ]+|[0-9]+(\.)[ ]+)")
_FENCE = re.compile(r"(`{3,}|~{3,})")
_FENCE_LINE = re.compile(r"^(?:```|~~~)", re.MULTILINE)


def shape(source: str) -> str:
    """The source as python-markdown will see it: cut, normalised, and with no construct that cannot end."""
    text = _OWN_RANGE.sub("\ufffd", source[:MAX_SOURCE_CHARS].replace("\x02", "").replace("\x03", ""))
    # python-markdown normalises the same way first; doing it here lets the checks below see its lines.
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(TAB_LENGTH)
    text = _neutralise_unended_markup(text)
    lines = text.split("\n")
    _cap_nesting(lines)
    _neutralise_unclosed_fences(lines)
    return "\n".join(lines)


def restore(rendered_html: str) -> str:
    """Put the characters the pre-pass took out back into python-markdown's HTML, escaped."""
    return _PLACEHOLDERS.sub(lambda match: _RESTORED[match.group()], rendered_html)


def _neutralise_unended_markup(text: str) -> str:
    """A `<` that opens no well-formed tag, autolink, comment or declaration is text: make it plainly so.

    Python's HTMLParser scans an unclosed tag to the end of the text each time (quadratic before the fix
    in 3.11.13 / 3.12.11 / 3.13.4), and then shows it as text anyway. Every `<` kept here ends before the
    next `<`, so the parser reads each character at most once or twice.
    """
    pieces, last = [], 0
    for match in _TAG_START.finditer(text):
        start = match.start()
        if _WELL_FORMED.match(text, start) is None:
            pieces += [text[last:start], _PLACEHOLDER["<"]]
            last = start + 1
    return "".join(pieces) + text[last:] if pieces else text


def _cap_nesting(lines: list[str]) -> None:
    """Show quote and list markers past MAX_NESTING on a line as text (python-markdown recurses on each)."""
    for number, line in enumerate(lines):
        if line.lstrip(" ")[:1] not in ">*+-0123456789" or not line.strip():
            continue
        depth, position = 0, 0
        while (match := _CONTAINER.match(line, position)) is not None:
            depth += 1
            if depth > MAX_NESTING:
                marker = match.start(match.lastindex)
                lines[number] = line[:marker] + _PLACEHOLDER[line[marker]] + line[marker + 1 :]
                break
            position = match.end()


def _neutralise_unclosed_fences(lines: list[str]) -> None:
    """Beyond the first few, show fence lines that no later line closes as text.

    python-markdown's fenced-code pre-processor looks for each opening fence's closing line to the end of
    the text; an unclosed one is left as text, so each costs a scan of everything after it.
    """
    closers: set[str] = set()
    unclosed: list[int] = []
    for number in range(len(lines) - 1, -1, -1):
        line = lines[number]
        if line[:3] not in ("```", "~~~"):
            continue
        fence = _FENCE.match(line).group()
        if fence not in closers:
            unclosed.append(number)
        if not line[len(fence) :].strip(" "):
            closers.add(fence)
    unclosed.reverse()
    for number in unclosed[MAX_UNCLOSED_FENCES:]:
        line = lines[number]
        fence = _FENCE.match(line).group()
        lines[number] = _PLACEHOLDER[fence[0]] * len(fence) + line[len(fence) :]


# --- the meter --------------------------------------------------------------------------------------


class _Budget:
    """The work one render may still do; charging past it stops the render."""

    def __init__(self, units: int):
        self.left = units

    def charge(self, units: int) -> None:
        self.left -= units
        if self.left < 0:
            raise TooComplex


class _BlockMeter(BlockProcessor):
    """Runs first on every block step (nested ones too) and charges it; never handles a block itself."""

    def __init__(self, parser, budget: _Budget):
        super().__init__(parser)
        self.budget = budget

    def test(self, parent, block: str) -> bool:
        self.budget.charge(BLOCK_STEP + len(block) // BLOCK_CHARS)
        return False

    def run(self, parent, blocks) -> bool:  # pragma: no cover - test() is always False
        return False


class _InlineMeter(InlineProcessor):
    """The first inline pattern: charged for each text the inline patterns are about to scan.

    python-markdown asks each pattern for its compiled expression and calls `finditer(text, start)` on it;
    this one hands back itself and charges for the text instead of matching anything.
    """

    def __init__(self, md: markdown.Markdown, budget: _Budget):
        super().__init__(r"(?!)", md)
        self.budget = budget

    def getCompiledRegExp(self):  # noqa: N802 - python-markdown's API
        return self

    def finditer(self, text: str, start: int = 0):
        self.budget.charge(INLINE_PASS + (len(text) - start) // INLINE_CHARS)
        return iter(())


class _TreeMeter(Treeprocessor):
    """Runs before the inline patterns: charges each element, and marks each text that no inline pattern
    could change as atomic, so python-markdown skips the fifteen passes that would leave it as it is."""

    def __init__(self, md: markdown.Markdown, budget: _Budget, syntax: re.Pattern | None):
        super().__init__(md)
        self.budget = budget
        self.syntax = syntax

    def run(self, root) -> None:
        for element in root.iter():
            self.budget.charge(ELEMENT)
            if self.syntax is None:
                continue  # a pattern that did not say where it starts: every text goes through them all
            if _plain(element.text, self.syntax):
                element.text = util.AtomicString(element.text)
            if _plain(element.tail, self.syntax):
                element.tail = util.AtomicString(element.tail)


def _plain(text: str | None, syntax: re.Pattern) -> bool:
    """Text that every inline pattern would leave exactly as it is (and not already marked so)."""
    return bool(text) and not isinstance(text, util.AtomicString) and syntax.search(text) is None


def _inline_syntax(md: markdown.Markdown) -> re.Pattern | None:
    """The characters any inline pattern of `md` starts at: python-markdown's own (_INLINE_SYNTAX) and those
    an added pattern names in its `starts_at`; None when an added pattern names none (no fast path)."""
    added = ""
    for pattern in md.inlinePatterns:
        if type(pattern).__module__.split(".")[0] == "markdown":
            continue  # python-markdown's own: pinned by the test
        starts_at = getattr(pattern, "starts_at", "")
        if not starts_at:
            return None
        added += starts_at
    return re.compile(f"[{_INLINE_SYNTAX_CHARS}{re.escape(added)}]") if added else _INLINE_SYNTAX


_BRACKETS = re.compile(r"[\[\]]")
_QUOTE = re.compile("[\"']")


def _charged_match(handle: Callable, budget: _Budget) -> Callable:
    def handle_match(match: re.Match, data: str):
        budget.charge(MATCH)
        node, start, end = handle(match, data)
        if start is not None:
            earlier_matches = data.count(util.STX)  # each stands in for an element already made
            built = sum(1 for _ in node.iter()) if isinstance(node, ET.Element) else 0
            budget.charge(earlier_matches // SIBLINGS + len(data) // MATCH_CHARS + built * ELEMENT)
        return node, start, end

    return handle_match


def _charged_get_text(budget: _Budget) -> Callable:
    """LinkInlineProcessor.getText (the text between balanced `[` `]`), charged per bracket it visits."""

    def get_text(data: str, index: int) -> tuple[str, int, bool]:
        depth, visited = 1, 0
        for bracket in _BRACKETS.finditer(data, index):
            visited += 1
            if visited % 64 == 0:
                budget.charge(64 * BRACKET)
            depth += 1 if bracket.group() == "[" else -1
            if depth == 0:
                budget.charge((visited % 64) * BRACKET + (bracket.start() - index) // TEXT_CHARS)
                return data[index : bracket.start()], bracket.end(), True
        budget.charge((visited % 64) * BRACKET + (len(data) - index) // TEXT_CHARS)
        return data[index:], len(data), False

    return get_text


def _charged_get_link(get_link: Callable, budget: _Budget) -> Callable:
    """LinkInlineProcessor.getLink (the `(address "title")` part), reading at most MAX_LINK_TAIL characters.

    Only its length is bounded here: the parsing stays python-markdown's own. It stops at the `)` that
    closes the address, unless a quote started a title: then it may have read to the end of what it had.
    """

    def bounded_get_link(data: str, index: int) -> tuple[str, str | None, int, bool]:
        if not data.startswith("(", index):
            return get_link(data, index)  # not an inline link: fails at once
        window = min(len(data) - index, MAX_LINK_TAIL)
        if window < len(data) - index:
            href, title, end, handled = get_link(data[index : index + window], 0)
            if end >= 0:  # python-markdown answers -1 for a title holding a `(` that never closes
                end += index
        else:
            href, title, end, handled = get_link(data, index)
        stopped_at_end = handled and end > index and _QUOTE.search(data, index, end) is None
        budget.charge((end - index if stopped_at_end else window) // LINK_CHARS)
        return href, title, end, handled

    return bounded_get_link


def meter(md: markdown.Markdown, text: str, units: int | None = None) -> _Budget:
    """Charge what `md` does with `text` to a budget (WORK_BUDGET units unless given); past it, TooComplex.

    Call it on a freshly built Markdown instance (with every extension loaded) just before it converts
    `text`, which is charged at once for the work the meter cannot see.
    """
    budget = _Budget(WORK_BUDGET if units is None else units)
    markup, tags = text.count("<") + text.count("&"), len(_TAG_START.findall(text))
    budget.charge(MARKUP * markup + TAG * tags + PLACEHOLDER * len(_PLACEHOLDERS.findall(text)))
    budget.charge(len(_FENCE_LINE.findall(text)) * (FENCE + len(text) // FENCE_CHARS))
    syntax = _inline_syntax(md)
    md.parser.blockprocessors.register(_BlockMeter(md.parser, budget), "govlearn_block_meter", 1000)
    for pattern in list(md.inlinePatterns):
        if isinstance(pattern, InlineProcessor):
            pattern.handleMatch = _charged_match(pattern.handleMatch, budget)
        if isinstance(pattern, LinkInlineProcessor):
            pattern.getText = _charged_get_text(budget)
            pattern.getLink = _charged_get_link(pattern.getLink, budget)
    md.inlinePatterns.register(_InlineMeter(md, budget), "govlearn_inline_meter", 1000)
    md.treeprocessors.register(
        _TreeMeter(md, budget, syntax), "govlearn_tree_meter", 25
    )  # before "inline" (20)
    return budget
