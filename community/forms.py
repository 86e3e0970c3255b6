"""Forms for every POST in communities: threads, replies, edits, reports, the buttons on communities, threads
and posts, the moderation queue, and notification settings. Ids arrive through ModelChoiceFields whose
querysets hold only what the action may touch, so another community's id is simply not a valid choice."""

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import Community, EmailFrequency, Flag, Invitation, Membership, NotificationSettings, Status
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


def body_field(label: str, rows: int) -> forms.CharField:
    """A post's Markdown text, as long as a post may be."""
    return forms.CharField(
        label=label,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=BODY_HELP,
        error_messages={
            "required": _("Write a message."),
            "max_length": _(
                "The message is too long: at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )


class ReplyForm(SubmissionMixin):
    body = body_field(_("Your reply"), rows=6)


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
    body = body_field(_("Message"), rows=10)


class EditPostForm(forms.Form):
    body = body_field(_("Message"), rows=10)


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you reporting this post?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why you are reporting this post.")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (shown in the moderation log)"), max_length=1000, required=False)


class ActionForm(forms.Form):
    """A form whose buttons name the action (`name="action" value="…"`); ACTIONS are the ones it accepts."""

    ACTIONS: tuple[str, ...] = ()
    action = forms.ChoiceField(error_messages={"invalid_choice": _("That action is not available here.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(action, action) for action in self.ACTIONS]

    def first_error(self) -> str:
        """One message for a form sent by a button (no field to show it beside)."""
        return next(iter(error for errors in self.errors.values() for error in errors))


class MembershipActionForm(ActionForm):
    ACTIONS = ("join", "leave", "follow", "unfollow")


class ThreadActionForm(ActionForm, ReasonForm):
    """Follow / unfollow; and for moderators lock, pin, move (to one of `move_targets`); un-accepting."""

    ACTIONS = ("follow", "unfollow", "lock", "unlock", "pin", "unpin", "move", "unaccept")
    target = forms.ModelChoiceField(
        label=_("Move to"),
        queryset=Community.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("You cannot move the thread to that community.")},
    )

    def __init__(self, *args, move_targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if move_targets is not None:
            self.fields["target"].queryset = move_targets

    def clean(self):
        data = super().clean()
        if data.get("action") == "move" and not data.get("target") and "target" not in self.errors:
            self.add_error("target", _("Choose a community to move the thread to."))
        return data


class PostActionForm(ActionForm, ReasonForm):
    """Helpful, accept as answer, delete one's own; hide / unhide and ban the author for moderators."""

    ACTIONS = ("helpful", "accept", "delete", "hide", "unhide", "ban", "unban")


class ModerationForm(ActionForm, ReasonForm):
    """The moderation queue's buttons, each naming what it acts on among this community's own rows."""

    ACTIONS = ("approve", "decline", "dismiss", "hide", "unban", "revoke")
    # The row each action needs.
    NEEDS = {
        "approve": "membership",
        "decline": "membership",
        "dismiss": "flag",
        "hide": "flag",
        "unban": "user",
        "revoke": "invitation",
    }
    membership = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("This request has already been answered.")},
    )
    flag = forms.ModelChoiceField(
        queryset=Flag.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("This report has already been dealt with.")},
    )
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        error_messages={"invalid_choice": _("This person is not banned.")},
    )
    invitation = forms.ModelChoiceField(
        queryset=Invitation.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("This invitation does not exist.")},
    )

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = Membership.objects.filter(
            community=community, status=Status.PENDING
        ).select_related("user", "community")
        self.fields["flag"].queryset = Flag.objects.filter(
            post__thread__community=community, resolved_at=None
        ).select_related("post__thread", "post__author")
        self.fields["user"].queryset = get_user_model().objects.filter(
            community_memberships__community=community, community_memberships__status=Status.BANNED
        )
        self.fields["invitation"].queryset = Invitation.objects.filter(community=community)

    def clean(self):
        data = super().clean()
        needed = self.NEEDS.get(data.get("action"))
        if needed and not data.get(needed) and needed not in self.errors:
            self.add_error(needed, _("Choose what to act on."))
        return data


class NotificationsActionForm(ActionForm):
    ACTIONS = ("read-all", "settings")


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
