"""What a result page says about itself: why the company is at its step, how its answers
read in words, and which answers moved since an earlier assessment.

Pure: plain dataclasses in and out, no Flask, no database.

The placement is the highest step met with every step below it, so the step above the
placement is never met, and its unmet conditions are the whole reason the company is not
higher (scoring.Result.basis): its gates not met, or the weighted mean of its other
questions below 0.6. A
dimension's score, by contrast, averages its questions on every step, which is why a
company can score well on a dimension and still be at step 0.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TypeVar

from app.assessment.instrument import Instrument, Question
from app.assessment.scoring import STEP_THRESHOLD, YESNO, AnswerError, Result, score_answer
from app.languages import LANGUAGES


@dataclass(frozen=True)
class Why:
    """Why a company is at `placement`: the next step, `step`, is not met because of
    `gates` (its unmet gates the instrument still has, in instrument order) and, when
    `mean_short`, the weighted mean of its other questions (`mean`, 0-1) is below
    `needed`."""

    placement: int
    step: int
    gates: tuple[str, ...]
    mean: float | None
    mean_short: bool
    needed: float = STEP_THRESHOLD


def why_here(instrument: Instrument, result: Result) -> Why | None:
    """Why the result is at its placement and not one step higher; None at the top of the
    ladder, where there is no higher step."""
    basis = result.basis
    if basis.next_step is None:
        return None
    unmet = set(basis.gates)
    gates = tuple(q.id for q in instrument.questions if q.id in unmet)
    mean = result.step(basis.next_step).mean
    return Why(result.placement, basis.next_step, gates, mean, basis.mean is not None)


# --------------------------------------------------------------------------- answers in words


T = TypeVar("T")


def _in(texts: Mapping[str, T], locale: str) -> T:
    if locale in texts:
        return texts[locale]
    return texts[LANGUAGES[0]] if LANGUAGES[0] in texts else next(iter(texts.values()))


def _number_text(value: float) -> str:
    return f"{value:g}"


def answer_labels(
    instrument: Instrument, question: Question, raw: object, locale: str
) -> tuple[str, ...]:
    """A raw answer in the instrument's words in `locale` (Vietnamese when it lacks
    `locale`): one label for yes/partly/no, a scale level, a number (with its unit) or
    "I don't know" (None); the ticked options' labels for a checklist, none when nothing
    is ticked. An answer that no longer fits the question is shown as it was given."""

    choices = instrument.choices
    if raw is None:
        return (_in(choices.unknown, locale),)
    if question.kind == "yesno" and isinstance(raw, str) and raw in YESNO:
        return (_in(choices.yesno, locale)[list(YESNO).index(raw)],)
    if question.kind == "scale" and isinstance(raw, int) and not isinstance(raw, bool):
        levels = _in(choices.scale, locale)
        if 0 <= raw < len(levels):
            return (levels[raw],)
    if question.kind == "checklist" and isinstance(raw, list | tuple):
        ticked = set(raw)
        return tuple(_in(o.labels, locale) for o in question.options if o.id in ticked)
    if question.kind == "number" and isinstance(raw, int | float) and not isinstance(raw, bool):
        unit = question.text(locale).unit
        return (f"{_number_text(raw)} {unit}" if unit else _number_text(raw),)
    return (str(raw),)


# --------------------------------------------------------------------------- a re-take


@dataclass(frozen=True)
class Move:
    """One answer that changed between two assessments: the raw answers before and after
    (None = "I don't know"), their scores, and `taught_by`, the modules that teach the
    question among those the person completed in between (in the question's order)."""

    question_id: str
    before: object
    after: object
    score_before: float
    score_after: float
    taught_by: tuple[str, ...] = ()

    @property
    def direction(self) -> str:
        """ "up" when the answer scores higher now, "down" when lower, "same" when the
        score did not change (an option swapped for another, a number without bands)."""
        if self.score_after > self.score_before:
            return "up"
        if self.score_after < self.score_before:
            return "down"
        return "same"


def _same_answer(question: Question, before: object, after: object) -> bool:
    if before is None or after is None:
        return before is after
    if question.kind == "checklist" and isinstance(before, list | tuple):
        return isinstance(after, list | tuple) and set(before) == set(after)
    if isinstance(before, int | float) and isinstance(after, int | float):
        return float(before) == float(after) and isinstance(before, bool) == isinstance(after, bool)
    return before == after


def _score(question: Question, raw: object) -> float | None:
    try:
        return score_answer(question, raw)
    except AnswerError:
        return None


def moved_answers(
    instrument: Instrument,
    before: Mapping[str, object],
    after: Mapping[str, object],
    completed: Collection[str] = (),
) -> tuple[Move, ...]:
    """The answers that changed from `before` to `after` (question id -> raw answer; a
    missing id is "I don't know"), in instrument order, each with the modules of
    `completed` that teach its question. A checklist's options count in any order, 3 and
    3.0 are the same number; an answer that no longer fits its question (kept from an
    earlier instrument) is left out, since it cannot be compared."""
    moves = []
    for question in instrument.questions:
        was, now = before.get(question.id), after.get(question.id)
        if _same_answer(question, was, now):
            continue
        score_before, score_after = _score(question, was), _score(question, now)
        if score_before is None or score_after is None:
            continue
        taught = tuple(slug for slug in dict.fromkeys(question.modules) if slug in completed)
        moves.append(Move(question.id, was, now, score_before, score_after, taught))
    return tuple(moves)
