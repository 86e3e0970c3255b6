"""Organisers' registration list and CSV show organisation and country only as each person chose
(the same rule as the person page: an export is one more way of showing them)."""

import csv
import io

import openpyxl
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
        row[1]: row for row in csv.reader(io.StringIO(client.get(url, {"format": "csv"}).getvalue().decode()))
    }
    assert rows[person.email][2:4] == ["Revenue Service of Kenya", "KE"]
    assert rows["hidden@example.org"][2:4] == ["", ""]


def test_the_xlsx_export_follows_the_same_rule_and_runs_no_formula(client, user_factory, make_workshop):
    workshop = make_workshop(title="Clinic")
    hidden = user_factory(
        email="hidden@example.org",
        display_name="=HYPERLINK(evil)",
        organisation="Secret Unit",
        country="FR",
        details_visibility="nobody",
    )
    Registration.objects.create(workshop=workshop, user=hidden, status=Status.REGISTERED)
    organiser = user_factory()
    organiser.groups.add(Group.objects.get(name="Editors"))
    sign_in_with_second_factor(client, organiser)
    response = client.get(f"/admin/workshops/{workshop.pk}/registrations/", {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row}
    assert "hidden@example.org" in cells and "Secret Unit" not in cells and "FR" not in cells
    assert cells["=HYPERLINK(evil)"].data_type == "s"  # text, not a formula
