"""The site shell's models: the user account with its profile, and the editable home page."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from . import handles
from .navigation import section_items


class UserManager(BaseUserManager):
    def with_handles(self, names):
        """The people whose handle is one of `names`, matched as the same handle ("ALICE" is "alice")."""
        return self.filter(handle_key__in={handles.handle_key(handle) for handle in names})


class DetailsVisibility(models.TextChoices):
    """Who sees a person's organisation and country (their profile details) besides themselves."""

    EVERYONE = "everyone", _("Everyone, including people who are not signed in")
    MEMBERS = "members", _("Only people signed in to GovLearn")
    NOBODY = "nobody", _("Nobody: only me")


class User(AbstractUser):
    """A GovLearn account; people sign in with their e-mail address, and the profile lives here too."""

    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("How others see you in communities and on certificates."),
    )
    country = CountryField(_("country"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    team_role = models.ForeignKey(
        "content.Role",
        verbose_name=_("role in the digital team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    team_role_other = models.CharField(
        _("other role"), max_length=100, blank=True, help_text=_("If your role is not in the list.")
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    details_visibility = models.CharField(
        _("who sees your organisation and country"),
        max_length=10,
        choices=DetailsVisibility.choices,
        default=DetailsVisibility.MEMBERS,
        help_text=_(
            "They appear on your page in communities, beside your posts, and to the organisers of "
            "workshops you register for. Your name, handle and role are always shown; your e-mail "
            "address never is."
        ),
    )
    # Derived from the username on every save (govlearn/handles.py): the canonical form that makes two
    # handles the same handle, held unique by the database, and what the handle looks like. Text, not
    # a bounded CharField: NFKC can lengthen a legacy username, and a key must never be cut.
    handle_key = models.TextField(_("handle key"), default="", editable=False)
    handle_skeleton = models.TextField(_("handle skeleton"), default="", editable=False, db_index=True)

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(fields=["handle_key"], name="govlearn_user_handle_key_unique"),
            # A row written without its key (a bulk insert that skipped `set_handle_keys`) fails loudly.
            models.CheckConstraint(condition=~models.Q(handle_key=""), name="govlearn_user_handle_key_set"),
        ]

    handle_key_for = staticmethod(handles.handle_key)

    def set_handle_keys(self) -> None:
        """Derive the handle's key and skeleton from the username (bulk inserts must call this)."""
        self.handle_key = handles.handle_key(self.username)
        self.handle_skeleton = handles.handle_skeleton(self.username)

    def clean(self) -> None:
        super().clean()  # normalises the username (NFKC)
        self.set_handle_keys()  # so that model validation checks the key the row will have

    def save(self, *args, **kwargs):
        self.set_handle_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "handle_key", "handle_skeleton"}
        super().save(*args, **kwargs)

    def validate_unique(self, exclude=None) -> None:
        """Forms that edit the username (the profile, the admin's user forms) refuse a taken handle
        with a message instead of letting the database's unique key raise."""
        super().validate_unique(exclude=exclude)
        if exclude and "username" in exclude:
            return
        others = type(self)._default_manager.exclude(pk=self.pk)
        if others.filter(handle_key=handles.handle_key(self.username)).exists():
            raise ValidationError({"username": ValidationError(handles.MESSAGES["taken"], code="unique")})

    @property
    def public_name(self) -> str:
        """The name shown to other people: never the e-mail address."""
        return self.display_name or self.get_full_name() or _("GovLearn member")

    def details_visible_to(self, viewer) -> bool:
        """The one rule for showing this person's organisation and country to `viewer` (a user, an
        anonymous user or None): they always see their own; others as the person chose."""
        if viewer is not None and viewer.is_authenticated and viewer.pk == self.pk:
            return True
        if self.details_visibility == DetailsVisibility.EVERYONE:
            return True
        if self.details_visibility == DetailsVisibility.MEMBERS:
            return viewer is not None and viewer.is_authenticated
        return False  # "nobody", and any value this code does not know

    @property
    def role_label(self) -> str:
        return str(self.team_role) if self.team_role_id else self.team_role_other


class HomePage(Page):
    """The front page: introduces GovLearn and leads to courses, the playbook and communities."""

    introduction = models.CharField(_("introduction"), max_length=300, blank=True)
    body = RichTextField(_("body"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("introduction"), FieldPanel("body")], heading=_("Welcome")),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = section_items(request)
        return context
