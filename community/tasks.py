"""Background work through Django tasks: notification e-mails, daily digests, invitations (community.emails
writes and sends them)."""

from django_tasks import task

from . import emails


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail notifications to the people who chose "immediately"."""
    return emails.send_immediate(notification_ids)


@task()
def send_digest_email(user_id: int) -> bool:
    """One person's daily digest."""
    return emails.send_digest(user_id)


@task()
def send_invitation(community_id: int, email: str, link: str, inviter_id: int) -> None:
    """E-mail an invitation link to join a community."""
    emails.send_invitation(community_id, email, link, inviter_id)
