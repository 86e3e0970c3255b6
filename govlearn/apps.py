"""App configuration for the site shell."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovLearnConfig(AppConfig):
    name = "govlearn"
    verbose_name = _("GovLearn site")
