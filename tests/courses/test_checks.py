"""Knowledge checks: graded on the server, no answer key in the page, tampering rejected cleanly."""

import re

import pytest

from courses.models import LessonCompletion, QuizAttempt
from tests.courses.conftest import RIGHT, WRONG, check_block, lessons_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(make_course):
    return lessons_of(make_course(modules=1, lessons=2, check_in=(1,)))[0]


def submit(client, lesson, answers: dict, attempt="1", check="chk", **extra):
    data = {"check": check, "attempt": attempt, **extra}
    for question, options in answers.items():
        data[f"q-{question}"] = options
    return client.post(f"{lesson.url}check/", data)


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


def test_a_wrong_submission_scores_and_allows_a_retry(user_client, user, lesson):
    submit(user_client, lesson, WRONG)
    attempt = QuizAttempt.objects.get(user=user)
    assert (attempt.score, attempt.passed) == (0, False)  # a partly right multiple choice is not right
    assert not LessonCompletion.objects.exists()
    html = user_client.get(lesson.url).content.decode()
    assert "Your last attempt scored 0%." in html and "not right" in html
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


# Options in a shuffled order, stable per learner and attempt ------------------------------------------


def wide_check(check_id: str = "wide", options: int = 6) -> dict:
    """A check with two single-choice questions of many options: two orders almost never coincide."""
    return {
        "type": "knowledge_check",
        "id": check_id,
        "value": {
            "title": "Wide check",
            "pass_mark": 100,
            "max_attempts": 3,
            "questions": [
                {
                    "type": "item",
                    "id": f"{check_id}-q{q}",
                    "value": {
                        "prompt": f"Question {q}",
                        "kind": "single",
                        "explanation": "",
                        "options": [
                            {
                                "type": "item",
                                "id": f"{check_id}-q{q}-o{o}",
                                "value": {"text": f"Option {q}.{o}", "is_correct": o == 1, "feedback": ""},
                            }
                            for o in range(1, options + 1)
                        ],
                    },
                }
                for q in (1, 2)
            ],
        },
    }


@pytest.fixture
def wide_lesson(make_course):
    lesson = lessons_of(make_course(title="Wide", modules=1, lessons=1))[0]
    lesson.body = [wide_check()]
    lesson.save_revision().publish()
    return lesson


def shown_order(html: str, question: str) -> list[str]:
    return re.findall(rf'name="q-{re.escape(question)}" value="([^"]+)"', html)


def test_two_learners_see_the_options_in_different_orders(client, user_factory, wide_lesson):
    orders = []
    for _ in range(2):
        client.force_login(user_factory())
        html = client.get(wide_lesson.url).content.decode()
        orders.append((shown_order(html, "wide-q1"), shown_order(html, "wide-q2")))
    first, second = orders
    assert sorted(first[0]) == sorted(second[0]) == [f"wide-q1-o{o}" for o in range(1, 7)]
    assert first != second


def test_the_authored_order_is_not_what_learners_see(client, user_factory, wide_lesson):
    authored = [f"wide-q1-o{o}" for o in range(1, 7)]
    seen = []
    for _ in range(3):
        client.force_login(user_factory())
        seen.append(shown_order(client.get(wide_lesson.url).content.decode(), "wide-q1"))
    assert any(order != authored for order in seen)  # on today's code every learner sees the authored order


def test_reloading_the_page_keeps_the_order(user_client, wide_lesson):
    first = user_client.get(wide_lesson.url).content.decode()
    again = user_client.get(wide_lesson.url).content.decode()
    assert shown_order(first, "wide-q1") == shown_order(again, "wide-q1")
    assert shown_order(first, "wide-q2") == shown_order(again, "wide-q2")


def test_a_new_attempt_shows_a_new_order(user_client, wide_lesson):
    before = user_client.get(wide_lesson.url).content.decode()
    wrong = {"wide-q1": ["wide-q1-o2"], "wide-q2": ["wide-q2-o2"]}
    submit(user_client, wide_lesson, wrong, check="wide", attempt="1")
    after = user_client.get(wide_lesson.url).content.decode()
    assert 'name="attempt" value="2"' in after
    assert (shown_order(before, "wide-q1"), shown_order(before, "wide-q2")) != (
        shown_order(after, "wide-q1"),
        shown_order(after, "wide-q2"),
    )


def test_the_order_depends_on_the_secret_key_so_learners_cannot_compute_it(settings):
    from courses.knowledge_checks import Option, Question, option_order

    question = Question("q", "Which?", "single", "", [Option(f"o{n}", f"{n}", n == 1, "") for n in range(8)])
    before = [option.id for option in option_order(question, "chk", 7, 1)]
    assert before == [option.id for option in option_order(question, "chk", 7, 1)]
    settings.SECRET_KEY = "another-secret-key-" * 3
    assert before != [option.id for option in option_order(question, "chk", 7, 1)]


def test_grading_ignores_the_order_shown(user_client, user, wide_lesson):
    right = {"wide-q1": ["wide-q1-o1"], "wide-q2": ["wide-q2-o1"]}
    submit(user_client, wide_lesson, right, check="wide", attempt="1")
    assert QuizAttempt.objects.get(user=user).passed


# After a failed attempt: wrong questions named, selections kept, right answers hidden ---------------------


def test_after_a_failed_attempt_the_right_answers_stay_hidden(user_client, lesson):
    submit(user_client, lesson, WRONG)
    html = user_client.get(lesson.url).content.decode()
    # WRONG chose q1-b (wrong) and only q2-a (a right option, so its feedback would say "right")
    for secret in ("FEEDBACK-", "EXPLAIN-", "The right answer", "correct"):
        assert secret not in html


def test_after_a_failed_attempt_the_wrong_questions_are_named(user_client, lesson):
    submit(user_client, lesson, {"chk-q1": ["chk-q1-a"], "chk-q2": ["chk-q2-c"]})
    html = user_client.get(lesson.url).content.decode()
    assert "Not right: question 2." in html
    assert "Your last answer to this question was not right." in html
    assert "Your last answer to this question was right." in html
    # question 1 was answered right: its feedback gives nothing away; question 2's stays hidden
    assert "FEEDBACK-RIGHT-A" in html and "EXPLAIN-Q1" in html
    assert "FEEDBACK-WRONG-D" not in html and "EXPLAIN-Q2" not in html


def test_after_a_failed_attempt_the_form_keeps_the_selections(user_client, lesson):
    submit(user_client, lesson, WRONG)
    html = user_client.get(lesson.url).content.decode()
    checked = set(re.findall(r'value="([^"]+)" checked', html))
    assert checked == {"chk-q1-b", "chk-q2-a"}
    assert 'autocomplete="off"' in html  # the browser does not restore older choices over them


def test_a_refused_submission_keeps_the_selections(user_client, lesson):
    response = submit(user_client, lesson, {"chk-q1": ["chk-q1-b"], "chk-q2": ["<script>", "chk-q2-c"]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "not one of its own" in html
    assert set(re.findall(r'value="([^"]+)" checked', html)) == {"chk-q1-b", "chk-q2-c"}
    assert "<script>" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_after_passing_the_right_answers_are_shown(user_client, make_course):
    lesson = lessons_of(make_course(modules=1, lessons=1))[0]
    lesson.body = [check_block(pass_mark=50)]
    lesson.save_revision().publish()
    submit(user_client, lesson, {"chk-q1": ["chk-q1-a"], "chk-q2": ["chk-q2-a"]})  # 50%: passed
    html = user_client.get(lesson.url).content.decode()
    assert "You passed with 50%." in html
    assert "The right answers: Payments; Registration" in html
    assert "FEEDBACK-RIGHT-C" in html and "EXPLAIN-Q2" in html


def test_after_using_every_attempt_the_right_answers_are_shown(user_client, lesson):
    submit(user_client, lesson, WRONG, attempt="1")
    assert "The right answer" not in user_client.get(lesson.url).content.decode()
    submit(user_client, lesson, WRONG, attempt="2")
    html = user_client.get(lesson.url).content.decode()
    assert "You have used all your attempts" in html
    assert "The right answer: Information Mediator" in html
    assert "FEEDBACK-WRONG-B" in html and "EXPLAIN-Q1" in html


def test_an_editor_may_show_the_answers_after_every_attempt(user_client, make_course):
    lesson = lessons_of(make_course(modules=1, lessons=1))[0]
    lesson.body = [check_block(reveal="always")]
    lesson.save_revision().publish()
    submit(user_client, lesson, WRONG)
    html = user_client.get(lesson.url).content.decode()
    assert "The right answer: Information Mediator" in html and "FEEDBACK-WRONG-B" in html
    assert 'name="attempt" value="2"' in html  # and may still try again


def test_an_editor_may_never_show_the_answers(user_client, make_course):
    lesson = lessons_of(make_course(modules=1, lessons=1))[0]
    lesson.body = [check_block(reveal="never")]
    lesson.save_revision().publish()
    submit(user_client, lesson, WRONG, attempt="1")
    submit(user_client, lesson, WRONG, attempt="2")
    html = user_client.get(lesson.url).content.decode()
    assert "You have used all your attempts" in html
    for secret in ("FEEDBACK-", "EXPLAIN-", "The right answer"):
        assert secret not in html


def test_an_option_of_another_check_on_the_same_lesson_is_refused(user_client, make_course):
    lesson = lessons_of(make_course(modules=1, lessons=1))[0]
    lesson.body = [check_block("chk"), check_block("chk2")]
    lesson.save_revision().publish()
    response = submit(user_client, lesson, {**RIGHT, "chk-q1": ["chk2-q1-a"]})
    assert response.status_code == 400
    assert "Question 1 got an option that is not one of its own" in response.content.decode()
    assert not QuizAttempt.objects.exists()
