"""App configuration for the Implementation Playbook: registers its content loader and demo seeder."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlaybookConfig(AppConfig):
    name = "playbook"
    verbose_name = _("Implementation Playbook")

    def ready(self) -> None:
        from content.loading import register_loader
        from content.seeding import register_seeder

        from .demo import seed_playbook_progress
        from .loading import load_playbook

        register_loader("playbook", load_playbook, order=20)
        register_seeder("playbook", seed_playbook_progress, order=30)
