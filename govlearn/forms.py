"""Forms of the site shell: the profile a person keeps about themselves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .handles import HandleRefused, check_new_handle, display_form
from .models import User


def _squash_spaces(value: str) -> str:
    """Trim and collapse runs of whitespace, so "  Jane   Doe " is stored as "Jane Doe"."""
    return " ".join(value.split())


class ProfileForm(forms.ModelForm):
    """Display name, handle, country, organisation and who sees them, team role and language; e-mail and
    password live in allauth."""

    class Meta:
        model = User
        fields = [
            "display_name",
            "username",
            "country",
            "organisation",
            "details_visibility",
            "team_role",
            "team_role_other",
            "preferred_language",
        ]
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "nickname"}),
            "details_visibility": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team_role"].empty_label = _("— choose your role, or describe it below —")
        self.fields["team_role"].queryset = self.fields["team_role"].queryset.order_by("group", "name")
        self.fields["team_role_other"].help_text = _(
            "Only if your role is not in the list above; a role chosen from the list takes precedence."
        )
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["country"].widget.attrs["autocomplete"] = "country"
        self.fields["preferred_language"].help_text = _("The site switches to this language when you save.")
        self.fields["username"].label = _("Handle")
        self.fields["username"].required = False
        self.fields["username"].help_text = _(
            "Others mention you as @handle in communities. 3 to 30 letters or digits, in one alphabet; "
            "you may join them with . - or _. Capitals do not make a different handle."
        )
        # The handle rules below give one clear message each; Django's generic username check would not.
        self.fields["username"].validators = []
        # One choice is always checked; a post without it (an old page, a script) keeps the current one.
        self.fields["details_visibility"].required = False
        self.fields["display_name"].required = True
        self.fields["display_name"].error_messages["required"] = _(
            "Please enter a display name: how others see you."
        )

    def clean_display_name(self) -> str:
        name = _squash_spaces(self.cleaned_data["display_name"])
        if not name:
            raise forms.ValidationError(self.fields["display_name"].error_messages["required"])
        if "@" in name:
            raise forms.ValidationError(_("Please do not use an e-mail address as your display name."))
        return name

    def clean_username(self) -> str:
        handle = display_form(self.cleaned_data.get("username") or "")
        if not handle or handle == self.instance.username:
            return self.instance.username  # left empty or unchanged: keep the current handle
        try:
            return check_new_handle(handle, self.instance)
        except HandleRefused as refusal:
            raise forms.ValidationError(refusal.message, code=refusal.code) from None

    def clean_details_visibility(self) -> str:
        return self.cleaned_data.get("details_visibility") or self.instance.details_visibility

    def clean_organisation(self) -> str:
        return _squash_spaces(self.cleaned_data["organisation"])

    def clean_team_role_other(self) -> str:
        return _squash_spaces(self.cleaned_data["team_role_other"])

    def clean(self) -> dict:
        cleaned = super().clean()
        # One role only: a role from the list wins over free text, which is kept only without one.
        if cleaned.get("team_role"):
            cleaned["team_role_other"] = ""
        return cleaned
