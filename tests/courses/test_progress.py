"""Enrolment, lesson completion, "Continue where you left off", lesson position and navigation."""

import pytest

from courses import services
from courses.models import Certificate, Enrolment, LessonCompletion
from tests.courses.conftest import lessons_of

pytestmark = pytest.mark.django_db


def test_enrol_and_leave_by_post(user_client, user, course):
    response = user_client.post(f"{course.url}enrolment/", {"action": "enrol"})
    assert response.status_code == 302 and response["Location"] == course.url
    assert Enrolment.objects.filter(user=user, course=course).count() == 1
    user_client.post(f"{course.url}enrolment/", {"action": "enrol"})
    assert Enrolment.objects.filter(user=user, course=course).count() == 1
    html = user_client.get(course.url).content.decode()
    assert "Start the course" in html and "Leave the course" in html
    user_client.post(f"{course.url}enrolment/", {"action": "leave"})
    assert not Enrolment.objects.filter(user=user, course=course).exists()


def test_anonymous_can_read_but_enrolling_asks_to_sign_in(client, course):
    lesson = lessons_of(course)[0]
    assert client.get(lesson.url).status_code == 200
    response = client.post(f"{course.url}enrolment/", {"action": "enrol"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(f"{lesson.url}complete/")
    assert "/accounts/login/" in response["Location"]
    assert not LessonCompletion.objects.exists()


def test_completing_a_lesson_enrols_and_double_submit_counts_once(user_client, user, course):
    lesson = lessons_of(course)[0]
    for _ in range(2):
        response = user_client.post(f"{lesson.url}complete/")
        assert response.status_code == 302
    assert LessonCompletion.objects.filter(user=user, lesson=lesson).count() == 1
    assert Enrolment.objects.filter(user=user, course=course).exists()
    html = user_client.get(lesson.url).content.decode()
    assert "You have completed this lesson." in html


def test_completion_with_javascript_answers_json(user_client, user, course):
    lesson = lessons_of(course)[0]
    response = user_client.post(f"{lesson.url}complete/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["completed"] is True
    assert LessonCompletion.objects.filter(user=user, lesson=lesson).exists()


def test_lesson_shows_position_progress_and_navigation_across_modules(client, course):
    lessons = lessons_of(course)
    html = client.get(lessons[3].url).content.decode()  # first lesson of module 2
    assert "Lesson 4 of 6" in html
    assert '<progress class="lesson__progress" max="6" value="4"' in html
    assert f'rel="prev" href="{lessons[2].url}"' in html  # last lesson of module 1
    assert f'rel="next" href="{lessons[4].url}"' in html
    assert "script-src" not in html and "<script>" not in html
    assert 'src="/static/courses/lesson.js" defer' in html


def test_continue_is_the_first_unfinished_lesson_after_the_last_visited(user_client, user, course):
    lessons = lessons_of(course)
    services.enrol(user, course)
    for lesson in lessons[:2] + [lessons[3]]:
        services.complete_lesson(user, lesson)
    user_client.get(lessons[3].url)  # visited lesson 4 last
    assert Enrolment.objects.get(user=user).last_lesson_id == lessons[3].pk
    html = user_client.get(course.url).content.decode()
    assert "Continue where you left off" in html
    assert f'class="button" href="{lessons[4].url}"' in html
    user_client.get(lessons[5].url)  # lesson 6 visited: after it, wrap round to lesson 3
    html = user_client.get(course.url).content.decode()
    assert f'class="button" href="{lessons[5].url}"' in html
    services.complete_lesson(user, lessons[5])
    html = user_client.get(course.url).content.decode()
    assert f'class="button" href="{lessons[2].url}"' in html


def test_outline_marks_only_my_completions(client, user_factory, course):
    me, other = user_factory(), user_factory()
    lessons = lessons_of(course)
    services.complete_lesson(other, lessons[0])
    services.complete_lesson(other, lessons[1])
    services.complete_lesson(me, lessons[2])
    client.force_login(me)
    html = client.get(course.url).content.decode()
    assert html.count('class="is-done"') == 1
    assert "1 of 6 lessons complete" in html


def test_completing_every_lesson_completes_the_course_once(user, course):
    lessons = lessons_of(course)
    for lesson in lessons[:-1]:
        assert services.complete_lesson(user, lesson).course_completed is False
    result = services.complete_lesson(user, lessons[-1])
    assert result.course_completed and result.certificate is not None
    again = services.complete_lesson(user, lessons[-1])
    assert again.newly_completed is False
    assert Certificate.objects.filter(user=user, course=course).count() == 1
    assert Enrolment.objects.get(user=user, course=course).completed_at is not None


def test_a_lesson_with_a_check_completes_only_by_passing_it(user_client, user, make_course):
    course = make_course(modules=1, lessons=1, check_in=(1,))
    lesson = lessons_of(course)[0]
    response = user_client.post(f"{lesson.url}complete/")
    assert response.status_code == 400
    assert "Pass the knowledge check" in response.content.decode()
    assert not LessonCompletion.objects.exists()


def test_unknown_action_is_a_bad_request(user_client, course):
    assert user_client.post(course.url, {"action": "explode"}).status_code == 400
    assert user_client.post(f"{course.url}enrolment/", {"action": "explode"}).status_code == 400
    assert user_client.post(lessons_of(course)[0].url, {"action": "explode"}).status_code == 400


def test_a_privacy_restricted_lesson_neither_counts_nor_appears_on_my_learning(user_client, user, course):
    from wagtail.models import PageViewRestriction

    lessons = lessons_of(course)
    restricted = lessons[-1]
    restricted.title = "Internal briefing for staff"
    restricted.save_revision().publish()
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.create(
        page=lessons[-2], restriction_type=PageViewRestriction.PASSWORD, password="secret-words"
    )
    assert restricted.pk not in course.live_lesson_ids()
    for lesson in lessons[:-2]:
        services.complete_lesson(user, lesson)
    assert Certificate.objects.filter(user=user).exists()
    assert "Internal briefing for staff" not in user_client.get("/me/").content.decode()


def test_a_form_rendered_before_the_actions_had_routes_still_works(user_client, user, course):
    """A tab opened before the release posts to the page itself: a 307 carries the POST to the route."""
    lesson = lessons_of(course)[0]
    response = user_client.post(course.url, {"action": "enrol"})
    assert response.status_code == 307 and response["Location"] == f"{course.url}enrolment/"
    user_client.post(course.url, {"action": "enrol"}, follow=True)
    assert Enrolment.objects.filter(user=user, course=course).exists()
    user_client.post(lesson.url, {"action": "complete"}, follow=True)
    assert LessonCompletion.objects.filter(user=user, lesson=lesson).exists()


def test_the_action_routes_take_only_posts(user_client, user, course):
    lesson = lessons_of(course)[0]
    for url in (f"{course.url}enrolment/", f"{lesson.url}complete/", f"{lesson.url}check/"):
        assert user_client.get(url).status_code == 405
    assert not Enrolment.objects.filter(user=user).exists()


def test_a_restricted_lesson_cannot_be_completed_through_its_route(user_client, user, course):
    from wagtail.models import PageViewRestriction

    lesson = lessons_of(course)[0]
    PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.PASSWORD, password="secret-words"
    )
    response = user_client.post(f"{lesson.url}complete/")
    assert response.status_code == 200 and 'name="password"' in response.content.decode()
    assert not LessonCompletion.objects.filter(user=user).exists()
