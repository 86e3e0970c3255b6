"""App configuration for workshops: the content loader; free places filled on publish."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published


class WorkshopsConfig(AppConfig):
    name = "workshops"
    label = "workshops"
    verbose_name = _("Workshops")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from content.loading import register_loader

        from .loading import load_workshops
        from .models import WorkshopPage, fill_freed_places

        register_loader("workshops", load_workshops, order=45)
        page_published.connect(
            fill_freed_places, sender=WorkshopPage, dispatch_uid="workshops_fill_freed_places"
        )
