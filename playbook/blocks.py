"""StreamField blocks of a playbook step: activities, each with a description and its resources."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from content.blocks import MarkdownBlock


class ResourceBlock(blocks.StructBlock):
    """A link, document or template that helps with an activity."""

    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("link", _("Link")), ("document", _("Document")), ("template", _("Template"))],
        default="link",
    )
    label = blocks.CharBlock(label=_("label"), max_length=200)
    url = blocks.URLBlock(label=_("address"), required=False)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    document = DocumentChooserBlock(label=_("document"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if not (value.get("url") or value.get("page") or value.get("document")):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("Give an address, a page or a document."))}
            )
        return value

    class Meta:
        icon = "link"
        label = _("Resource")
        template = "playbook/blocks/resource.html"


class ActivityBlock(blocks.StructBlock):
    """One thing the team does in a step, with the resources that help."""

    title = blocks.CharBlock(label=_("title"), max_length=200)
    description = MarkdownBlock(label=_("description"), required=False)
    resources = blocks.ListBlock(ResourceBlock(), label=_("resources"), default=[])

    class Meta:
        icon = "tasks"
        label = _("Activity")
        template = "playbook/blocks/activity.html"


class ActivitiesBlock(blocks.StreamBlock):
    activity = ActivityBlock()
