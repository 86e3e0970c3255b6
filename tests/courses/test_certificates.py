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


def test_verification_page_is_public_and_shows_no_personal_data(client, user_factory, course):
    user = user_factory(display_name="Amina D.")
    for lesson in lessons_of(course):
        services.complete_lesson(user, lesson)
    certificate = Certificate.objects.get(user=user, course=course)
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


# The name and course title as issued --------------------------------------------------------------------


@pytest.fixture
def amina_certificate(user_factory, course):
    amina = user_factory(display_name="Amina D.", first_name="Amina", last_name="Diallo")
    for lesson in lessons_of(course):
        services.complete_lesson(amina, lesson)
    return Certificate.objects.get(user=amina, course=course)


def rename_everything(certificate):
    user = certificate.user
    user.display_name = "Someone Else"
    user.first_name, user.last_name = "Some", "One"
    user.save()
    course = certificate.course
    course.title = "A renamed course"
    course.save_revision().publish()


def test_a_certificate_stores_the_name_and_title_at_issue(amina_certificate):
    assert (amina_certificate.recipient_name, amina_certificate.course_title) == (
        "Amina D.",
        "GovStack basics",
    )


def test_the_certificate_page_keeps_the_name_and_title_after_renames(client, amina_certificate):
    rename_everything(amina_certificate)
    html = client.get(f"/certificates/{amina_certificate.code}/").content.decode()
    assert "Amina D." in html and "GovStack basics" in html
    assert "Someone Else" not in html and "A renamed course" not in html


def test_my_learning_shows_the_certificate_as_issued(client, amina_certificate):
    rename_everything(amina_certificate)
    client.force_login(amina_certificate.user)
    html = client.get("/me/").content.decode()
    assert "A renamed course" in html  # the course link names the course as it is now…
    assert "Issued for “GovStack basics” to Amina D." in html  # …the certificate as it was issued
    assert "Someone Else" not in html.split('aria-labelledby="my-courses"', 1)[1].split("</section>", 1)[0]


def test_issuing_again_changes_nothing_on_an_issued_certificate(amina_certificate):
    rename_everything(amina_certificate)
    again = services.issue_certificate(amina_certificate.user, amina_certificate.course)
    assert (again.pk, again.recipient_name, again.course_title) == (
        amina_certificate.pk,
        "Amina D.",
        "GovStack basics",
    )


def test_a_learner_without_a_name_gets_the_neutral_name_never_the_email(user_factory, course):
    learner = user_factory(display_name="", first_name="", last_name="")
    for lesson in lessons_of(course):
        services.complete_lesson(learner, lesson)
    certificate = Certificate.objects.get(user=learner)
    assert certificate.recipient_name == "GovLearn member"
    assert learner.email not in certificate.recipient_name


def test_a_very_long_name_and_title_are_cut_to_fit(user_factory, make_course):
    learner = user_factory(display_name="", first_name="A" * 150, last_name="B" * 150)
    course = make_course(title="T" * 255, modules=1, lessons=1)
    services.complete_lesson(learner, lessons_of(course)[0])
    certificate = Certificate.objects.get(user=learner)
    assert len(certificate.recipient_name) <= 300 and certificate.recipient_name.startswith("AAA")
    assert certificate.course_title == "T" * 255
