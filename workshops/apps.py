"""App configuration for workshops: free places filled on publish."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published


class WorkshopsConfig(AppConfig):
    name = "workshops"
    label = "workshops"
    verbose_name = _("Workshops")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        page_published.connect(fill_freed_places, dispatch_uid="workshops_fill_freed_places")


def fill_freed_places(sender, instance, **kwargs) -> None:
    """A published change (more places, say) gives any free places to the waiting list at once."""
    from .models import WorkshopPage
    from .services import promote_from_waiting_list

    if isinstance(instance, WorkshopPage):
        promote_from_waiting_list(instance)
