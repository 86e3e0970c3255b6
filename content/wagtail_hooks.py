"""The taxonomies as snippets that editors manage in the Wagtail admin, and their part of load_content."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .hooks import CONTENT_LOADERS, ContentLoader
from .loading import load_taxonomies
from .models import BuildingBlock, Role


class BuildingBlockViewSet(SnippetViewSet):
    model = BuildingBlock
    icon = "cogs"
    list_display = ["name", "wave", "slug"]
    list_filter = ["wave"]
    search_fields = ["name", "summary"]
    search_backend_name = None  # a short list: plain icontains filtering works on every database


class RoleViewSet(SnippetViewSet):
    model = Role
    icon = "user"
    list_display = ["name", "group", "slug"]
    list_filter = ["group"]
    search_fields = ["name", "description"]
    search_backend_name = None


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomies")
    menu_icon = "tag"
    items = (BuildingBlockViewSet, RoleViewSet)


register_snippet(TaxonomyGroup)


@hooks.register(CONTENT_LOADERS, order=10)
def taxonomies_loader() -> ContentLoader:
    return ContentLoader("taxonomies", load_taxonomies)
