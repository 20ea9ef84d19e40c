"""Server-side grading of one response to one question, and seeded shuffling and drawing.

Response shapes, by question kind (indices are positions in `question.answers`, in the
order of the GIFT file, whatever order the page showed them in):

| kind        | response                                           |
|-------------|----------------------------------------------------|
| single      | `int`, the chosen answer                           |
| multi       | a set (or any collection) of `int`, the chosen ones |
| truefalse   | `bool`                                             |
| short       | `str`, as typed                                    |
| numerical   | `str` as typed ("2,5" is 2.5), or an int or float  |
| matching    | `Mapping[int, str]`: item index -> chosen match text |
| essay       | `str` (kept for a human; not graded here)          |
| description | ignored                                            |

A missing (None), empty or malformed response scores 0; grading never raises on what a
browser sends.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from app.numbers import number_readings
from app.quizzes.gift import Answer, Question

Response = int | bool | str | float | Collection[int] | Mapping[int, str] | None
Seed = int | str

T = TypeVar("T")

_SPACE = re.compile(r"\s+")
_WILDCARD = re.compile(r"(?<!\\)\*+")


@dataclass(frozen=True)
class Grade:
    """The result of grading one response.

    - `score`: 0.0 to 1.0, to be multiplied by the question's mark.
    - `graded`: False when no score can be given automatically (essay, description).
    - `feedback`: the answer feedback texts that apply to this response, in answer order.
    - `general_feedback`: the question's explanation, shown whatever the response.
    - `matched`: indices of the answers the response chose or matched (for matching, the
      items matched correctly).
    """

    score: float
    graded: bool = True
    feedback: tuple[str, ...] = ()
    general_feedback: str = ""
    matched: tuple[int, ...] = ()

    @property
    def correct(self) -> bool:
        """Whether the response earned full marks."""
        return self.graded and self.score >= 1.0 - 1e-9


def grade(question: Question, response: Response) -> Grade:
    """Grade a response with the grader registered for the question's kind."""
    try:
        grader = GRADERS[question.kind]
    except KeyError:
        raise ValueError(f"no grader for questions of kind {question.kind!r}") from None
    return grader(question, response)


def is_scored(question: Question) -> bool:
    """Whether the question counts towards an attempt's score (a description does not)."""
    return question.kind != "description"


def right_answers(question: Question) -> tuple[int, ...]:
    """Indices of the answers to show as right after submission: those worth full marks,
    every positively weighted one for multiple response, every pair for matching."""
    answers = question.answers
    if question.kind == "multi":
        return tuple(i for i, a in enumerate(answers) if a.fraction > 0)
    if question.kind == "matching":
        return tuple(i for i, a in enumerate(answers) if a.text)
    if not answers:
        return ()
    best = max(a.fraction for a in answers)
    return tuple(i for i, a in enumerate(answers) if a.fraction == best and best > 0)


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _chosen(question: Question, indices: Sequence[int], score: float) -> Grade:
    answers = question.answers
    return Grade(
        score=_clamp(score),
        feedback=tuple(answers[i].feedback for i in indices if answers[i].feedback),
        general_feedback=question.general_feedback,
        matched=tuple(indices),
    )


def _nothing(question: Question) -> Grade:
    return Grade(0.0, general_feedback=question.general_feedback)


def _is_index(value: object, question: Question) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and 0 <= value < len(question.answers)
    )


def grade_single(question: Question, response: Response) -> Grade:
    """One chosen answer: its weight, never below 0."""
    if not _is_index(response, question):
        return _nothing(question)
    return _chosen(question, [response], question.answers[response].fraction)


def grade_multi(question: Question, response: Response) -> Grade:
    """Several chosen answers: the sum of their weights, kept between 0 and 1."""
    if isinstance(response, str | bytes | Mapping) or not isinstance(response, Collection):
        return _nothing(question)
    indices = sorted({i for i in response if _is_index(i, question)})
    if not indices:
        return _nothing(question)
    return _chosen(question, indices, math.fsum(question.answers[i].fraction for i in indices))


def grade_truefalse(question: Question, response: Response) -> Grade:
    """True or False: the weight of the matching answer (TRUE is answer 0, FALSE answer 1)."""
    if not isinstance(response, bool):
        return _nothing(question)
    index = 0 if response else 1
    return _chosen(question, [index], question.answers[index].fraction)


def normalise_text(text: str) -> str:
    """Text as short answers compare it: NFC, case folded, whitespace trimmed and collapsed."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    return _SPACE.sub(" ", folded).strip()


def matches_short_answer(response: str, pattern: str) -> bool:
    """Whether a typed response matches a short answer, Moodle's way: `*` stands for any
    run of characters, `\\*` for a literal asterisk; case and spacing do not matter."""
    bits = _WILDCARD.split(normalise_text(pattern))
    regex = ".*".join(re.escape(bit.replace("\\*", "*")) for bit in bits)
    return re.fullmatch(regex, normalise_text(response), flags=re.DOTALL) is not None


def _best(question: Question, matching: list[int]) -> Grade:
    if not matching:
        return _nothing(question)
    # The best weighted answer counts; among equals, the first in the file.
    best = max(matching, key=lambda i: (question.answers[i].fraction, -i))
    return _chosen(question, [best], question.answers[best].fraction)


def grade_short(question: Question, response: Response) -> Grade:
    """A typed answer: the best weighted answer it matches."""
    if not isinstance(response, str) or not normalise_text(response):
        return _nothing(question)
    matching = [i for i, a in enumerate(question.answers) if matches_short_answer(response, a.text)]
    return _best(question, matching)


def parse_number(typed: str | int | float) -> float | None:
    """A typed number's likeliest value (see app.numbers.number_readings), or None."""
    readings = number_readings(typed)
    return readings[0] if readings else None


def _within(value: float, answer: Answer) -> bool:
    interval = answer.numeric_range()
    if interval is None:
        return True
    low, high = interval
    # As Moodle does, allow for the rounding of decimal fractions in binary floats.
    slack = 1e-9 * max(1.0, abs(low), abs(high))
    return low - slack <= value <= high + slack


def grade_numerical(question: Question, response: Response) -> Grade:
    """A typed number: the best weighted answer whose tolerance or range holds it."""
    values = number_readings(response) if isinstance(response, str | int | float) else ()
    matching = [i for i, a in enumerate(question.answers) if any(_within(v, a) for v in values)]
    return _best(question, matching)


def _match_key(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def grade_matching(question: Question, response: Response) -> Grade:
    """Item index -> chosen match: the share of items matched right (distractors aside)."""
    items = [i for i, a in enumerate(question.answers) if a.text]
    if not isinstance(response, Mapping) or not items:
        return _nothing(question)
    right = tuple(
        i
        for i in items
        if isinstance(response.get(i), str)
        and _match_key(response[i]) == _match_key(question.answers[i].match or "")
    )
    return Grade(
        score=len(right) / len(items), general_feedback=question.general_feedback, matched=right
    )


def grade_essay(question: Question, response: Response) -> Grade:
    """An essay waits for a human: not graded."""
    return Grade(0.0, graded=False, general_feedback=question.general_feedback)


def grade_description(question: Question, response: Response) -> Grade:
    """A description asks nothing: not scored."""
    return Grade(0.0, graded=False)


GRADERS: dict[str, Callable[[Question, Response], Grade]] = {
    "single": grade_single,
    "multi": grade_multi,
    "truefalse": grade_truefalse,
    "short": grade_short,
    "numerical": grade_numerical,
    "matching": grade_matching,
    "essay": grade_essay,
    "description": grade_description,
}


def percent(grades: Iterable[Grade]) -> float:
    """An attempt's score in percent: the mean score of its graded questions (essays and
    descriptions do not count), from 0 to 100; 100 when nothing in it is graded."""
    scores = [g.score for g in grades if g.graded]
    if not scores:
        return 100.0
    return min(100.0, max(0.0, round(100 * math.fsum(scores) / len(scores), 6)))


def _rng(seed: Seed, *salt: str) -> random.Random:
    if not isinstance(seed, int | str) or isinstance(seed, bool):
        raise TypeError("a seed is an int or a str, so that it is stable across processes")
    # A str seed is hashed with SHA-512 by random.Random: stable across runs and machines.
    return random.Random("\x1f".join([str(seed), *salt]))  # noqa: S311 - not security


def shuffled(items: Sequence[T], seed: Seed) -> list[T]:
    """A copy of `items` in an order that depends only on the seed."""
    order = list(items)
    _rng(seed).shuffle(order)
    return order


def answer_order(question: Question, seed: Seed) -> tuple[int, ...]:
    """The order to show a question's answers in (indices into `question.answers`),
    stable for one seed, such as the attempt's id: a reload shows the same order.

    Choices are shuffled; true/false keeps TRUE, FALSE; matching shuffles its items
    (distractors are not items; see `match_choices`); other kinds keep file order."""
    answers = question.answers
    if question.kind in ("single", "multi"):
        indices = list(range(len(answers)))
    elif question.kind == "matching":
        indices = [i for i, a in enumerate(answers) if a.text]
    else:
        return tuple(range(len(answers)))
    _rng(seed, question.title, "answers").shuffle(indices)
    return tuple(indices)


def match_choices(question: Question, seed: Seed) -> tuple[str, ...]:
    """The distinct match texts of a matching question, distractors included, in a
    seeded order: the options offered next to every item."""
    choices = list(dict.fromkeys(a.match for a in question.answers if a.match))
    _rng(seed, question.title, "matches").shuffle(choices)
    return tuple(choices)


def draw(pool: Sequence[Question], count: int, seed: Seed) -> list[Question]:
    """Draw `count` different questions from a pool, stable for one seed; the drawn
    questions keep their order in the pool. The whole pool when count >= its size."""
    if count < 0:
        raise ValueError("cannot draw a negative number of questions")
    if count >= len(pool):
        return list(pool)
    chosen = sorted(_rng(seed, "draw").sample(range(len(pool)), count))
    return [pool[i] for i in chosen]
