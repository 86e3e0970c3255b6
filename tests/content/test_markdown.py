"""render_markdown: an XSS corpus that must come out inert, and the Markdown people rely on."""

import html
import re

import pytest
from bs4 import BeautifulSoup

from content.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LINK_REL, render_markdown

SAFE_SCHEMES = {"http", "https", "mailto"}
INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)

# OWASP XSS filter-evasion style vectors, in Markdown and raw HTML.
XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)//<</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    "[x](java\tscript:alert(1))",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href=" &#14; javascript:alert(1)">x</a>',
    "[x](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](javascript:alert(1))",
    '![x](https://example.org/a.png" onerror="alert(1))',
    '![x" onerror="alert(1)](https://example.org/a.png)',
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<frameset><frame src=javascript:alert(1)></frameset>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<form action="javascript:alert(1)"><input type="submit" onfocus=alert(1) autofocus></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<math href="javascript:alert(1)">x</math>',
    "<details open ontoggle=alert(1)>x</details>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<!--<script>alert(1)</script>-->",
    "<!--><script>alert(1)</script>-->",
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    '<a href="https://example.org" onmouseover="alert(1)"',
    '<p title="</p><script>alert(1)</script>">x</p>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<body onload=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<div style="width: expression(alert(1))">x</div>',
    '<a href="https://example.org" target="_blank" rel="opener">x</a>',
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    '<x onclick="alert(1)">x</x>',
    "<code class='btn btn-danger' onclick=alert(1)>x</code>",
    '<ol start="1" onclick="alert(1)"><li>x</li></ol>',
    "```\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    "[<img src=x onerror=alert(1)>](https://example.org)",
    "<a href='https://example.org'>unclosed <b>bold <i>nested",
    "<img src=x onerror=alert(1)//",
]


def check_safe(output: str) -> BeautifulSoup:
    """Parse the output and fail on anything outside the allow-list."""
    soup = BeautifulSoup(output, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name in ALLOWED_TAGS, f"tag <{tag.name}> survived in {output!r}"
        allowed = ALLOWED_ATTRIBUTES.get(tag.name, set()) | ({"rel"} if tag.name == "a" else set())
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), f"event handler {name} survived in {output!r}"
            assert name.lower() != "style", f"style survived in {output!r}"
            assert name in allowed, f"attribute {name} on <{tag.name}> survived in {output!r}"
            if name in {"href", "src"}:
                plain = INVISIBLE.sub("", html.unescape(value))
                match = SCHEME.match(plain)
                assert not match or match.group(1).lower() in SAFE_SCHEMES, f"unsafe URL in {output!r}"
        if tag.name == "a":
            assert tag.get("rel") == LINK_REL.split(), f"link without rel in {output!r}"
    assert "<script" not in output.lower()
    return soup


def test_corpus_is_large_enough():
    assert len(XSS_VECTORS) >= 40
    assert len(set(XSS_VECTORS)) == len(XSS_VECTORS)


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vector_is_neutralised(vector):
    check_safe(render_markdown(vector))


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vector_inside_a_paragraph_is_neutralised(vector):
    check_safe(render_markdown(f"Some text before.\n\n{vector}\n\nAnd *after*."))


def test_script_content_is_dropped_not_shown():
    output = render_markdown("<script>alert('boom')</script>hello")
    assert "alert" not in output
    assert "hello" in output


def test_code_shows_markup_as_text():
    soup = check_safe(render_markdown("`<script>alert(1)</script>`"))
    assert soup.code.get_text() == "<script>alert(1)</script>"


# --- what people rely on ----------------------------------------------------------------------------


def test_empty_and_blank_input_render_nothing():
    assert render_markdown("") == ""
    assert render_markdown("   \n\n ") == ""


def test_headings_and_emphasis():
    soup = check_safe(render_markdown("## Step one\n\nSome **bold** and _italic_ text."))
    assert soup.h2.get_text() == "Step one"
    assert soup.strong.get_text() == "bold"
    assert soup.em.get_text() == "italic"


def test_lists_keep_their_start_number():
    soup = check_safe(render_markdown("- one\n- two\n\n3. three\n4. four"))
    assert [li.get_text() for li in soup.ul.find_all("li")] == ["one", "two"]
    assert soup.ol["start"] == "3"


def test_tables_with_alignment():
    soup = check_safe(render_markdown("| Step | Role |\n|---|:-:|\n| 1 | Service owner |"))
    assert [th.get_text() for th in soup.find_all("th")] == ["Step", "Role"]
    assert soup.find_all("td")[1]["align"] == "center"


def test_fenced_code_keeps_its_language_class_and_text():
    soup = check_safe(render_markdown("```python\nprint('<b>hi</b>')\n```"))
    assert soup.pre.code["class"] == ["language-python"]
    assert soup.pre.code.get_text() == "print('<b>hi</b>')\n"


def test_inline_code():
    soup = check_safe(render_markdown("Run `manage.py load_content` now."))
    assert soup.code.get_text() == "manage.py load_content"


def test_links_get_the_rel():
    soup = check_safe(render_markdown("[GovStack](https://www.govstack.global/ 'Home')"))
    assert soup.a["href"] == "https://www.govstack.global/"
    assert soup.a["rel"] == ["nofollow", "noopener", "ugc"]
    assert soup.a["title"] == "Home"


def test_raw_link_rel_and_target_are_replaced():
    soup = check_safe(render_markdown('<a href="https://example.org" rel="opener" target="_blank">x</a>'))
    assert soup.a["rel"] == ["nofollow", "noopener", "ugc"]
    assert "target" not in soup.a.attrs


def test_bare_urls_are_autolinked():
    soup = check_safe(render_markdown("See https://specs.govstack.global/a?b=1, then reply."))
    assert soup.a["href"] == "https://specs.govstack.global/a?b=1"
    assert soup.a.get_text() == "https://specs.govstack.global/a?b=1"


def test_bare_urls_in_code_are_not_autolinked():
    soup = check_safe(render_markdown("`https://example.org`\n\n```\nhttps://example.org/x\n```"))
    assert soup.find("a") is None
    assert "https://example.org/x" in soup.pre.get_text()


def test_mailto_and_relative_links_survive():
    soup = check_safe(render_markdown("[mail](mailto:team@example.org) and [step](/playbook/step-1/)"))
    assert [a["href"] for a in soup.find_all("a")] == ["mailto:team@example.org", "/playbook/step-1/"]


def test_images_become_links_labelled_with_their_alt_text():
    soup = check_safe(render_markdown("![A service blueprint](https://example.org/blueprint.png)"))
    assert soup.find("img") is None
    assert soup.a["href"] == "https://example.org/blueprint.png"
    assert soup.a.get_text() == "A service blueprint"


def test_unsafe_link_keeps_its_text_but_loses_its_address():
    soup = check_safe(render_markdown("[click me](javascript:alert(1))"))
    assert soup.a.get_text() == "click me"
    assert "href" not in soup.a.attrs


def test_a_typed_line_break_is_kept_in_user_text():
    assert "<br" in render_markdown("first line\nsecond line")


def test_editorial_text_wraps_freely_without_line_breaks():
    html = render_markdown("a paragraph written\nover two lines\n\nand another", hard_breaks=False)
    assert "<br" not in html
    assert html.count("<p>") == 2
