"""Knowledge checks as plain data: read from a lesson body, shuffled per learner, validated and scored.

Nothing here touches the database: the answer key is read from the lesson's StreamField and stays on the
server; `courses.services.grade_attempt` stores what this module decides.
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from wagtail.models import Page

from .blocks import REVEAL_AFTER_PASSING, REVEAL_ALWAYS, REVEAL_CHOICES, REVEAL_NEVER
from .records import QuizAttempt

OPTION_ORDER_SALT = "govlearn.courses.option-order"


class CheckError(Exception):
    """A submission that cannot be graded (tampered, incomplete, replayed or over the limit)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Option:
    id: str
    text: str
    is_correct: bool
    feedback: str


@dataclass
class Question:
    id: str
    prompt: str
    kind: str
    explanation: str
    options: list[Option] = field(default_factory=list)

    @property
    def correct_ids(self) -> set[str]:
        return {option.id for option in self.options if option.is_correct}


@dataclass
class Check:
    id: str
    title: str
    pass_mark: int
    max_attempts: int
    questions: list[Question] = field(default_factory=list)
    reveal: str = REVEAL_AFTER_PASSING


def _items(list_value) -> list[tuple[str, object]]:
    """(id, value) pairs of a ListBlock value, whichever form Wagtail handed us."""
    bound = getattr(list_value, "bound_blocks", None)
    if bound is not None:
        return [(str(child.id), child.value) for child in bound]
    return [(str(index), value) for index, value in enumerate(list_value)]


def lesson_checks(lesson: Page) -> dict[str, Check]:
    """The lesson's knowledge checks as plain data, by stream block id (answer key included: server only)."""
    return checks_in_body(lesson.body)


def checks_in_body(body: Iterable) -> dict[str, Check]:
    """The knowledge checks of a lesson body (a StreamValue), by stream block id."""
    checks = {}
    for block in body:
        if block.block_type != "knowledge_check":
            continue
        value = block.value
        questions = []
        for question_id, question in _items(value["questions"]):
            options = [
                Option(option_id, option["text"], bool(option["is_correct"]), option.get("feedback") or "")
                for option_id, option in _items(question["options"])
            ]
            questions.append(
                Question(
                    question_id, question["prompt"], question["kind"], question["explanation"] or "", options
                )
            )
        checks[str(block.id)] = Check(
            str(block.id),
            value["title"],
            int(value["pass_mark"] or 100),
            int(value["max_attempts"] or 0),
            questions,
            _reveal_policy(value.get("reveal_answers")),
        )
    return checks


def _reveal_policy(value: object) -> str:
    known = {choice for choice, _label in REVEAL_CHOICES}
    return str(value) if value in known else REVEAL_AFTER_PASSING


def option_order(question: Question, check_id: str, learner_id: object, attempt_number: int) -> list[Option]:
    """The question's options in the order this learner sees them in this attempt.

    Shuffled per learner, question and attempt, so that the place of an option tells nothing, yet the same
    on every reload of the same attempt: each option is ranked by a keyed hash (HMAC with SECRET_KEY) of
    who, which check, which question, which attempt and which option. Nothing is stored; grading goes by
    option id, so the order never matters to the score.
    """

    def rank(option: Option) -> bytes:
        seed = json.dumps([str(learner_id), check_id, question.id, attempt_number, option.id])
        return salted_hmac(OPTION_ORDER_SALT, seed, algorithm="sha256").digest()

    return sorted(question.options, key=rank)


def answers_revealed(check: Check, attempts_used: int, passed: bool) -> bool:
    """May the learner see the right options (and all feedback) now, under the check's policy?"""
    if check.reveal == REVEAL_NEVER:
        return False
    if check.reveal == REVEAL_ALWAYS:
        return attempts_used > 0
    exhausted = bool(check.max_attempts) and attempts_used >= check.max_attempts
    return passed or exhausted


def parse_answers(check: Check, answers: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Validate a submission against the check; raises CheckError for anything a form could not send."""
    questions = {question.id: question for question in check.questions}
    if set(answers) - set(questions):
        raise CheckError(_("The answers do not match this knowledge check. Reload the lesson and try again."))
    cleaned = {}
    for number, question in enumerate(check.questions, start=1):
        chosen = list(dict.fromkeys(str(value) for value in answers.get(question.id, []) if value))
        if not chosen:
            raise CheckError(
                _("Answer every question before you submit (question %(number)s has no answer).")
                % {"number": number}
            )
        known = {option.id for option in question.options}
        if not set(chosen) <= known:
            raise CheckError(
                _("Question %(number)s got an option that is not one of its own. Reload the lesson.")
                % {"number": number}
            )
        if question.kind == "single" and len(chosen) > 1:
            raise CheckError(_("Choose only one answer for question %(number)s.") % {"number": number})
        cleaned[question.id] = chosen
    return cleaned


def score_answers(check: Check, answers: Mapping[str, Sequence[str]]) -> int:
    """Percent of questions answered exactly right (all the right options and none of the wrong ones)."""
    right = sum(
        1 for question in check.questions if set(answers.get(question.id, [])) == question.correct_ids
    )
    return round(100 * right / len(check.questions)) if check.questions else 0


@dataclass
class ChosenOption:
    text: str
    feedback: str  # empty unless it may be shown


@dataclass
class QuestionResult:
    """What the page may say about one question of an attempt: no field holds a secret it may not show."""

    question_id: str
    number: int
    prompt: str
    right: bool
    chosen: list[ChosenOption]
    explanation: str = ""  # empty unless it may be shown
    right_options: list[str] = field(default_factory=list)  # filled only when the answers are revealed


def attempt_results(check: Check, attempt: QuizAttempt, *, reveal: bool) -> list[QuestionResult]:
    """Which questions of an attempt were right and wrong, and what may be said about them.

    Until the answers are revealed, a wrongly answered question shows only that it was wrong and what the
    learner chose: no option feedback or explanation (either could give the right option away, e.g. "Yes"
    on one of several chosen options). A question answered right gives nothing away, so its feedback shows.
    """
    results = []
    for number, question in enumerate(check.questions, start=1):
        chosen_ids = set(attempt.answers.get(question.id, []))
        right = chosen_ids == question.correct_ids
        speak = reveal or right
        results.append(
            QuestionResult(
                question_id=question.id,
                number=number,
                prompt=question.prompt,
                right=right,
                chosen=[
                    ChosenOption(option.text, option.feedback if speak else "")
                    for option in question.options
                    if option.id in chosen_ids
                ],
                explanation=question.explanation if speak else "",
                right_options=[option.text for option in question.options if option.is_correct]
                if reveal and not right
                else [],
            )
        )
    return results
