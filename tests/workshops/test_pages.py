"""Workshop pages: types, times across a daylight-saving change, registration by HTTP, the list, the feed."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield

from govlearn.models import HomePage
from govlearn.setup import setup_site
from tests.workshops.conftest import parse_ics
from workshops.models import Registration, Status, WorkshopIndexPage, WorkshopPage
from workshops.times import offset_label, workshop_times

PARIS = ZoneInfo("Europe/Paris")


def edit_data(page, **overrides):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": "Edited summary",
            "time_zone": "Europe/Paris",
            "start": "2027-03-28 10:00",
            "end": "2027-03-28 12:00",
            "format": "hybrid",
            "place": "Paris",
            "joining_details": "https://meet.example.org/x",
            "language": "fr",
            "capacity": "12",
            "registration_open": "on",
            "registration_deadline": "",
            "facilitators": "Ada\nGrace",
            "agenda": streamfield([("markdown", "1. Welcome")]),
            "materials": streamfield([]),
            "related_page": "",
            "community": "",
            **overrides,
        }
    )


# Wagtail's page test helpers sign in a superuser of their own, without a second factor.
@override_settings(STAFF_MFA_REQUIRED=False)
class TestWorkshopPageTypes(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        setup_site()
        home = HomePage.objects.get()
        cls.index = WorkshopIndexPage(title="Workshops", slug="workshops")
        home.add_child(instance=cls.index)
        start = datetime(2027, 1, 10, 9, tzinfo=UTC)
        cls.workshop = WorkshopPage(
            title="Clinic", slug="clinic", summary="S", start=start, end=start + timedelta(hours=1)
        )
        cls.index.add_child(instance=cls.workshop)

    def setUp(self):
        super().setUp()
        self.client.force_login(self.create_test_user())

    def test_types_live_only_where_they_belong(self):
        self.assertAllowedParentPageTypes(WorkshopIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(WorkshopIndexPage, {WorkshopPage})
        self.assertAllowedParentPageTypes(WorkshopPage, {WorkshopIndexPage})
        self.assertAllowedSubpageTypes(WorkshopPage, set())
        self.assertCanCreateAt(WorkshopIndexPage, WorkshopPage)
        self.assertCanNotCreateAt(HomePage, WorkshopPage)
        self.assertCanCreateAt(HomePage, WorkshopIndexPage)

    def test_pages_render_edit_and_preview(self):
        index_data = nested_form_data({"title": "Workshops", "slug": "workshops", "introduction": "Hi"})
        self.assertPageIsRenderable(self.index)
        self.assertPageIsEditable(self.index, post_data=index_data)
        self.assertPageIsPreviewable(self.index, post_data=index_data)
        self.assertPageIsRenderable(self.workshop)
        self.assertPageIsEditable(self.workshop, post_data=edit_data(self.workshop))
        self.assertPageIsPreviewable(self.workshop, post_data=edit_data(self.workshop))

    def test_organisers_type_times_in_the_workshops_zone(self):
        """10:00 in Paris on 28 March 2027 (summer time began at 02:00 that night) is 08:00 UTC."""
        url = f"/admin/pages/{self.workshop.pk}/edit/"
        response = self.client.post(url, {**edit_data(self.workshop), "action-publish": "action-publish"})
        assert response.status_code == 302
        self.workshop.refresh_from_db()
        assert self.workshop.start == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
        form_html = self.client.get(url).content.decode()
        assert 'value="2027-03-28 10:00"' in form_html  # shown back in Paris time
        bad = self.client.post(url, edit_data(self.workshop, end="2027-03-28 09:00"))
        assert "The workshop must end after it starts." in bad.content.decode()


def test_times_across_the_daylight_saving_change():
    """Europe/Paris moves from UTC+01:00 to UTC+02:00 at 01:00 UTC on Sunday 28 March 2027."""
    before = workshop_times(
        datetime(2027, 3, 27, 9, tzinfo=UTC), datetime(2027, 3, 27, 10, tzinfo=UTC), PARIS
    )
    after = workshop_times(datetime(2027, 3, 28, 9, tzinfo=UTC), datetime(2027, 3, 28, 10, tzinfo=UTC), PARIS)
    across = workshop_times(
        datetime(2027, 3, 28, 0, 30, tzinfo=UTC), datetime(2027, 3, 28, 1, 30, tzinfo=UTC), PARIS
    )
    assert before.local_text == "Saturday 27 March 2027, 10:00–11:00 (Europe/Paris time, UTC+01:00)"
    assert after.local_text == "Sunday 28 March 2027, 11:00–12:00 (Europe/Paris time, UTC+02:00)"
    assert across.local_text == (
        "Sunday 28 March 2027, 01:30–03:30 (Europe/Paris time, UTC+01:00 → UTC+02:00)"
    )
    assert after.utc_text == "Sunday 28 March 2027, 09:00–10:00 UTC (UTC+00:00)"
    assert (
        offset_label(datetime(2027, 1, 1, tzinfo=UTC).astimezone(ZoneInfo("America/St_Johns"))) == "UTC−03:30"
    )


@pytest.mark.django_db
def test_page_shows_both_zones_and_the_readers_time_without_javascript(client, make_workshop):
    workshop = make_workshop(
        time_zone="Europe/Paris",
        start=datetime(2027, 3, 28, 9, tzinfo=UTC),
        end=datetime(2027, 3, 28, 10, tzinfo=UTC),
    )
    html = client.get(workshop.url).content.decode()
    assert "Sunday 28 March 2027, 11:00–12:00 (Europe/Paris time, UTC+02:00)" in html
    assert (
        '<time datetime="2027-03-28T09:00:00Z" data-local-time data-end="2027-03-28T10:00:00Z">'
        "Sunday 28 March 2027, 09:00–10:00 UTC (UTC+00:00)</time>"
    ) in html
    assert "workshops/local-time.js" in html and "<script>" not in html


@pytest.mark.django_db
def test_joining_details_only_for_registered_people(client, user_factory, make_workshop):
    workshop = make_workshop(capacity=1)
    secret = "https://meet.example.org/secret-room"
    assert secret not in client.get(workshop.url).content.decode()  # anonymous
    waiting_person, registered_person = user_factory(), user_factory()
    Registration.objects.create(workshop=workshop, user=registered_person, status=Status.REGISTERED)
    Registration.objects.create(workshop=workshop, user=waiting_person, status=Status.WAITING)
    client.force_login(waiting_person)
    html = client.get(workshop.url).content.decode()
    assert secret not in html and "You are number 1 on the waiting list" in html
    client.force_login(user_factory())
    assert secret not in client.get(workshop.url).content.decode()  # signed in, not registered
    client.force_login(registered_person)
    assert secret in client.get(workshop.url).content.decode()


@pytest.mark.django_db
def test_register_and_cancel_through_the_page(client, user, make_workshop):
    workshop = make_workshop()
    register_url, cancel_url = f"{workshop.url}register/", f"{workshop.url}cancel/"
    response = client.post(register_url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(user)
    html = client.get(workshop.url).content.decode()
    assert f'<form method="post" action="{register_url}">' in html
    response = client.post(register_url, follow=True)
    assert "You are registered. We have e-mailed you a confirmation" in response.content.decode()
    assert f'<form method="post" action="{cancel_url}" class="inline-form">' in response.content.decode()
    response = client.post(register_url, follow=True)
    assert "You were already registered" in response.content.decode()
    assert Registration.objects.active().filter(user=user).count() == 1
    html = client.get("/me/").content.decode()
    assert "My upcoming workshops" in html and workshop.title in html
    response = client.post(cancel_url, follow=True)
    assert "Your registration is cancelled." in response.content.decode()
    assert not Registration.objects.active().filter(user=user).exists()
    assert client.post(workshop.url, {"action": "nonsense"}).status_code == 400
    assert client.get(register_url).status_code == 405 and client.get(cancel_url).status_code == 405


@pytest.mark.django_db
def test_a_page_served_before_the_routes_still_registers_and_cancels(client, user, make_workshop):
    """Its forms posted `action=…` to the page itself: the post goes on to the route with a 307, which
    keeps the method and the form."""
    workshop = make_workshop()
    client.force_login(user)
    response = client.post(workshop.url, {"action": "register"})
    assert (response.status_code, response["Location"]) == (307, f"{workshop.url}register/")
    response = client.post(workshop.url, {"action": "register"}, follow=True)
    assert "You are registered." in response.content.decode()
    assert Registration.objects.active().filter(user=user, workshop=workshop).exists()
    response = client.post(workshop.url, {"action": "cancel"}, follow=True)
    assert "Your registration is cancelled." in response.content.decode()
    assert not Registration.objects.active().filter(user=user).exists()


@pytest.mark.django_db
def test_past_workshop_refuses_with_a_message_and_shows_materials(client, user, make_workshop):
    start = timezone.now() - timedelta(days=2)
    workshop = make_workshop(start=start, materials=[("markdown", "Slides: [deck](https://example.org/d)")])
    client.force_login(user)
    response = client.post(f"{workshop.url}register/", follow=True)
    html = response.content.decode()
    assert "This workshop has already started, so registration is closed." in html
    assert "Materials" in html and "https://example.org/d" in html
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_index_lists_upcoming_first_filters_and_keeps_queries_fixed(
    client, user, make_workshop, django_assert_max_num_queries
):
    from tests.factories import BuildingBlockFactory

    block = BuildingBlockFactory(slug="identity")
    now = timezone.now()
    past = make_workshop(title="Past one", start=now - timedelta(days=3))
    soon = make_workshop(title="Soon", start=now + timedelta(days=1), language="fr", format="in_person")
    soon.building_blocks = [block]
    soon.save_revision().publish()
    index = soon.get_parent().specific
    html = client.get(index.url).content.decode()
    assert html.index("Soon") < html.index("Recent past workshops") < html.index("Past one")
    assert "Soon" in client.get(index.url, {"language": "fr"}).content.decode()
    assert "Soon" not in client.get(index.url, {"format": "online"}).content.decode()
    assert "Soon" in client.get(index.url, {"block": "identity"}).content.decode()
    assert "Past one" in client.get(index.url, {"when": "past"}).content.decode()
    assert past.title not in client.get(index.url, {"when": "past", "language": "fr"}).content.decode()

    def count_queries():
        client.force_login(user)
        with django_assert_max_num_queries(40) as captured:
            assert client.get(index.url).status_code == 200
        return len(captured.captured_queries)

    few = count_queries()
    for n in range(200):
        workshop = make_workshop(title=f"Bulk {n}", start=now + timedelta(days=2, hours=n))
        if n % 50 == 0:
            Registration.objects.create(workshop=workshop, user=user, status=Status.REGISTERED)
    many = count_queries()
    assert many == few


@pytest.mark.django_db
def test_calendar_feed_of_public_upcoming_workshops(client, make_workshop):
    now = timezone.now()
    upcoming = make_workshop(title="Upcoming, with a comma", start=now + timedelta(days=1))
    make_workshop(title="Past", start=now - timedelta(days=1))
    make_workshop(title="Draft", publish=False)
    response = client.get("/workshops/feed.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = parse_ics(response.content.decode())
    assert [event["SUMMARY"] for event in events] == ["Upcoming, with a comma"]
    assert "secret-room" not in response.content.decode()  # no joining details in a public feed
    assert events[0]["UID"] == f"workshop-{upcoming.pk}@testserver"
