"""Fixes from the security review: deleted posts, invitation links, discussion tokens, bans, the move log."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from community import links, services
from community.models import (
    Invitation,
    Membership,
    MembershipRole,
    ModerationAction,
    Reaction,
    Status,
    Thread,
    Visibility,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def replier(user_factory, community, add_member):
    person = user_factory(username="replier", display_name="Replier Person")
    add_member(community, person)
    return person


# --- 1. soft-deleted posts are hidden like moderator-hidden ones -----------------------------------------


@pytest.fixture
def deleted_post(thread, replier):
    post = services.post_reply(replier, thread, "Regrettable words")
    services.delete_post(replier, post)
    return post


def test_a_deleted_post_cannot_be_reported_or_marked_helpful(client_for, deleted_post, member):
    client = client_for(member)
    slug = deleted_post.thread.community.slug
    report = client.get(f"/community/{slug}/p/{deleted_post.pk}/report/")
    assert report.status_code == 404 and "Regrettable words" not in report.content.decode()
    flag = client.post(f"/community/{slug}/p/{deleted_post.pk}/report/", {"reason": "rude"})
    assert flag.status_code == 404 and not deleted_post.flags.exists()
    helpful = client.post(f"/community/{slug}/p/{deleted_post.pk}/action/", {"action": "helpful"})
    assert helpful.status_code == 404 and not Reaction.objects.exists()


def test_a_moderator_still_reaches_a_deleted_post(client_for, deleted_post, moderator):
    slug = deleted_post.thread.community.slug
    report = client_for(moderator).get(f"/community/{slug}/p/{deleted_post.pk}/report/")
    assert report.status_code == 200 and "Regrettable words" in report.content.decode()


# --- 2 & 3. invitations -----------------------------------------------------------------------------


def invitation_token(community, email: str) -> str:
    """The link's token of a stored invitation, as `services.invite` e-mails it."""
    now = timezone.now()
    invitation = Invitation.objects.create(
        community=community, email=email, created_at=now, expires_at=now + timedelta(days=14)
    )
    return services.invitation_token(invitation)


@pytest.fixture
def secret(make_community):
    community = make_community("secret", visibility=Visibility.PRIVATE, join_policy="invitation")
    community.name = "Hush Hush Ministry"
    community.save()
    return community


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_invitation_token_does_not_reveal_a_private_community(
    method, client_for, secret, make_community, user_factory
):
    client = client_for(user_factory(username="stranger"))
    garbage = getattr(client, method)(f"/community/{secret.slug}/invitation/x/")
    assert garbage.status_code == 404 and secret.name not in garbage.content.decode()
    other = make_community("other")
    elsewhere = invitation_token(other, "stranger@example.org")
    mismatch = getattr(client, method)(f"/community/{secret.slug}/invitation/{elsewhere}/")
    assert mismatch.status_code == 404 and secret.name not in mismatch.content.decode()
    assert not secret.memberships.exists()


def test_an_invitation_needs_a_verified_address(client_for, secret, user_factory):
    guest = user_factory(username="guest", email="Guest@Example.org", verified=False)
    token = invitation_token(secret, "guest@example.org")
    with pytest.raises(services.NotAllowed):
        services.accept_invitation(guest, secret, token)  # user.email matches, but is not verified
    response = client_for(guest).post(f"/community/{secret.slug}/invitation/{token}/")
    assert response.status_code == 200 and not secret.memberships.exists()
    EmailAddress.objects.filter(user=guest).update(verified=True)
    assert services.accept_invitation(guest, secret, token).status == Status.ACTIVE


def test_an_invitation_accepts_a_verified_secondary_address(secret, user_factory):
    guest = user_factory(username="guest", email="main@example.org")
    EmailAddress.objects.create(user=guest, email="Work@Example.org", verified=True, primary=False)
    token = invitation_token(secret, "work@example.org")
    assert services.accept_invitation(guest, secret, token).status == Status.ACTIVE


# --- 4. discussion tokens ---------------------------------------------------------------------------


def test_a_discussion_token_works_only_for_its_own_community(client_for, community, make_community, member):
    other = make_community("other")
    href = services.discussion_link(community.slug, "playbook.step:1", "Step one", "https://example.org/1")
    token = href.split("?", 1)[1]
    client = client_for(member)
    assert client.get(f"/community/{community.slug}/discuss/?{token}").status_code == 200
    assert client.get(f"/community/{other.slug}/discuss/?{token}").status_code == 404
    assert client.post(f"/community/{other.slug}/discuss/?{token}").status_code == 404
    assert not Thread.objects.filter(community=other).exists()


def test_a_discussion_token_expires(client_for, community, member, monkeypatch):
    href = services.discussion_link(community.slug, "playbook.step:1", "Step one", "https://example.org/1")
    monkeypatch.setattr(links, "DISCUSSION_MAX_AGE", -1)
    assert client_for(member).get(href).status_code == 404


# --- 5. bans ----------------------------------------------------------------------------------------


def test_a_moderator_cannot_ban_another_moderator_or_an_editor(
    community, moderator, user_factory, add_member
):
    colleague = user_factory(username="colleague")
    add_member(community, colleague, role=MembershipRole.MODERATOR)
    with pytest.raises(services.NotAllowed, match="Only an editor"):
        services.set_banned(moderator, community, colleague, True, "disagreement")
    boss = user_factory(username="boss", is_superuser=True)
    with pytest.raises(services.NotAllowed, match="Only an editor"):
        services.set_banned(moderator, community, boss, True, "disagreement")
    assert Membership.objects.get(community=community, user=colleague).status == Status.ACTIVE
    assert not Membership.objects.filter(community=community, user=boss).exists()
    assert not ModerationAction.objects.filter(action="ban").exists()


def test_an_editor_may_ban_a_moderator(community, moderator, editor):
    services.set_banned(editor, community, moderator, True, "abuse")
    assert Membership.objects.get(community=community, user=moderator).status == Status.BANNED


def test_the_ban_button_tells_a_moderator_why_not(client_for, community, moderator, user_factory, add_member):
    colleague = user_factory(username="colleague")
    add_member(community, colleague, role=MembershipRole.MODERATOR)
    thread = services.start_thread(colleague, community, "A question", "Body")
    response = client_for(moderator).post(
        f"/community/{community.slug}/p/{thread.first_post_id}/action/", {"action": "ban"}, follow=True
    )
    assert "Only an editor may ban a moderator or an editor." in response.content.decode()
    assert Membership.objects.get(community=community, user=colleague).status == Status.ACTIVE


# --- 6. the move log --------------------------------------------------------------------------------


def test_moving_to_a_private_community_does_not_name_it_in_the_source_log(
    thread, community, editor, make_community
):
    target = make_community("secret", visibility=Visibility.PRIVATE)
    target.name = "Hush Hush Ministry"
    target.save()
    services.move_thread(editor, thread, target, "belongs there")
    source_log = ModerationAction.objects.get(community=community, action="move")
    assert source_log.detail == f"{community.name} → another community"
    assert ModerationAction.objects.get(community=target, action="move").detail == (
        f"{community.name} → {target.name}"
    )


def test_moving_between_visible_communities_names_both(thread, community, editor, make_community):
    target = make_community("other", visibility=Visibility.MEMBERS)
    services.move_thread(editor, thread, target)
    assert ModerationAction.objects.get(community=community, action="move").detail == (
        f"{community.name} → {target.name}"
    )
