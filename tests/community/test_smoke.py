"""Pages render: the list, a community, a thread, the forms."""

import pytest

pytestmark = pytest.mark.django_db


def test_pages_render_for_a_member(site, client_for, member, thread, community):
    client = client_for(member)
    for url in [
        "/community/",
        community.get_absolute_url(),
        thread.get_absolute_url(),
        f"/community/{community.slug}/new/",
        f"/community/{community.slug}/p/{thread.first_post_id}/edit/",
        "/me/notifications/",
        "/me/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
