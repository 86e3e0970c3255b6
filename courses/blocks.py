"""The lesson body: the shared content blocks plus a knowledge check graded on the server."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from content.blocks import BaseContentBlock

SINGLE = "single"
MULTIPLE = "multiple"

# When the lesson page may show which options were right (and the feedback that would give it away).
REVEAL_AFTER_PASSING = "after_passing"
REVEAL_ALWAYS = "always"
REVEAL_NEVER = "never"
REVEAL_CHOICES = [
    (REVEAL_AFTER_PASSING, _("After passing or using all attempts")),
    (REVEAL_ALWAYS, _("After every attempt")),
    (REVEAL_NEVER, _("Never")),
]


class OptionBlock(blocks.StructBlock):
    """One answer option; whether it is right and its feedback stay on the server until submission."""

    text = blocks.CharBlock(label=_("option"), max_length=300)
    is_correct = blocks.BooleanBlock(label=_("correct"), required=False)
    feedback = blocks.TextBlock(
        label=_("feedback"),
        required=False,
        rows=2,
        help_text=_(
            "Shown to a learner who chose this option, once the question was answered right or the "
            "right answers may be shown."
        ),
    )

    class Meta:
        icon = "tick"
        label = _("Option")


class QuestionBlock(blocks.StructBlock):
    """A single- or multiple-choice question."""

    prompt = blocks.TextBlock(label=_("question"), rows=2)
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[(SINGLE, _("Single choice")), (MULTIPLE, _("Multiple choice"))],
        default=SINGLE,
    )
    options = blocks.ListBlock(
        OptionBlock(),
        label=_("options"),
        min_num=2,
        help_text=_(
            "Each learner sees the options in a shuffled order: avoid “all of the above”, and make the "
            "wrong options as long and as specific as the right ones."
        ),
    )
    explanation = blocks.TextBlock(
        label=_("explanation"),
        required=False,
        rows=2,
        help_text=_("Shown with the result once the question was answered right or the answers are shown."),
    )

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for option in value["options"] if option["is_correct"])
        if correct == 0:
            raise blocks.StructBlockValidationError(
                block_errors={"options": ValidationError(_("Mark at least one option as correct."))}
            )
        if value["kind"] == SINGLE and correct > 1:
            raise blocks.StructBlockValidationError(
                block_errors={"kind": ValidationError(_("A single-choice question has one correct option."))}
            )
        return value

    class Meta:
        icon = "help"
        label = _("Question")


class KnowledgeCheckBlock(blocks.StructBlock):
    """A short quiz: the lesson completes when the learner reaches the pass mark."""

    title = blocks.CharBlock(label=_("title"), max_length=200, default=_("Check your understanding"))
    questions = blocks.ListBlock(QuestionBlock(), label=_("questions"), min_num=1)
    pass_mark = blocks.IntegerBlock(label=_("pass mark (%)"), default=80, min_value=1, max_value=100)
    max_attempts = blocks.IntegerBlock(
        label=_("attempts allowed"), default=3, min_value=0, help_text=_("0 means no limit.")
    )
    reveal_answers = blocks.ChoiceBlock(
        label=_("show the right answers"),
        choices=REVEAL_CHOICES,
        default=REVEAL_AFTER_PASSING,
        help_text=_(
            "Until then a learner learns only which questions they got wrong, so that a new attempt "
            "tests what they know."
        ),
    )

    class Meta:
        icon = "form"
        label = _("Knowledge check")


class LessonBodyBlock(BaseContentBlock):
    """The shared body blocks and the knowledge check."""

    knowledge_check = KnowledgeCheckBlock()
