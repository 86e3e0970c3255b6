"""Forms of the site shell: the profile a person keeps about themselves."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User

# What a community @mention can match (community/text.py), at a length that reads well.
HANDLE = re.compile(r"[\w.+-]{3,30}")


def _squash_spaces(value: str) -> str:
    """Trim and collapse runs of whitespace, so "  Jane   Doe " is stored as "Jane Doe"."""
    return " ".join(value.split())


class ProfileForm(forms.ModelForm):
    """Display name, country, organisation, team role and language; e-mail and password live in allauth."""

    class Meta:
        model = User
        fields = [
            "display_name",
            "username",
            "country",
            "organisation",
            "team_role",
            "team_role_other",
            "preferred_language",
        ]
        widgets = {"display_name": forms.TextInput(attrs={"autocomplete": "nickname"})}

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
            "Others mention you as @handle in communities. Letters, digits and . + - _ only."
        )
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
        handle = (self.cleaned_data.get("username") or "").strip()
        if not handle:
            return self.instance.username  # left empty: keep the current handle
        if not HANDLE.fullmatch(handle):
            raise forms.ValidationError(
                _("Use 3 to 30 letters, digits or . + - _ (no spaces, no @) for your handle.")
            )
        taken = User.objects.filter(username__iexact=handle).exclude(pk=self.instance.pk).exists()
        if taken:
            raise forms.ValidationError(_("This handle is taken; please choose another."))
        return handle

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
