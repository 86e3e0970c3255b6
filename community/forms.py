"""Forms for threads, replies, reports, moderation and notification settings."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Community, EmailFrequency, NotificationSettings
from .models.thread import BODY_MAX, TITLE_MAX


class SubmissionMixin(forms.Form):
    """A one-time id per rendered form: submitting the same form twice posts once."""

    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission", uuid.uuid4().hex)


BODY_HELP = _(
    "Markdown: **bold**, *italic*, `code`, ``` for code blocks, > to quote, @handle to mention someone."
)


class ReplyForm(SubmissionMixin):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=BODY_HELP,
        error_messages={
            "required": _("Write a message."),
            "max_length": _(
                "The message is too long: at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )


class ThreadForm(SubmissionMixin):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        error_messages={
            "required": _("Give your thread a title."),
            "max_length": _(
                "The title is too long: at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    body = ReplyForm.base_fields["body"].__class__(
        label=_("Message"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=BODY_HELP,
        error_messages=ReplyForm.base_fields["body"].error_messages,
    )


class EditPostForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=BODY_HELP,
        error_messages=ReplyForm.base_fields["body"].error_messages,
    )


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you reporting this post?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why you are reporting this post.")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (shown in the moderation log)"), max_length=1000, required=False)


class MoveForm(ReasonForm):
    target = forms.ModelChoiceField(label=_("Move to"), queryset=Community.objects.none())

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = communities if communities is not None else Community.objects.none()


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["email_frequency"]
        widgets = {"email_frequency": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_frequency"].choices = EmailFrequency.choices
