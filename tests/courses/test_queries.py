"""Query counts stay fixed however much there is: catalogue, course, lesson and /me/."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.models import CoursePage, Enrolment, LessonCompletion
from courses.wagtail_hooks import courses_panel
from tests.courses.conftest import lessons_of

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_catalogue_with_100_courses(client, user, make_course, django_assert_max_num_queries):
    client.force_login(user)
    first = make_course(title="Course 0", modules=1, lessons=2)
    services.complete_lesson(user, lessons_of(first)[0])
    small = count_queries(client, "/courses/")
    for number in range(1, 100):
        course = make_course(title=f"Course {number}", modules=1, lessons=1)
        if number % 5 == 0:
            services.enrol(user, course)
    assert CoursePage.objects.count() == 100
    with django_assert_max_num_queries(small):
        response = client.get("/courses/?page=2")
    html = response.content.decode()
    assert "Page 2 of 9" in html
    with django_assert_max_num_queries(small):
        html = client.get("/courses/?q=Course+10&level=introductory&language=en").content.decode()
    assert "Course 10" in html and "Course 2<" not in html


def test_course_page_with_10_modules_of_10_lessons(client, user, make_course, django_assert_max_num_queries):
    client.force_login(user)
    small = make_course(title="Small", modules=1, lessons=1)
    services.enrol(user, small)
    baseline = count_queries(client, small.url)
    big = make_course(title="Big", modules=10, lessons=10)
    for lesson in lessons_of(big)[:30]:
        services.complete_lesson(user, lesson)
    with django_assert_max_num_queries(baseline):
        html = client.get(big.url).content.decode()
    assert "30 of 100 lessons complete" in html and html.count('class="is-done"') == 30


def test_lesson_page_in_a_big_course(client, user, make_course, django_assert_max_num_queries):
    client.force_login(user)
    small = make_course(title="Small", modules=1, lessons=2, check_in=(1,))
    services.enrol(user, small)
    baseline = count_queries(client, lessons_of(small)[0].url)
    big = make_course(title="Big", modules=10, lessons=10, check_in=(45,))
    services.enrol(user, big)
    lessons = lessons_of(big)
    for lesson in lessons[:40]:
        services.complete_lesson(user, lesson)
    with django_assert_max_num_queries(baseline):
        html = client.get(lessons[44].url).content.decode()
    assert "Lesson 45 of 100" in html


def render_my_courses(rf, user) -> str:
    """The courses panel exactly as /me/ composes it (other apps' panels are theirs to test)."""
    request = rf.get("/me/")
    request.user = user
    panel = courses_panel(request)
    return render_to_string(panel.template, {"panel": panel.context}, request=request)


def test_my_learning_with_20_enrolments(rf, user, make_course, django_assert_max_num_queries):
    first = make_course(title="Course 0", modules=1, lessons=2)
    services.complete_lesson(user, lessons_of(first)[0])
    with CaptureQueriesContext(connection) as context:
        render_my_courses(rf, user)
    baseline = len(context.captured_queries)
    for number in range(1, 20):
        course = make_course(title=f"Course {number}", modules=2, lessons=2)
        services.enrol(user, course)
        for lesson in lessons_of(course)[: number % 5]:
            services.complete_lesson(user, lesson)
    assert Enrolment.objects.filter(user=user).count() == 20
    with django_assert_max_num_queries(baseline):
        html = render_my_courses(rf, user)
    assert "My courses" in html and "Course 19" in html and "Certificate" in html
    assert "25% complete" in html  # Course 1: 1 of 4 lessons


def test_my_learning_shows_only_my_courses(rf, user_factory, course):
    me, other = user_factory(), user_factory()
    for lesson in lessons_of(course):
        services.complete_lesson(other, lesson)
    html = render_my_courses(rf, me)
    assert "not enrolled in any course" in html and course.title not in html
    assert LessonCompletion.objects.filter(user=me).count() == 0
