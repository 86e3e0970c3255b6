"""The StreamField blocks every page type shares: text, Markdown, images, video, documents, callouts."""

from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from .markdown import render_markdown

# As long as the longest post (community.models.thread.BODY_MAX): the renderer's hard cap
# (content.markdown_limits.MAX_SOURCE_CHARS) is above it, so nothing an editor can save is ever cut.
MARKDOWN_MAX_LENGTH = 20_000


class MarkdownBlock(blocks.TextBlock):
    """Markdown written by an editor, rendered through the one sanitising renderer."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Markdown: **bold**, _italic_, [link](https://…), lists, tables."))
        kwargs.setdefault("max_length", MARKDOWN_MAX_LENGTH)
        super().__init__(rows=8, **kwargs)

    def render_basic(self, value, context=None):
        return mark_safe(render_markdown(value, hard_breaks=False))  # noqa: S308 - sanitised by render_markdown

    class Meta:
        icon = "code"
        label = _("Markdown")


class AccessibleImageBlock(blocks.StructBlock):
    """An image that cannot be saved without alternative text (or an explicit 'decorative' mark)."""

    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        required=False,
        max_length=250,
        help_text=_("Describe the image for people who cannot see it."),
    )
    decorative = blocks.BooleanBlock(
        label=_("decorative only"), required=False, help_text=_("Tick only if the image adds no information.")
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    def clean(self, value):
        value = super().clean(value)
        if not (value.get("alt_text") or "").strip() and not value.get("decorative"):
            raise blocks.StructBlockValidationError(
                block_errors={"alt_text": ValidationError(_("Alternative text is required."))}
            )
        return value

    class Meta:
        icon = "image"
        label = _("Image")
        template = "content/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """A video linked (never embedded until the viewer asks), with a transcript that is required."""

    title = blocks.CharBlock(label=_("title"), max_length=200)
    url = blocks.URLBlock(
        label=_("video address"), help_text=_("A link; nothing loads from it until clicked.")
    )
    duration_minutes = blocks.IntegerBlock(label=_("duration (minutes)"), required=False, min_value=1)
    transcript = blocks.TextBlock(label=_("transcript"), help_text=_("Required: the full text of the video."))

    class Meta:
        icon = "media"
        label = _("Video")
        template = "content/blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    """A downloadable document, shown with its type and size so readers on costly data can decide."""

    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "content/blocks/document.html"


class CalloutBlock(blocks.StructBlock):
    """A highlighted note, tip or warning."""

    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("note", _("Note")), ("tip", _("Tip")), ("warning", _("Warning"))],
        default="note",
    )
    title = blocks.CharBlock(label=_("title"), required=False, max_length=120)
    body = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "content/blocks/callout.html"


class LinkBlock(blocks.StructBlock):
    """A labelled link to a page of ours or to an outside address."""

    label = blocks.CharBlock(label=_("label"), max_length=200)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.URLBlock(label=_("address"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("Choose a page or give an address."))}
            )
        return value

    class Meta:
        icon = "link"
        label = _("Link")
        template = "content/blocks/link.html"


class BaseContentBlock(blocks.StreamBlock):
    """The body blocks that lessons, playbook steps and workshops share."""

    heading = blocks.CharBlock(
        label=_("Heading"), form_classname="title", icon="title", template="content/blocks/heading.html"
    )
    rich_text = blocks.RichTextBlock(label=_("Rich text"))
    markdown = MarkdownBlock()
    image = AccessibleImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
