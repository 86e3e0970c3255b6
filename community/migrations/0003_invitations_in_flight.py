"""Invitations sent before they were stored (their links carry only community and address) become rows,
so that those links still work - once - until they expire, 14 days after they were sent."""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

MAX_AGE = timedelta(days=14)


def store_invitations_in_flight(apps, schema_editor):
    ModerationAction = apps.get_model("community", "ModerationAction")
    Invitation = apps.get_model("community", "Invitation")
    sent = ModerationAction.objects.filter(action="invite", created_at__gte=timezone.now() - MAX_AGE)
    Invitation.objects.bulk_create(
        Invitation(
            community_id=action.community_id,
            email=action.detail.strip().lower(),
            invited_by_id=action.moderator_id,
            created_at=action.created_at,
            expires_at=action.created_at + MAX_AGE,
        )
        for action in sent.iterator()
        if action.detail
    )


class Migration(migrations.Migration):
    dependencies = [("community", "0002_invitations_and_reports")]

    operations = [migrations.RunPython(store_invitations_in_flight, migrations.RunPython.noop)]
