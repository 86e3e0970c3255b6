"""App configuration for workshops: free places filled on publish (the loader is a hook, wagtail_hooks.py)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published


class WorkshopsConfig(AppConfig):
    name = "workshops"
    label = "workshops"
    verbose_name = _("Workshops")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .models import WorkshopPage, fill_freed_places

        page_published.connect(
            fill_freed_places, sender=WorkshopPage, dispatch_uid="workshops_fill_freed_places"
        )
