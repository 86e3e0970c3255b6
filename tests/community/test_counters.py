"""Stored counters follow the rows on the paths that bypass the services: admin edits, deleted accounts;
and the check that finds drift and the recount that repairs it."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail import hooks

from community import services
from community.counters import drift, recount
from community.models import Community, Post, Thread, Visibility
from tests.signing_in import sign_in_with_second_factor

pytestmark = pytest.mark.django_db


def test_drift_names_each_counter_that_disagrees_and_recount_sets_it_right(thread, member, community):
    reply = services.post_reply(member, thread, "An answer.")
    Community.objects.filter(pk=community.pk).update(member_count=40, thread_count=9)
    Thread.objects.filter(pk=thread.pk).update(reply_count=0, accepted_post=reply)
    Post.objects.filter(pk=reply.pk).update(hidden=True, helpful_count=3)
    found = {(d.model, d.field, d.stored, d.real) for d in drift()}
    assert found == {
        ("community", "member_count", 40, 1),
        ("community", "thread_count", 9, 1),
        ("thread", "accepted_post", reply.pk, None),
        ("post", "helpful_count", 3, 0),
    }  # the reply count is right by chance: the only reply is now hidden
    recount()
    assert drift() == []
    thread.refresh_from_db()
    assert (thread.reply_count, thread.accepted_post_id) == (0, None)


def test_an_admin_edit_keeps_a_join_made_while_the_form_was_saved(client, site, user_factory, community):
    editor = user_factory(username="page-editor")
    editor.groups.add(Group.objects.get(name="Editors"))
    newcomer = user_factory(username="newcomer")

    def someone_joins_meanwhile(request, instance):  # after the view read the row, before it saves it
        services.join(newcomer, Community.objects.get(pk=instance.pk))

    sign_in_with_second_factor(client, editor)
    data = {"name": "Payments", "slug": community.slug, "description": "", "visibility": Visibility.PUBLIC}
    with hooks.register_temporarily("before_edit_snippet", someone_joins_meanwhile):
        response = client.post(
            f"/admin/snippets/community/community/edit/{community.pk}/", {**data, "join_policy": "open"}
        )
    assert response.status_code == 302
    community.refresh_from_db()
    assert (community.name, community.member_count) == ("Payments", 1)
    assert drift() == []


def test_deleting_an_account_takes_its_membership_and_reactions_out_of_the_counts(
    thread, member, community, user_factory, add_member
):
    helper = user_factory(username="helper")
    add_member(community, helper)
    services.toggle_helpful(helper, thread.first_post)
    assert Community.objects.get(pk=community.pk).member_count == 2
    helper.delete()
    assert Community.objects.get(pk=community.pk).member_count == 1
    assert Post.objects.get(pk=thread.first_post_id).helpful_count == 0
    assert drift() == []


def test_the_counters_command_reports_drift_and_fixes_it(thread, community):
    Community.objects.filter(pk=community.pk).update(member_count=7)
    out = StringIO()
    with pytest.raises(CommandError, match="1 counters disagree"):
        call_command("community_counters", stdout=out)
    assert f"community {community.pk}: member_count is 7, the rows say 1" in out.getvalue()
    call_command("community_counters", "--fix", stdout=out)
    assert Community.objects.get(pk=community.pk).member_count == 1
    call_command("community_counters", stdout=out)
    assert out.getvalue().endswith("All counters agree with the rows\n")
