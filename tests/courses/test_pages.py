"""Course page types: placed only where they belong, renderable, editable, previewable."""

import pytest
from django.test import override_settings
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from govlearn.models import HomePage
from tests.courses.conftest import check_block

pytestmark = pytest.mark.django_db


# Wagtail's page test helpers sign in a superuser of their own, without a second factor.
@override_settings(STAFF_MFA_REQUIRED=False)
class TestCoursePageTypes(WagtailPageTestCase):
    def setUp(self):
        from govlearn.setup import setup_site

        setup_site()
        self.home = HomePage.objects.get()
        self.index = CourseIndexPage(title="Courses", slug="courses", show_in_menus=True)
        self.home.add_child(instance=self.index)
        self.course = CoursePage(title="Basics", summary="The basics")
        self.index.add_child(instance=self.course)
        self.module = ModulePage(title="Module", slug="module")
        self.course.add_child(instance=self.module)
        self.lesson = LessonPage(
            title="First lesson",
            slug="first",
            body=[{"type": "markdown", "id": "m1", "value": "Hello **learners**"}, check_block()],
        )
        self.module.add_child(instance=self.lesson)

    def test_each_type_lives_only_where_it_belongs(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertAllowedSubpageTypes(LessonPage, {})
        self.assertCanNotCreateAt(Page, CoursePage)
        self.assertCanNotCreateAt(HomePage, LessonPage)
        self.assertCanCreateAt(ModulePage, LessonPage)

    def test_only_one_catalogue_per_home(self):
        self.assertFalse(CourseIndexPage.can_create_at(self.home))

    def test_pages_render_edit_and_preview(self):
        for page in (self.index, self.course, self.module):
            self.assertPageIsRenderable(page)
            self.assertPageIsEditable(page)
            self.assertPageIsPreviewable(page)
        self.assertPageIsRenderable(self.lesson)
        lesson_data = nested_form_data(
            {
                "title": "First lesson",
                "slug": "first",
                "estimated_minutes": 12,
                "body": streamfield([("markdown", "Hello **learners**")]),
            }
        )
        self.assertPageIsEditable(self.lesson, post_data=lesson_data)
        self.assertPageIsPreviewable(self.lesson, post_data=lesson_data)


def test_catalogue_is_in_the_main_navigation(client, course_index):
    html = client.get("/").content.decode()
    assert 'href="/courses/"' in html


def test_lesson_renders_shared_blocks_and_check_questions(client, make_course):
    course = make_course(check_in=(1,))
    response = client.get(f"{course.url}module-1/lesson-1/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lesson text 1" in html
    assert "Which building block exchanges data securely?" in html
    assert "Lesson 1 of 6" in html


def test_catalogue_filters_keep_their_values_and_pagination_encodes_the_query(client, make_course):
    for number in range(13):
        make_course(title=f"Data & registries {number}", modules=1, lessons=1)
    html = client.get("/courses/", {"q": "Data & registries", "level": "introductory"}).content.decode()
    assert '<option value="introductory" selected>' in html
    assert "q=Data+%26+registries" in html and "level=introductory" in html
    assert 'href="?q=Data &amp; registries' not in html


def test_a_module_cannot_take_the_address_of_a_course_route(course):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        course.add_child(instance=ModulePage(title="Enrolment", slug="enrolment"))
    assert "slug" in refused.value.message_dict
    course.add_child(instance=ModulePage(title="Enrolling well", slug="enrolling-well"))


def test_catalogue_search_matches_the_words_of_a_course_not_its_markup(client, make_course):
    make_course(
        title="Payments basics",
        modules=1,
        lessons=1,
        description='<p><a href="https://example.org">Read</a> <strong>first</strong></p>',
        learning_outcomes="Reconcile mobile-money settlements",
    )
    make_course(title="Registries", modules=1, lessons=1)
    found = client.get("/courses/", {"q": "settlements"}).content.decode()
    assert "Payments basics" in found and "Registries<" not in found
    for markup in ("strong", "href"):
        html = client.get("/courses/", {"q": markup}).content.decode()
        assert "Payments basics" not in html and "No course matches these filters." in html
