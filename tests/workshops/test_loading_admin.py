"""Bundled workshops load idempotently; organisers see registrations, export CSV and mark attendance."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from community.loading import load_communities
from content.loading import LoadReport, load_taxonomies
from tests.signing_in import sign_in_with_second_factor
from workshops.loading import load_workshops
from workshops.models import Registration, Status, WorkshopPage

pytestmark = pytest.mark.django_db


def test_bundled_workshops_load_once_and_are_listed(client, home_page):
    report = LoadReport()
    load_taxonomies(report)
    load_communities(report)  # the workshops name their communities
    load_workshops(report)
    assert len([key for key in report.created if key.startswith("workshops:")]) == 3
    again = LoadReport()
    load_workshops(again)
    assert again.created == [] and again.updated == [] and len(again.unchanged) == 3
    clinic = WorkshopPage.objects.get(slug="identity-clinic")
    assert clinic.time_zone == "Europe/Paris" and clinic.start.year == 2027
    assert {block.slug for block in clinic.building_blocks.all()} == {
        "identification-authentication",
        "consent-management",
    }
    html = client.get("/workshops/").content.decode()
    assert "Introduction to the Implementation Playbook" in html and "Identity building block clinic" in html
    assert 'href="/workshops/"' in client.get("/").content.decode()  # in the main navigation


@pytest.fixture
def past_workshop_with_people(make_workshop, user_factory):
    workshop = make_workshop(title="Clinic", start=timezone.now() - timedelta(hours=3), capacity=1)
    here = user_factory(display_name="=HYPERLINK(evil)", email="here@example.org")
    queued = user_factory(email="queued@example.org")
    gone = user_factory(email="gone@example.org")
    Registration.objects.create(workshop=workshop, user=here, status=Status.REGISTERED)
    Registration.objects.create(workshop=workshop, user=queued, status=Status.WAITING)
    Registration.objects.create(workshop=workshop, user=gone, status=Status.CANCELLED)
    return workshop


def test_organiser_view_lists_exports_and_marks_attendance(client, user_factory, past_workshop_with_people):
    workshop = past_workshop_with_people
    editor = user_factory()
    editor.groups.add(Group.objects.get(name="Editors"))
    sign_in_with_second_factor(client, editor)
    url = f"/admin/workshops/{workshop.pk}/registrations/"
    html = client.get(url).content.decode()
    assert "here@example.org" in html and "queued@example.org" in html and "gone@example.org" in html
    assert "Save attendance" in html
    assert workshop.title in client.get("/admin/workshops/").content.decode()

    response = client.get(url, {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0][:2] == ["name", "email"]
    assert [row[1] for row in rows[1:]] == ["here@example.org", "queued@example.org"]  # not the cancelled
    assert rows[1][0] == "'=HYPERLINK(evil)"  # no formula injection

    here = Registration.objects.get(user__email="here@example.org")
    assert client.post(f"{url}attendance/", {"attended": [str(here.pk)]}).status_code == 302
    here.refresh_from_db()
    assert here.attended is True


def test_organiser_view_is_refused_to_people_who_cannot_edit_the_workshop(
    client, user_factory, past_workshop_with_people
):
    url = f"/admin/workshops/{past_workshop_with_people.pk}/registrations/"
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    person = user_factory()
    sign_in_with_second_factor(client, person)
    assert client.get(url).status_code in (302, 403)  # no admin access at all
    person.user_permissions.add(Permission.objects.get(codename="access_admin"))  # admin, but no page rights
    # Wagtail turns the PermissionDenied of an admin view into a redirect to the dashboard with a message.
    refused = client.get(url)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    refused = client.get(url, {"format": "csv"})
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    here = Registration.objects.get(user__email="here@example.org")
    refused = client.post(f"{url}attendance/", {"attended": [str(here.pk)]})
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    here.refresh_from_db()
    assert here.attended is None


def test_attendance_takes_only_this_workshops_registered_people(
    client, user_factory, make_workshop, past_workshop_with_people
):
    workshop = past_workshop_with_people
    other = make_workshop(title="Other", start=timezone.now() - timedelta(hours=3))
    stranger = Registration.objects.create(workshop=other, user=user_factory(), status=Status.REGISTERED)
    queued = Registration.objects.get(user__email="queued@example.org")
    editor = user_factory()
    editor.groups.add(Group.objects.get(name="Editors"))
    sign_in_with_second_factor(client, editor)
    url = f"/admin/workshops/{workshop.pk}/registrations/attendance/"
    for tampered in ([str(stranger.pk)], [str(queued.pk)], ["not-a-number"], ["9" * 40]):
        response = client.post(url, {"attended": tampered}, follow=True)
        assert "Attendance was not saved" in response.content.decode()
    assert not Registration.objects.filter(attended__isnull=False).exists()
    assert client.get(url).status_code == 405  # attendance changes only by a POST


def test_filling_places_from_the_waiting_list_is_for_organisers_only(
    client, user_factory, make_workshop, committed
):
    workshop = make_workshop(capacity=1)
    first, second = user_factory(), user_factory()
    Registration.objects.create(workshop=workshop, user=first, status=Status.REGISTERED)
    Registration.objects.create(workshop=workshop, user=second, status=Status.WAITING)
    Registration.objects.filter(user=first).update(status=Status.CANCELLED)
    url = f"/admin/workshops/{workshop.pk}/registrations/promote/"
    outsider = user_factory()
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    sign_in_with_second_factor(client, outsider)
    assert client.post(url)["Location"] == "/admin/"
    assert Registration.objects.get(user=second).status == Status.WAITING
    editor = user_factory()
    editor.groups.add(Group.objects.get(name="Editors"))
    sign_in_with_second_factor(client, editor)
    with committed():
        response = client.post(url, follow=True)
    assert "1 person moved from the waiting list." in response.content.decode()
    assert Registration.objects.get(user=second).status == Status.REGISTERED
