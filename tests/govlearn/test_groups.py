"""Staff groups: Editors and Moderators reach the admin and manage the taxonomies; plain users do not."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import RoleFactory
from tests.signing_in import sign_in_with_second_factor

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _perms(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


def test_groups_exist_with_fitting_permissions(site):
    editors, moderators = _perms("Editors"), _perms("Moderators")
    for perms in (editors, moderators):
        assert "wagtailadmin.access_admin" in perms
        assert {"content.add_role", "content.change_role", "content.view_role"} <= perms
        assert {
            "content.add_buildingblock",
            "content.change_buildingblock",
            "content.view_buildingblock",
        } <= perms
    assert "content.delete_role" not in editors
    assert {"content.delete_role", "content.delete_buildingblock"} <= moderators


def test_ensure_groups_is_repeatable(site):
    from govlearn.setup import SetupReport, ensure_groups

    before = _perms("Editors")
    report = SetupReport()
    ensure_groups(report)
    assert report.done == []
    assert _perms("Editors") == before
    assert Group.objects.filter(name__in=["Editors", "Moderators"]).count() == 2


def test_ensure_groups_restores_a_removed_permission(site):
    from govlearn.setup import SetupReport, ensure_groups

    editors = Group.objects.get(name="Editors")
    editors.permissions.remove(*editors.permissions.filter(codename__in=["change_role", "access_admin"]))
    report = SetupReport()
    ensure_groups(report)
    assert {"content.change_role", "wagtailadmin.access_admin"} <= _perms("Editors")
    assert report.done


def test_editor_opens_the_admin_and_the_snippets(client, user_factory, site):
    editor = user_factory()
    editor.groups.add(Group.objects.get(name="Editors"))
    RoleFactory(name="Solution architect")
    sign_in_with_second_factor(client, editor)
    assert client.get("/admin/").status_code == 200
    response = client.get("/admin/snippets/content/role/")
    assert response.status_code == 200
    assert "Solution architect" in response.content.decode()
    assert client.get("/admin/snippets/content/buildingblock/").status_code == 200
    assert client.get("/admin/snippets/content/role/add/").status_code == 200


def test_plain_user_cannot_open_the_admin_or_snippets(client, user_factory, site):
    person = user_factory()
    client.force_login(person)
    for url in ("/admin/", "/admin/snippets/content/role/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert not response["Location"].startswith("/admin/"), url
