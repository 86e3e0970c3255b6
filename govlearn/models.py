"""The site shell's models: the user account with its profile, and the editable home page."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


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

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def public_name(self) -> str:
        """The name shown to other people: never the e-mail address."""
        return self.display_name or self.get_full_name() or _("GovLearn member")

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
        from .navigation import section_items

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = section_items(request)
        return context
