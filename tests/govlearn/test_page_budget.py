"""Page weight: each key page with the CSS and JS it references stays within 100 KB (before images)."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 100 * 1024


class AssetFinder(HTMLParser):
    """Finds stylesheets and scripts a page loads."""

    def __init__(self):
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"])
        rel = (attributes.get("rel") or "").lower().split()
        if (
            tag == "link"
            and ({"stylesheet", "modulepreload", "preload"} & set(rel))
            and attributes.get("href")
        ):
            self.assets.append(attributes["href"])


def asset_size(url: str) -> int:
    """The size of a local static file; anything else (a CDN, another site) fails the test."""
    assert url.startswith(settings.STATIC_URL), f"{url} is not a local static file"
    path = finders.find(url.removeprefix(settings.STATIC_URL).split("?")[0])
    assert path, f"{url} is referenced but does not exist"
    with open(path, "rb") as handle:
        content = handle.read()
    size = len(content)
    if url.endswith(".css"):
        # Stylesheets may pull in more: @import and url() of other CSS.
        for imported in re.findall(rb"@import\s+(?:url\()?[\"']?([^\"')\s;]+)", content):
            size += asset_size(_resolve(url, imported.decode()))
    return size


def _resolve(base: str, relative: str) -> str:
    from urllib.parse import urljoin

    return urljoin(base, relative)


def page_weight(client, path: str) -> tuple[int, list[str]]:
    response = client.get(path)
    assert response.status_code == 200, path
    finder = AssetFinder()
    html = response.content.decode()
    finder.feed(html)
    assets = list(dict.fromkeys(finder.assets))
    return len(response.content) + sum(asset_size(url) for url in assets), assets


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/accounts/signup/", "/search/", "/search/?q=building+block"]
)
def test_key_pages_stay_within_budget(client, home_page, path):
    from wagtail.models import Page

    for n in range(12):
        page = Page(
            title=f"Building block {n}", slug=f"building-block-{n}", search_description="A block. " * 15
        )
        home_page.add_child(instance=page)
        page.save_revision().publish()
    weight, assets = page_weight(client, path)
    assert any(url.endswith(".css") for url in assets), "the stylesheet should be counted"
    assert weight <= BUDGET_BYTES, f"{path}: {weight} bytes ({assets})"


def test_the_budget_check_counts_referenced_files(client, home_page):
    css = finders.find("govlearn/css/govlearn.css")
    with open(css, "rb") as handle:
        css_size = len(handle.read())
    response = client.get("/accounts/login/")
    weight, _ = page_weight(client, "/accounts/login/")
    assert weight >= len(response.content) + css_size
