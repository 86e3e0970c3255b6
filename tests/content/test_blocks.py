"""The shared StreamField blocks: their rules (alt text, transcripts) and their templates."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.blocks import StructBlockValidationError
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from content.blocks import (
    AccessibleImageBlock,
    BaseContentBlock,
    CalloutBlock,
    DocumentBlock,
    LinkBlock,
    MarkdownBlock,
    VideoBlock,
)


@pytest.fixture
def image(db):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "teal").save(buffer, format="PNG")
    return get_image_model().objects.create(title="Blueprint", file=ImageFile(buffer, name="blueprint.png"))


@pytest.fixture
def document(db):
    return get_document_model().objects.create(
        title="Service information sheet", file=ContentFile(b"x" * 2048, name="siss.pdf")
    )


def html(rendered) -> BeautifulSoup:
    return BeautifulSoup(str(rendered), "html.parser")


# --- image ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("alt", ["", "   "])
def test_image_without_alt_text_is_refused(image, alt):
    block = AccessibleImageBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.normalize({"image": image, "alt_text": alt, "decorative": False, "caption": ""}))
    assert "alt_text" in error.value.block_errors


@pytest.mark.django_db
def test_image_with_alt_text_renders_it(image):
    block = AccessibleImageBlock()
    value = block.clean(block.normalize({"image": image, "alt_text": "A blueprint", "caption": "Step 3.2"}))
    soup = html(block.render(value))
    assert soup.img["alt"] == "A blueprint"
    assert soup.img["width"] and soup.img["height"]
    assert soup.figcaption.get_text() == "Step 3.2"


@pytest.mark.django_db
def test_decorative_image_needs_no_alt_text_and_gets_an_empty_one(image):
    block = AccessibleImageBlock()
    value = block.clean(block.normalize({"image": image, "alt_text": "ignored", "decorative": True}))
    assert html(block.render(value)).img["alt"] == ""


@pytest.mark.django_db
def test_a_stream_refuses_an_image_without_alt_text(image):
    stream = BaseContentBlock()
    value = stream.normalize([("image", {"image": image, "alt_text": "", "decorative": False})])
    with pytest.raises(ValidationError):
        stream.clean(value)


# --- video ----------------------------------------------------------------------------------------


def test_video_requires_a_transcript():
    block = VideoBlock()
    for transcript in ("", "  \n "):
        with pytest.raises(StructBlockValidationError) as error:
            block.clean(
                block.normalize({"title": "Intro", "url": "https://example.org/v", "transcript": transcript})
            )
        assert "transcript" in error.value.block_errors


def test_video_is_a_link_with_its_transcript_and_no_embed():
    block = VideoBlock()
    value = block.clean(
        block.normalize(
            {
                "title": "What is GovStack?",
                "url": "https://video.example.org/watch/1",
                "duration_minutes": 4,
                "transcript": "Hello <b>everyone</b>.\n\nSecond paragraph.",
            }
        )
    )
    rendered = str(block.render(value))
    soup = html(rendered)
    assert soup.find("a", href="https://video.example.org/watch/1")
    assert not soup.find(["iframe", "video", "embed", "object", "script"])
    transcript = soup.find("details")
    assert "Hello <b>everyone</b>." in transcript.get_text()  # escaped, shown as text
    assert len(transcript.find_all("p")) == 2
    assert "4 minutes" in soup.get_text()


# --- Markdown -------------------------------------------------------------------------------------


def test_markdown_block_renders_sanitised_html():
    block = MarkdownBlock()
    soup = html(
        block.render(
            "**Bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
        )
    )
    assert soup.strong.get_text() == "Bold"
    assert not soup.find(["script", "img"])
    assert "href" not in soup.a.attrs
    assert "alert" not in str(soup)


# --- document -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_document_block_shows_type_and_size(document):
    block = DocumentBlock()
    soup = html(block.render(block.normalize({"document": document, "title": ""})))
    assert soup.a.get_text() == "Service information sheet"
    assert soup.a["href"] == document.url
    assert soup.find(class_="meta").get_text() == "(PDF, 2.0\xa0KB)"


@pytest.mark.django_db
def test_document_block_uses_its_own_link_text(document):
    block = DocumentBlock()
    soup = html(block.render(block.normalize({"document": document, "title": "Download the SISS"})))
    assert soup.a.get_text() == "Download the SISS"


# --- callout and link -----------------------------------------------------------------------------


def test_callout_renders_its_kind_title_and_text():
    block = CalloutBlock()
    value = block.to_python(
        {"kind": "warning", "title": "Mind the data", "body": "<p>No personal data in URLs.</p>"}
    )
    soup = html(block.render(value))
    assert soup.aside["class"] == ["callout", "callout--warning"]
    assert soup.aside["aria-label"] == "Warning"
    assert "No personal data in URLs." in soup.get_text()


def test_link_needs_a_page_or_an_address():
    block = LinkBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.normalize({"label": "Specs", "page": None, "url": ""}))
    value = block.clean(block.normalize({"label": "Specs", "url": "https://specs.govstack.global/"}))
    soup = html(block.render(value))
    assert soup.a["href"] == "https://specs.govstack.global/"
    assert soup.a.get_text() == "Specs"


@pytest.mark.django_db
def test_link_to_a_page(home_page):
    block = LinkBlock()
    soup = html(block.render(block.normalize({"label": "Home", "page": home_page, "url": ""})))
    assert soup.a["href"] == home_page.url


# --- a whole body ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_block_renders_in_a_stream(image, document):
    stream = BaseContentBlock()
    value = stream.normalize(
        [
            ("heading", "Catalogue services"),
            ("rich_text", stream.child_blocks["rich_text"].to_python("<p>Rich <b>text</b></p>")),
            ("markdown", "A *Markdown* paragraph."),
            ("image", {"image": image, "alt_text": "A blueprint"}),
            ("video", {"title": "Intro", "url": "https://example.org/v", "transcript": "Words."}),
            ("document", {"document": document}),
            (
                "callout",
                {
                    "kind": "tip",
                    "title": "",
                    "body": stream.child_blocks["callout"].child_blocks["body"].to_python("<p>Tip</p>"),
                },
            ),
        ]
    )
    value = stream.clean(value)
    soup = html(stream.render(value))
    assert soup.h2.get_text() == "Catalogue services"
    assert soup.b.get_text() == "text"
    assert soup.em.get_text() == "Markdown"
    assert soup.img["alt"] == "A blueprint"
    assert soup.find("details")
    assert soup.find("a", download=True)
    assert soup.find("aside", class_="callout--tip")


def test_markdown_block_treats_wrapped_lines_as_one_paragraph():
    from content.blocks import MarkdownBlock

    html = str(MarkdownBlock().render("Line one\nstill the same paragraph."))
    assert "<br" not in html and "Line one still the same paragraph." in html.replace("\n", " ")
