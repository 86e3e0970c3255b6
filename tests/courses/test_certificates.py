"""Certificates: one per learner and course, public verification without personal data, revocation."""

from pathlib import Path

import pytest
from django.utils import timezone

from courses import services
from courses.models import Certificate
from tests.courses.conftest import lessons_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(user, course):
    for lesson in lessons_of(course):
        services.complete_lesson(user, lesson)
    return Certificate.objects.get(user=user, course=course)


def test_code_is_long_and_random(user_factory, make_course, certificate):
    assert len(certificate.code) >= 20
    other = user_factory()
    course = make_course(title="Second", modules=1, lessons=1)
    services.complete_lesson(other, lessons_of(course)[0])
    assert Certificate.objects.get(user=other).code != certificate.code


def test_issue_twice_gives_the_same_certificate(user, course, certificate):
    assert services.issue_certificate(user, course) == certificate
    assert Certificate.objects.count() == 1


def test_verification_page_is_public_and_shows_no_personal_data(client, user, certificate):
    user.display_name = "Amina D."
    user.save()
    response = client.get(f"/certificates/{certificate.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Amina D." in html and certificate.course.title in html and "GovLearn" in html
    assert "This certificate is valid." in html
    assert user.email not in html and user.organisation not in html
    assert "courses/css/certificate-print.css" in html and 'media="print"' in html


def test_unknown_code_is_not_found(client, site):
    assert client.get("/certificates/not-a-real-code/").status_code == 404


def test_revoked_certificate_shows_revoked(client, certificate):
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = "Issued in error."
    certificate.save()
    html = client.get(f"/certificates/{certificate.code}/").content.decode()
    assert "This certificate has been revoked." in html and "Issued in error." in html
    assert "This certificate is valid." not in html


def test_print_stylesheet_is_a4_landscape_and_only_on_the_certificate(client, course):
    from django.contrib.staticfiles import finders

    css = Path(finders.find("courses/css/certificate-print.css")).read_text()
    assert "size: A4 landscape" in css
    assert "certificate-print.css" not in client.get(course.url).content.decode()
