"""Knowledge-check hygiene for editors: answer patterns a learner could guess from without knowing.

Two patterns are looked for, in each check and across all the checks of a course:

- place: the right answer of single-choice questions sits in the same place (option N, or the last one);
- length: the right options are longer than every wrong one.

Learners see the options shuffled, so a place pattern does not reach them on the lesson page; it still
shows wherever the authored order does (previews, copies, exports) and betrays a habit worth breaking.
A length pattern survives any shuffle. A pattern is reported when it holds in at least three quarters of
the questions it could hold in (all of them when there are two or three) and random authoring would
produce it at most one time in four: two true/false questions that both start with the right answer are
reported, a coincidence in one question of many is not. Warnings never block saving or loading.
"""

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _

from .blocks import SINGLE
from .knowledge_checks import Check, Question

MAX_CHANCE = Fraction(1, 4)
SHARE = Fraction(3, 4)


@dataclass(frozen=True)
class Pattern:
    """A guessable pattern: `kind` is "position" (option `position`, counted from 1), "last" or "longest"."""

    kind: str
    count: int
    total: int
    chance: Fraction  # how often random authoring would show it at least this strongly
    position: int = 0

    def describe(self) -> str:
        values = {"count": self.count, "total": self.total, "position": self.position}
        if self.kind == "position":
            return (
                _(
                    "The right answer is option %(position)s in %(count)s of %(total)s single-choice "
                    "questions: vary where the right answers sit."
                )
                % values
            )
        if self.kind == "last":
            return (
                _(
                    "The right answer is the last option in %(count)s of %(total)s single-choice questions: "
                    "vary where the right answers sit."
                )
                % values
            )
        return (
            _(
                "The right answers are the longest options in %(count)s of %(total)s questions: make the "
                "wrong options as long and as specific as the right ones."
            )
            % values
        )


def _chance_of_at_least(needed: int, chances: list[Fraction]) -> Fraction:
    """The probability that at least `needed` of independent events with these chances happen."""
    distribution = [Fraction(1)]
    for chance in chances:
        step = [Fraction(0)] * (len(distribution) + 1)
        for happened, probability in enumerate(distribution):
            step[happened] += probability * (1 - chance)
            step[happened + 1] += probability * chance
        distribution = step
    return sum(distribution[needed:], Fraction(0))


def _pattern(
    kind: str,
    questions: list[Question],
    holds: Callable[[Question], bool],
    chance: Callable[[Question], Fraction],
    position: int = 0,
) -> Pattern | None:
    total = len(questions)
    count = sum(1 for question in questions if holds(question))
    if total < 2 or count < max(2, math.ceil(SHARE * total)):
        return None
    probability = _chance_of_at_least(count, [chance(question) for question in questions])
    if probability > MAX_CHANCE:
        return None
    return Pattern(kind, count, total, probability, position)


def _one_in(question: Question) -> Fraction:
    return Fraction(1, len(question.options))


def _right_at(question: Question, index: int) -> bool:
    return index < len(question.options) and question.options[index].is_correct


def _longest_are_right(question: Question) -> bool:
    right = [len(option.text.strip()) for option in question.options if option.is_correct]
    wrong = [len(option.text.strip()) for option in question.options if not option.is_correct]
    return bool(right and wrong) and min(right) > max(wrong)


def _chance_longest_are_right(question: Question) -> Fraction:
    right = len(question.correct_ids)
    if not right or right == len(question.options):
        return Fraction(0)
    return Fraction(1, math.comb(len(question.options), right))


def _place_pattern(questions: list[Question]) -> Pattern | None:
    """The least likely place pattern among single-choice questions, if any."""
    singles = [
        question for question in questions if question.kind == SINGLE and len(question.correct_ids) == 1
    ]
    found = []
    for index in range(max((len(question.options) for question in singles), default=0)):
        found.append(
            _pattern(
                "position",
                singles,
                lambda question, index=index: _right_at(question, index),
                lambda question, index=index: _one_in(question) if index < len(question.options) else 0,
                position=index + 1,
            )
        )
    if len({len(question.options) for question in singles}) > 1:  # else "last" is one of the above
        found.append(_pattern("last", singles, lambda question: question.options[-1].is_correct, _one_in))
    return min((pattern for pattern in found if pattern), key=lambda pattern: pattern.chance, default=None)


def guessable_patterns(questions: Iterable[Question]) -> list[Pattern]:
    """The patterns in these questions (one check's, or a whole course's): place first, then length."""
    questions = [question for question in questions if len(question.options) >= 2]
    patterns = [
        _place_pattern(questions),
        _pattern("longest", questions, _longest_are_right, _chance_longest_are_right),
    ]
    return [pattern for pattern in patterns if pattern]


def _sentences(patterns: list[Pattern]) -> str:
    return " ".join(pattern.describe() for pattern in patterns)


def check_warnings(checks: Mapping[str, Check], lesson: str) -> list[str]:
    """One readable warning per guessable check of a lesson, naming the lesson and the check."""
    warnings = []
    for check in checks.values():
        patterns = guessable_patterns(check.questions)
        if patterns:
            warnings.append(
                _(
                    "Lesson “%(lesson)s”, knowledge check “%(check)s”: learners could guess the answers. "
                    "%(how)s"
                )
                % {"lesson": lesson, "check": check.title, "how": _sentences(patterns)}
            )
    return warnings


def course_warnings(checks: Iterable[Check], course: str) -> list[str]:
    """A warning when the checks of a course, taken together, follow a pattern (two checks at least)."""
    checks = list(checks)
    if len(checks) < 2:
        return []
    patterns = guessable_patterns(question for check in checks for question in check.questions)
    if not patterns:
        return []
    return [
        _(
            "Course “%(course)s”, all %(count)s knowledge checks together: learners could guess the "
            "answers. %(how)s"
        )
        % {"course": course, "count": len(checks), "how": _sentences(patterns)}
    ]
