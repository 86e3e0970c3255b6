"""The home page and the base layout: renders, lists sections, and carries the accessibility landmarks."""

import pytest
from django.test import override_settings
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from govlearn.models import HomePage

pytestmark = pytest.mark.django_db


def test_home_page_is_the_site_root_and_renders(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert home_page.title in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert "<header" in html and "<footer" in html and 'aria-label="Main"' in html


def test_setup_site_twice_creates_one_home_page(site):
    from govlearn.setup import setup_site

    assert setup_site().done == []
    assert HomePage.objects.count() == 1


def test_home_lists_sections_shown_in_menus(client, home_page):
    section = Page(
        title="Playbook", slug="playbook", show_in_menus=True, search_description="Steps to follow"
    )
    home_page.add_child(instance=section)
    section.save_revision().publish()
    html = client.get("/").content.decode()
    assert "Steps to follow" in html
    assert 'href="/playbook/"' in html


def test_navigation_marks_the_current_section(client, home_page):
    assert 'href="/community/" aria-current="page"' in client.get("/community/").content.decode()
    inside = client.get("/community/no-such-community/").content.decode()
    assert 'href="/community/" aria-current="true"' in inside
    home = client.get("/").content.decode()
    assert "aria-current" not in home.split('aria-label="Main"')[1].split("</nav>")[0]


# Wagtail's page test helpers sign in a superuser of their own, without a second factor.
@override_settings(STAFF_MFA_REQUIRED=False)
class TestHomePageType(WagtailPageTestCase):
    def test_home_page_lives_only_under_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_home_page_is_editable_and_previewable(self):
        from govlearn.setup import setup_site

        setup_site()
        home = HomePage.objects.get()
        self.assertPageIsRenderable(home)
        self.assertPageIsEditable(home)
        self.assertPageIsPreviewable(home)


def test_communities_are_a_section_in_the_navigation_and_on_the_home_page(client, home_page):
    home = client.get("/").content.decode()
    assert 'href="/community/"' in home
    assert "Ask peers in other countries" in home
    listing = client.get("/community/").content.decode()
    assert 'href="/community/" aria-current="page"' in listing


def test_setup_site_rebuilds_a_flushed_page_tree(db):
    from wagtail.models import Site

    from govlearn.setup import setup_site

    Site.objects.all().delete()
    Page.objects.all().delete()
    setup_site()
    home = HomePage.objects.get()
    assert home.get_parent().depth == 1
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk


@pytest.mark.parametrize(
    ("site_url", "hostname", "port", "root_url"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("https://learn.example.gov", "learn.example.gov", 443, "https://learn.example.gov"),
        ("http://learn.example.gov/", "learn.example.gov", 80, "http://learn.example.gov"),
    ],
)
def test_the_default_site_follows_site_url(db, settings, site_url, hostname, port, root_url):
    """Absolute links (e-mails, the print page, 'Discuss this') come from the Wagtail Site: it must be the
    public address, not Wagtail's localhost:80."""
    from wagtail.models import Site

    from govlearn.setup import setup_site

    settings.SITE_URL = site_url.rstrip("/")
    setup_site()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == (hostname, port, root_url)
    assert site.root_page.specific.full_url == root_url + "/"


def test_setup_site_moves_the_default_site_when_site_url_changes(site, settings):
    from wagtail.models import Site

    from govlearn.setup import setup_site

    settings.SITE_URL = "https://learn.example.gov"
    assert setup_site().done == ["default site (learn.example.gov:443)"]
    assert Site.objects.get(is_default_site=True).root_url == "https://learn.example.gov"
    assert setup_site().done == []
