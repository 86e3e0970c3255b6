"""App configuration for workshops: live sessions under the community layer; registers the content loader."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "community.workshops"
    label = "workshops"
    verbose_name = _("Workshops")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from content.loading import register_loader

        from .loading import load_workshops

        register_loader("workshops", load_workshops, order=45)
