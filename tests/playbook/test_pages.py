"""Playbook page types: where each may live, and that each renders, edits and previews in the admin."""

import pytest
from django.test import override_settings
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from content.loading import LoadReport, load_taxonomies
from govlearn.models import HomePage
from govlearn.setup import setup_site
from playbook.loading import load_playbook
from playbook.models import PlaybookPage, PlaybookSectionPage, PlaybookStepPage


# Wagtail's page test helpers sign in a superuser of their own, without a second factor.
@override_settings(STAFF_MFA_REQUIRED=False)
class TestPlaybookPageTypes(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        setup_site()
        report = LoadReport()
        load_taxonomies(report)
        load_playbook(report)

    def setUp(self):
        super().setUp()
        self.client.force_login(self.create_test_user())

    def test_each_type_lives_only_where_it_belongs(self):
        self.assertAllowedParentPageTypes(PlaybookPage, {HomePage})
        self.assertAllowedParentPageTypes(PlaybookSectionPage, {PlaybookPage})
        self.assertAllowedParentPageTypes(PlaybookStepPage, {PlaybookSectionPage, PlaybookStepPage})
        self.assertAllowedSubpageTypes(PlaybookPage, {PlaybookSectionPage})
        self.assertAllowedSubpageTypes(PlaybookSectionPage, {PlaybookStepPage})
        self.assertAllowedSubpageTypes(PlaybookStepPage, {PlaybookStepPage})

    def test_creatable_only_where_allowed(self):
        self.assertCanCreateAt(HomePage, PlaybookPage)
        self.assertCanCreateAt(PlaybookPage, PlaybookSectionPage)
        self.assertCanCreateAt(PlaybookSectionPage, PlaybookStepPage)
        self.assertCanCreateAt(PlaybookStepPage, PlaybookStepPage)
        self.assertCanNotCreateAt(HomePage, PlaybookStepPage)
        self.assertCanNotCreateAt(PlaybookPage, PlaybookStepPage)
        self.assertCanNotCreateAt(PlaybookSectionPage, PlaybookSectionPage)

    def test_every_page_renders_edits_and_previews(self):
        playbook = PlaybookPage.objects.get()
        section = PlaybookSectionPage.objects.get(slug="implementation")
        cases = [
            (playbook, {"introduction": "Edited introduction", "body": streamfield([])}),
            (section, {"summary": "Edited summary", "body": streamfield([])}),
        ]
        for number in ("3", "3.2"):
            step = PlaybookStepPage.objects.get(number=number)
            cases.append(
                (
                    step,
                    {
                        "number": number,
                        "summary": "Edited summary",
                        "why_it_matters": "Because.",
                        "effort": "",
                        "done_when": "It is done",
                        "body": streamfield([("markdown", "Some **guidance**.")]),
                        "activities": streamfield([]),
                        "role_responsibilities": inline_formset([]),
                        "deliverables": inline_formset([{"title": "A deliverable", "description": ""}]),
                    },
                )
            )
        for page, fields in cases:
            post_data = nested_form_data({"title": page.title, "slug": page.slug, **fields})
            self.assertPageIsRenderable(page)
            self.assertPageIsEditable(page, post_data=post_data)
            self.assertPageIsPreviewable(page, post_data=post_data)


@pytest.mark.django_db
def test_playbook_is_in_the_main_navigation_and_on_the_home_page(client, home_page):
    report = LoadReport()
    load_taxonomies(report)
    load_playbook(report)
    html = client.get("/").content.decode()
    assert 'href="/playbook/"' in html
    assert "building-block approach" in html  # the playbook's search description on the home page cards


@pytest.mark.django_db
def test_step_page_shows_its_parts(client, home_page):
    report = LoadReport()
    load_taxonomies(report)
    load_playbook(report)
    response = client.get("/playbook/implementation/prioritise-services/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Step 2 of 5" in html
    for heading in ("Activities and resources", "Roles and responsibilities", "Deliverables", "Done when"):
        assert heading in html
    assert "Ranked list of priority services" in html
    assert "<strong>strategic importance</strong>" in html  # activity descriptions are rendered Markdown
    assert "Head of service design" in html
    assert 'class="breadcrumbs"' in html and 'href="/playbook/implementation/"' in html
    sub = client.get("/playbook/implementation/design-service/design-future-service/").content.decode()
    assert "Step 3.2: part 2 of 3 in step 3" in sub
    assert "Service blueprint" in sub
