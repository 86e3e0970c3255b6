"""The bundled courses load into pages, a second load changes nothing, and editors' changes are kept."""

import pytest

from content.loading import load_all
from courses.knowledge_checks import lesson_checks
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(site):
    return load_all(only=["taxonomies", "courses"])


def test_load_creates_the_catalogue_and_both_courses(loaded, client):
    index = CourseIndexPage.objects.get()
    assert index.show_in_menus and index.search_description and index.live
    titles = set(CoursePage.objects.live().values_list("title", flat=True))
    assert titles == {"GovStack fundamentals", "The wave-1 building blocks"}
    fundamentals = CoursePage.objects.get(slug="govstack-fundamentals")
    wave1 = CoursePage.objects.get(slug="wave-1-building-blocks")
    assert LessonPage.objects.descendant_of(fundamentals).count() == 5
    assert LessonPage.objects.descendant_of(wave1).count() == 6
    assert list(wave1.prerequisites.all()) == [fundamentals]
    assert {block.slug for block in wave1.building_blocks.all()} >= {"payments", "information-mediator"}
    for lesson in LessonPage.objects.all():
        checks = lesson_checks(lesson)
        assert len(checks) == 1, lesson.title
        for check in checks.values():
            for question in check.questions:
                assert question.correct_ids, question.prompt
    html = client.get("/courses/").content.decode()
    assert "GovStack fundamentals" in html and "The wave-1 building blocks" in html


def test_loading_twice_changes_nothing(loaded):
    revisions = {page.pk: page.latest_revision_id for page in CoursePage.objects.all()}
    again = load_all(only=["taxonomies", "courses"])
    assert again.created == [] and again.updated == [] and again.kept == []
    assert CoursePage.objects.count() == 2 and ModulePage.objects.count() == 5
    assert {page.pk: page.latest_revision_id for page in CoursePage.objects.all()} == revisions


def test_an_editors_change_is_kept(loaded, admin_user):
    course = CoursePage.objects.get(slug="govstack-fundamentals")
    course.summary = "Edited by a person"
    course.save_revision(user=admin_user).publish()
    report = load_all(only=["courses"])
    assert "course:govstack-fundamentals" in report.kept
    assert CoursePage.objects.get(pk=course.pk).summary == "Edited by a person"


def test_check_ids_are_stable_across_loads(loaded):
    lesson = LessonPage.objects.get(slug="payments")
    before = list(lesson_checks(lesson))
    load_all(only=["courses"], force=True)
    assert list(lesson_checks(LessonPage.objects.get(pk=lesson.pk))) == before
