"""Under `make run`, scheduled pages go live without anybody running a command (publish_scheduled_loop)."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def test_the_loop_publishes_a_page_whose_time_has_come(home_page):
    page = Page(title="Announcement", slug="announcement", live=False)
    home_page.add_child(instance=page)
    page.go_live_at = timezone.now() + timedelta(hours=1)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live
    revision = page.latest_revision
    past = timezone.now() - timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])

    call_command("publish_scheduled_loop", "--times", "1")

    page.refresh_from_db()
    assert page.live


def test_make_run_starts_the_loop_beside_the_server_and_stops_it_with_it():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    run = makefile[makefile.index("\nrun:") : makefile.index("\nlint:")]
    assert re.search(r"publish_scheduled_loop & scheduler=\$\$!; trap 'kill \$\$scheduler", run)
    assert run.index("publish_scheduled_loop") < run.index("runserver")
