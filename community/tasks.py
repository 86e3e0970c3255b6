"""Background work through Django tasks: notification e-mails, daily digests, invitations."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from . import notifications
from .models import Community


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail notifications to the people who chose "immediately"."""
    return notifications.send_immediate(notification_ids)


@task()
def send_digest_email(user_id: int) -> bool:
    """One person's daily digest."""
    return notifications.send_digest(user_id)


@task()
def send_invitation(community_id: int, email: str, link: str, inviter_id: int) -> None:
    """E-mail an invitation link to join a community."""
    community = Community.objects.get(pk=community_id)
    inviter = get_user_model().objects.filter(pk=inviter_id).first()
    with translation.override((inviter and inviter.preferred_language) or settings.LANGUAGE_CODE):
        body = render_to_string(
            "community/email/invitation.txt", {"community": community, "inviter": inviter, "link": link}
        )
        subject = _("An invitation to join %(community)s") % {"community": community.name}
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [email])
