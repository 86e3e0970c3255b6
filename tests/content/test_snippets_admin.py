"""The taxonomies in the Wagtail admin: administrators list, search and edit them; others may not."""

import pytest

from content.models import BuildingBlock, Role
from tests.factories import BuildingBlockFactory, RoleFactory


@pytest.fixture
def taxonomy(db):
    return {
        "role": RoleFactory(name="Service designer", slug="service-designer", group="Service design"),
        "block": BuildingBlockFactory(name="Payments", slug="payments", wave=1),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/admin/snippets/content/role/", "Service designer"),
        ("/admin/snippets/content/buildingblock/", "Payments"),
    ],
)
def test_admin_lists_the_snippets(admin_client, taxonomy, url, expected):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_admin_searches_roles(admin_client, taxonomy):
    RoleFactory(name="Procurement manager", slug="procurement-manager", group="Procurement")
    response = admin_client.get("/admin/snippets/content/role/", {"q": "procurement"})
    content = response.content.decode()
    assert "Procurement manager" in content
    assert "Service designer" not in content


@pytest.mark.django_db
def test_admin_edits_a_role(admin_client, taxonomy):
    role = taxonomy["role"]
    url = f"/admin/snippets/content/role/edit/{role.pk}/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "name": "Service designer",
            "slug": "service-designer",
            "group": "Service design",
            "description": "New.",
        },
    )
    assert response.status_code == 302
    assert Role.objects.get(pk=role.pk).description == "New."


@pytest.mark.django_db
def test_admin_edits_a_building_block(admin_client, taxonomy):
    block = taxonomy["block"]
    url = f"/admin/snippets/content/buildingblock/edit/{block.pk}/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "name": "Payments",
            "slug": "payments",
            "summary": "Moves money.",
            "wave": "1",
            "specification_url": "https://specs.govstack.global/payments",
        },
    )
    assert response.status_code == 302
    saved = BuildingBlock.objects.get(pk=block.pk)
    assert (saved.summary, saved.specification_url) == (
        "Moves money.",
        "https://specs.govstack.global/payments",
    )


@pytest.mark.django_db
def test_admin_creates_a_role(admin_client):
    response = admin_client.post(
        "/admin/snippets/content/role/add/",
        {"name": "Behavioural scientist", "slug": "behavioural-scientist", "group": "Service design"},
    )
    assert response.status_code == 302
    assert Role.objects.filter(slug="behavioural-scientist").exists()


@pytest.mark.django_db
def test_learners_cannot_reach_the_snippets(user_client, taxonomy):
    response = user_client.get("/admin/snippets/content/role/")
    assert response.status_code in (302, 403)
    assert "Service designer" not in response.content.decode()
