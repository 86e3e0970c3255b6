"""Knowledge checks: graded on the server, no answer key in the page, tampering rejected cleanly."""

import pytest

from courses.models import LessonCompletion, QuizAttempt
from tests.courses.conftest import RIGHT, WRONG, lessons_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(make_course):
    return lessons_of(make_course(modules=1, lessons=2, check_in=(1,)))[0]


def submit(client, lesson, answers: dict, attempt="1", check="chk", **extra):
    data = {"action": "check", "check": check, "attempt": attempt, **extra}
    for question, options in answers.items():
        data[f"q-{question}"] = options
    return client.post(lesson.url, data)


def test_rendered_lesson_carries_no_answer_key(user_client, client, lesson):
    for who in (client, user_client):
        html = who.get(lesson.url).content.decode()
        assert 'name="q-chk-q1" value="chk-q1-a"' in html
        for secret in ("is_correct", "FEEDBACK-", "EXPLAIN-", "correct"):
            assert secret not in html


def test_a_right_submission_passes_and_completes_the_lesson(user_client, user, lesson):
    response = submit(user_client, lesson, RIGHT)
    assert response.status_code == 302 and response["Location"].endswith("#check-chk")
    attempt = QuizAttempt.objects.get(user=user)
    assert (attempt.score, attempt.passed, attempt.number) == (100, True, 1)
    assert LessonCompletion.objects.filter(user=user, lesson=lesson).exists()
    html = user_client.get(lesson.url).content.decode()
    assert "You passed with 100%." in html and "FEEDBACK-RIGHT-A" in html and "EXPLAIN-Q1" in html
    assert 'name="q-chk-q1"' not in html  # no further attempts after passing


def test_a_wrong_submission_scores_shows_feedback_and_allows_a_retry(user_client, user, lesson):
    submit(user_client, lesson, WRONG)
    attempt = QuizAttempt.objects.get(user=user)
    assert (attempt.score, attempt.passed) == (0, False)  # a partly right multiple choice is not right
    assert not LessonCompletion.objects.exists()
    html = user_client.get(lesson.url).content.decode()
    assert "FEEDBACK-WRONG-B" in html and "not right" in html
    assert 'name="attempt" value="2"' in html and "1 attempt left." in html


def test_attempts_stop_at_the_editor_limit(user_client, user, lesson):
    submit(user_client, lesson, WRONG, attempt="1")
    submit(user_client, lesson, WRONG, attempt="2")
    response = submit(user_client, lesson, RIGHT, attempt="3")
    assert response.status_code == 400
    assert "You have used all 2 attempts" in response.content.decode()
    assert QuizAttempt.objects.filter(user=user).count() == 2
    assert not LessonCompletion.objects.exists()


def test_a_replayed_submission_is_stored_once(user_client, user, lesson):
    submit(user_client, lesson, WRONG, attempt="1")
    response = submit(user_client, lesson, RIGHT, attempt="1")
    assert response.status_code == 400
    assert "already submitted" in response.content.decode()
    assert QuizAttempt.objects.filter(user=user).count() == 1
    assert not LessonCompletion.objects.exists()


@pytest.mark.parametrize(
    ("answers", "extra", "message"),
    [
        ({"chk-q1": ["chk-q1-a"]}, {}, "Answer every question"),
        ({**RIGHT, "chk-q1": ["chk-q2-a"]}, {}, "not one of its own"),
        ({**RIGHT, "chk-q1": ["nope"]}, {}, "not one of its own"),
        ({**RIGHT, "chk-q1": ["chk-q1-a", "chk-q1-b"]}, {}, "Choose only one answer"),
        ({**RIGHT, "other-question": ["x"]}, {}, "do not match"),
        (RIGHT, {"attempt": "one"}, "form was incomplete"),
        (RIGHT, {"check": "someone-elses-check"}, "does not exist"),
    ],
)
def test_tampered_submissions_get_a_clear_error_and_no_pass(
    user_client, user, lesson, answers, extra, message
):
    response = submit(user_client, lesson, answers, **{"attempt": "1", "check": "chk", **extra})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not QuizAttempt.objects.exists()
    assert not LessonCompletion.objects.exists()


def test_an_option_from_another_lesson_is_rejected(user_client, make_course, lesson):
    other = lessons_of(make_course(title="Other", modules=1, lessons=1, check_in=(1,)))[0]
    response = submit(user_client, other, {**RIGHT, "chk-q1": ["chk-q1-a", "zzz"]})
    assert response.status_code == 400
    assert not QuizAttempt.objects.exists()


def test_another_learners_attempts_are_never_shown(client, user_factory, lesson):
    me, other = user_factory(), user_factory()
    client.force_login(other)
    submit(client, lesson, WRONG)
    client.force_login(me)
    html = client.get(lesson.url).content.decode()
    assert "FEEDBACK-WRONG-B" not in html and "Your last attempt" not in html
    assert 'name="attempt" value="1"' in html
