"""Forms of the course pages: catalogue filters, enrolling or leaving, submitting a knowledge check."""

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .levels import Level

MAX_QUERY_LENGTH = 100
ENROL, LEAVE = "enrol", "leave"
ANSWER_PREFIX = "q-"  # a question's answers come as `q-<question id>`, one value per option chosen
INCOMPLETE = _("The form was incomplete. Reload the lesson and try again.")


class CatalogueFilterForm(forms.Form):
    """The catalogue's search box and filters (GET). A value that is not one of the choices is ignored."""

    q = forms.CharField(required=False, strip=False)
    block = forms.ChoiceField(required=False)
    level = forms.ChoiceField(required=False, choices=Level.choices)
    language = forms.ChoiceField(required=False, choices=settings.LANGUAGES)

    def __init__(self, data: QueryDict, *, blocks: list[tuple[str, str]]):
        super().__init__(data)
        self.fields["block"].choices = blocks

    def clean_q(self) -> str:
        """Printable characters only, spaces collapsed, cut to a length worth searching for."""
        text = "".join(ch for ch in self.cleaned_data["q"] if ch.isprintable())
        return " ".join(text.split())[:MAX_QUERY_LENGTH]

    def filters(self) -> dict[str, str]:
        """Each filter's valid value, or "" for a filter not given or not valid."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}


class EnrolmentForm(forms.Form):
    """Enrol in a course or leave it."""

    action = forms.ChoiceField(
        choices=[(ENROL, _("Enrol")), (LEAVE, _("Leave the course"))],
        error_messages={"required": _("Unknown action."), "invalid_choice": _("Unknown action.")},
    )


class KnowledgeCheckForm(forms.Form):
    """One submission of a knowledge check: which check, for which attempt, the options chosen.

    The form parses; whether the answers fit the check, and whether the attempt may count, is for
    `courses.services.grade_attempt` to decide (the same rules serve every caller).
    """

    check = forms.CharField(required=False)
    attempt = forms.IntegerField(
        min_value=1,
        max_value=32767,  # the attempt number's column is a small integer
        error_messages=dict.fromkeys(["required", "invalid", "min_value", "max_value"], INCOMPLETE),
    )

    @property
    def check_id(self) -> str:
        """The check the submission names, as sent (for showing an error beside it)."""
        return str(self.data.get("check", ""))[:64]

    @property
    def answers(self) -> dict[str, list[str]]:
        """The options chosen, by question id, as sent (shown again when the submission is refused)."""
        return {
            key.removeprefix(ANSWER_PREFIX): self.data.getlist(key)
            for key in self.data
            if key.startswith(ANSWER_PREFIX)
        }

    def error_message(self) -> str:
        """The first error, for the message beside the check."""
        return next(str(error) for errors in self.errors.values() for error in errors)
