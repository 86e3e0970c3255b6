"""Forms of the site shell: the profile a person keeps about themselves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "display_name",
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
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["display_name"].required = True

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if "@" in name:
            raise forms.ValidationError(_("Please do not use an e-mail address as your display name."))
        return name
