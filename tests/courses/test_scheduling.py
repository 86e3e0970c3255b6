"""Editors schedule a course to go live at a date: hidden from the catalogue until then, listed after."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.models import CoursePage

pytestmark = pytest.mark.django_db


def test_a_scheduled_course_stays_hidden_until_its_go_live_date(client, course_index):
    course = CoursePage(title="Scheduled course", slug="scheduled-course", summary="Soon", live=False)
    course_index.add_child(instance=course)
    go_live = timezone.now() + timedelta(days=3)
    course.go_live_at = go_live
    course.save_revision().publish()

    course.refresh_from_db()
    assert not course.live
    assert "Scheduled course" not in client.get("/courses/").content.decode()
    assert client.get("/courses/scheduled-course/").status_code == 404

    # Three days later, the scheduler (`manage.py publish_scheduled`, run from cron) publishes it.
    # Simulate the passing of time by moving the scheduled date into the past.
    past = timezone.now() - timedelta(minutes=1)
    revision = course.latest_revision
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    call_command("publish_scheduled")

    course.refresh_from_db()
    assert course.live
    assert "Scheduled course" in client.get("/courses/").content.decode()
