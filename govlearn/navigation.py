"""The site's main navigation: the home page's live children marked "show in menus", plus fixed links."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page, Site


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    description: str = ""
    current: bool = False


def menu_pages(request: HttpRequest) -> list[Page]:
    """The top-level sections (courses, playbook, communities…) in the order editors gave them."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    root = site.root_page.localized
    return list(root.get_children().live().public().in_menu().order_by("path"))


def _is_current(path: str, url: str) -> bool:
    if url == "/":
        return path == "/"
    return path.startswith(url)


def section_items(request: HttpRequest) -> list[NavItem]:
    """The site's sections: top-level pages shown in menus, then the Communities of Practice."""
    items = [
        NavItem(label=page.title, url=page.get_url(request) or "", description=page.search_description)
        for page in menu_pages(request)
    ]
    items.append(
        NavItem(
            label=_("Communities"),
            url=reverse("community:list"),
            description=_("Ask peers in other countries, share what worked, and find past answers."),
        )
    )
    return [item for item in items if item.url]


def main_navigation(request: HttpRequest) -> list[NavItem]:
    """Navigation items with the section the request is in marked as current."""
    items = section_items(request)  # search has its own box in the header, not a navigation item
    return [
        NavItem(item.label, item.url, item.description, current=_is_current(request.path, item.url))
        for item in items
    ]
