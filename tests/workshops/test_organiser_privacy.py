"""Organisers' registration list and CSV show organisation and country only as each person chose
(the same rule as the person page: an export is one more way of showing them)."""

import csv
import io

import pytest
from django.contrib.auth.models import Group

from tests.signing_in import sign_in_with_second_factor
from workshops.models import Registration, Status

pytestmark = pytest.mark.django_db


def test_organisers_list_and_export_follow_the_same_rule(client, user_factory, make_workshop):
    workshop = make_workshop(title="Clinic")
    person = user_factory(email="open@example.org", organisation="Revenue Service of Kenya", country="KE")
    hidden = user_factory(
        email="hidden@example.org", organisation="Secret Unit", country="FR", details_visibility="nobody"
    )
    Registration.objects.create(workshop=workshop, user=person, status=Status.REGISTERED)
    Registration.objects.create(workshop=workshop, user=hidden, status=Status.REGISTERED)
    organiser = user_factory()
    organiser.groups.add(Group.objects.get(name="Editors"))
    sign_in_with_second_factor(client, organiser)
    url = f"/admin/workshops/{workshop.pk}/registrations/"
    html = client.get(url).content.decode()
    assert "Revenue Service of Kenya" in html and "hidden@example.org" in html
    assert "Secret Unit" not in html
    rows = {
        row[1]: row for row in csv.reader(io.StringIO(client.get(url, {"format": "csv"}).content.decode()))
    }
    assert rows[person.email][2:4] == ["Revenue Service of Kenya", "KE"]
    assert rows["hidden@example.org"][2:4] == ["", ""]
