"""Data migrations: certificates issued before names were stored get today's name and course title."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from courses.models import Certificate
from tests.courses.conftest import lessons_of

BEFORE = ("courses", "0003_lessonpage_body_reveal_answers")
AFTER = ("courses", "0004_certificate_name_and_title_at_issue")  # the migration under test


def migrate(target: tuple[str, str] | None = None):
    """Migrate the test database to `target`, or to the latest migrations of every app."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = [target] if target else executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_certificates_get_the_current_name_and_title(user_factory, make_course):
    named = user_factory(display_name="Amina D.")
    full_name_only = user_factory(display_name="", first_name="Kofi", last_name="Mensah")
    nameless = user_factory(display_name="", first_name="", last_name="")
    course = make_course(title="GovStack basics", modules=1, lessons=1)
    lessons_of(course)  # the course exists with a lesson; certificates are made below, as before 0003
    try:
        old_apps = migrate(BEFORE)
        OldCertificate = old_apps.get_model("courses", "Certificate")
        for number, person in enumerate((named, full_name_only, nameless)):
            OldCertificate.objects.create(
                code=f"code-{number}", user_id=person.pk, course_id=course.pk, issuer="GovLearn"
            )
        migrate(AFTER)  # the data migration runs here
    finally:
        migrate()
    issued = {
        certificate.user_id: (certificate.recipient_name, certificate.course_title)
        for certificate in Certificate.objects.all()
    }
    assert issued == {
        named.pk: ("Amina D.", "GovStack basics"),
        full_name_only.pk: ("Kofi Mensah", "GovStack basics"),
        nameless.pk: ("GovLearn member", "GovStack basics"),
    }
