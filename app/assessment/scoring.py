"""Scoring of the maturity assessment: answers in, a placement on the 7-step ladder out.

Pure: plain dataclasses in and out, no Flask, no database.

Answers are a mapping of question id to the raw answer, by kind:

    yesno      "yes" | "partly" | "no"                   scores 1 / 0.5 / 0
    scale      0-5 (not used … in daily use and measured)  scores n / 5
    checklist  the ids of the ticked options               scores min(1, ticked / needed)
    number     a number within the question's min/max     scored by its bands, if any

`None` (or a missing id) means "I don't know": it scores 0 and is listed as unknown,
never as "no". A number question without bands is not scored; its answer is kept in
`Result.numbers` (for the CRM KPI lessons) and plays no part in steps or dimensions.

A gate is met in full when it scores at least 0.75 (yes, a scale level of 4 or 5, three
quarters of the ticks needed) and partly when it scores at least 0.5 (partly, level 3,
half the ticks). "Partly" on a gate is a deliberate rule, not the accident of 0.5 being
below 0.75: a practice in place but not yet everywhere still marks the step, so a step
tolerates one gate met only partly; two or more, and none of them counts (either one
brought up to full would do). A gate below 0.5 is not met.

A step is met when its gates are met by that rule and the weighted mean of its other
scored questions is at least 0.6 (a step without such questions passes that test).
Only the step's own practices count in that mean: a question marked `ladder = false`
(CRM software, a written CRM plan, an NPS survey: the CRM seeds, not seed 000) is asked
beside the step and counts for its dimension, the CRM level and the recommendations,
never for the step.
The placement is the highest step such that it and every step below it are met (0 =
not yet at step 1). Steps above the placement that are met are "islands"; so is a step
two or more above the placement whose mark is in place (a gate marked `mark`, such as
AI shaping what customers see, which seed 000 calls the mark of step 7), met or not:
AI without the foundations under it is worth flagging (`Result.marked` lists those).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.assessment.instrument import CRM_LEVELS, SCALE_MAX, STEPS, Instrument, Question

GATE_THRESHOLD = 0.75
# A gate scoring at least this, and less than GATE_THRESHOLD, is met partly; a step
# accepts PARTLY_GATES_ALLOWED of those.
PARTLY_THRESHOLD = 0.5
PARTLY_GATES_ALLOWED = 1
STEP_THRESHOLD = 0.6
CRM_THRESHOLD = 0.6
YESNO = {"yes": 1.0, "partly": 0.5, "no": 0.0}
# Sums of float weights can land a hair under a threshold they meet exactly (0.3 / 0.5).
_EPSILON = 1e-9


class AnswerError(ValueError):
    """A raw answer that does not fit its question."""

    def __init__(self, question_id: str, message: str):
        super().__init__(f"{question_id}: {message}")
        self.question_id = question_id


# --------------------------------------------------------------------------- one answer


def _yesno(question: Question, raw: object) -> str:
    if not isinstance(raw, str) or raw not in YESNO:
        raise AnswerError(question.id, f"expected yes, partly or no, got {raw!r}")
    return raw


def _score_yesno(question: Question, raw: object) -> float:
    return YESNO[_yesno(question, raw)]


def _scale_level(question: Question, raw: object) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or not 0 <= raw <= SCALE_MAX:
        raise AnswerError(question.id, f"expected a level from 0 to {SCALE_MAX}, got {raw!r}")
    return raw


def _score_scale(question: Question, raw: object) -> float:
    return _scale_level(question, raw) / SCALE_MAX


def _ticked(question: Question, raw: object) -> frozenset[str]:
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        raise AnswerError(question.id, f"expected a list of option ids, got {raw!r}")
    ticked = frozenset(raw)
    unknown = ticked - set(question.option_ids)
    if unknown:
        raise AnswerError(question.id, f"unknown options {sorted(map(str, unknown))}")
    return ticked


def _score_checklist(question: Question, raw: object) -> float:
    needed = question.needed or 1
    return min(1.0, len(_ticked(question, raw)) / needed)


def _number(question: Question, raw: object) -> float:
    if not isinstance(raw, int | float) or isinstance(raw, bool) or not math.isfinite(raw):
        raise AnswerError(question.id, f"expected a number, got {raw!r}")
    if question.minimum is not None and raw < question.minimum:
        raise AnswerError(question.id, f"{raw} is below the minimum {question.minimum}")
    if question.maximum is not None and raw > question.maximum:
        raise AnswerError(question.id, f"{raw} is above the maximum {question.maximum}")
    return raw


def _score_number(question: Question, raw: object) -> float:
    value = _number(question, raw)
    for band in question.bands:
        reached = value <= band.limit if question.better == "lower" else value >= band.limit
        if reached:
            return float(band.score)
    return 0.0


SCORERS: dict[str, Callable[[Question, object], float]] = {
    "yesno": _score_yesno,
    "scale": _score_scale,
    "checklist": _score_checklist,
    "number": _score_number,
}


def score_answer(question: Question, raw: object) -> float:
    """The score, 0 to 1, of one raw answer; None ("I don't know") scores 0.

    Raises AnswerError when the answer does not fit the question (a scale level of 7, an
    unknown option, a number out of range). A number question without bands scores 0:
    it is unscored, and `assess` leaves it out of every mean.
    """
    if raw is None:
        return 0.0
    try:
        scorer = SCORERS[question.kind]
    except KeyError:
        raise AnswerError(question.id, f"unknown kind {question.kind!r}") from None
    return scorer(question, raw)


# --------------------------------------------------------------------------- a whole set


@dataclass(frozen=True)
class StepResult:
    """One ladder step: which gates are met, the weighted mean of its other questions
    (None when it has none) and whether the step is met.

    `gates_partly` lists the gates answered partly (0.5 to 0.75), whichever of
    `gates_met` or `gates_unmet` the rule put them in: one alone counts as met, two or
    more do not."""

    step: int
    gates_met: tuple[str, ...]
    gates_unmet: tuple[str, ...]
    mean: float | None
    met: bool
    gates_partly: tuple[str, ...] = ()

    @property
    def mean_met(self) -> bool:
        """True when the other questions' weighted mean reaches 0.6 (or there are none)."""
        return self.mean is None or self.mean >= STEP_THRESHOLD - _EPSILON


@dataclass(frozen=True)
class Basis:
    """What holds a company at its placement: of the next step (None at step 7), the
    gates not met (`partly`: those of them answered partly, when two or more were) and
    the mean of its other questions when it is below 0.6 (else None). One sentence on
    the result page: "Step 4 is not met: <gate> is missing"."""

    placement: int
    next_step: int | None
    gates: tuple[str, ...]
    partly: tuple[str, ...]
    mean: float | None


@dataclass(frozen=True)
class Result:
    """The outcome of one assessment; `scores` holds every scored question."""

    scores: dict[str, float]
    steps: tuple[StepResult, ...]
    placement: int
    islands: tuple[int, ...]
    dimensions: dict[str, int]
    crm_level: int
    unknown: tuple[str, ...]
    numbers: dict[str, float]

    marked: tuple[int, ...] = ()

    def step(self, number: int) -> StepResult:
        """The result of ladder step `number` (1-7)."""
        return self.steps[number - 1]

    @property
    def basis(self) -> Basis:
        """Why the company is at its step: what the next step still lacks."""
        if self.placement >= len(self.steps):
            return Basis(self.placement, None, (), (), None)
        following = self.step(self.placement + 1)
        partly = tuple(g for g in following.gates_unmet if g in following.gates_partly)
        mean = None if following.mean_met else following.mean
        return Basis(self.placement, following.step, following.gates_unmet, partly, mean)

    @property
    def gates_met(self) -> tuple[str, ...]:
        """Every gate met, in ladder order."""
        return tuple(g for step in self.steps for g in step.gates_met)


def result_to_dict(result: Result) -> dict[str, Any]:
    """The result as plain JSON data, to keep with a submitted assessment."""
    return {
        "scores": dict(result.scores),
        "steps": [
            {
                "step": s.step,
                "gates_met": list(s.gates_met),
                "gates_unmet": list(s.gates_unmet),
                "gates_partly": list(s.gates_partly),
                "mean": s.mean,
                "met": s.met,
            }
            for s in result.steps
        ],
        "placement": result.placement,
        "islands": list(result.islands),
        "dimensions": dict(result.dimensions),
        "crm_level": result.crm_level,
        "unknown": list(result.unknown),
        "numbers": dict(result.numbers),
        "marked": list(result.marked),
    }


def result_from_dict(data: Mapping[str, Any]) -> Result:
    """The result kept by `result_to_dict`."""
    return Result(
        scores=dict(data["scores"]),
        steps=tuple(
            StepResult(
                step=s["step"],
                gates_met=tuple(s["gates_met"]),
                gates_unmet=tuple(s["gates_unmet"]),
                mean=s["mean"],
                met=s["met"],
                gates_partly=tuple(s.get("gates_partly", ())),
            )
            for s in data["steps"]
        ),
        placement=data["placement"],
        islands=tuple(data["islands"]),
        dimensions=dict(data["dimensions"]),
        crm_level=data["crm_level"],
        unknown=tuple(data["unknown"]),
        numbers=dict(data["numbers"]),
        marked=tuple(data.get("marked", ())),
    )


def _weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    total = weights = 0.0
    for weight, score in pairs:
        total += weight * score
        weights += weight
    return total / weights if weights else None


def _percent(mean: float) -> int:
    # Half up, after trimming float noise so 0.675 gives 68 whatever its binary form.
    return math.floor(round(mean * 100, 6) + 0.5)


def crm_level(instrument: Instrument, scores: Mapping[str, float]) -> int:
    """The CRM level, 1 to 4, after the four levels of customer relationship (seed 001).

    Every company sells something, so level 1 (product-based selling) is the floor.
    Questions carry `crm_level` 2, 3 or 4 when they are evidence of that level, as
    module 09 (CRM strategy) recognises them: 2 support services (help after the sale,
    customers told apart by their needs), 3 detailed customer information and behaviour
    (one record per customer that anyone can open, across every channel; interests
    linked to records, different offers per group, a CRM in use, knowing which
    customers are profitable), 4 personalisation (each customer looked after
    individually: an offer, a timing and a contact person chosen for them). A level is
    reached when the weighted mean of its evidence is at least 0.6 and every level below
    it is reached: the levels build on each other, so strong personalisation on top of
    scattered records stays at the level the records allow.
    """
    level = CRM_LEVELS[0]
    for candidate in CRM_LEVELS[1:]:
        mean = _weighted_mean(
            (q.weight, scores.get(q.id, 0.0))
            for q in instrument.questions
            if q.crm_level == candidate and q.scored
        )
        if mean is None or mean < CRM_THRESHOLD - _EPSILON:
            break
        level = candidate
    return level


def gate_state(score: float) -> str:
    """ "met" (at least 0.75), "partly" (at least 0.5) or "unmet": how far one gate is."""
    if score >= GATE_THRESHOLD - _EPSILON:
        return "met"
    if score >= PARTLY_THRESHOLD - _EPSILON:
        return "partly"
    return "unmet"


def gates_counted(scores: Iterable[float]) -> list[bool]:
    """For the gates of one step, in order, whether each counts as met: a gate met in
    full always does; a gate met partly does when it is the only partly met gate of its
    step (PARTLY_GATES_ALLOWED); an unmet gate never does."""
    states = [gate_state(score) for score in scores]
    partly_ok = states.count("partly") <= PARTLY_GATES_ALLOWED
    return [state == "met" or (state == "partly" and partly_ok) for state in states]


def _mark_in_place(instrument: Instrument, step: int, scores: Mapping[str, float]) -> bool:
    marks = [q for q in instrument.questions if q.step == step and q.mark and q.scored]
    return bool(marks) and all(gate_state(scores[q.id]) == "met" for q in marks)


def assess(instrument: Instrument, answers: Mapping[str, object]) -> Result:
    """Score a set of answers: per question, per step, placement, islands, dimensions
    (0-100, weighted mean × 100 rounded half up), CRM level, unknowns and raw numbers.

    Answers for ids the instrument does not have are ignored; an answer that does not
    fit its question raises AnswerError.
    """
    scores: dict[str, float] = {}
    unknown: list[str] = []
    numbers: dict[str, float] = {}
    for question in instrument.questions:
        raw = answers.get(question.id)
        if raw is None:
            unknown.append(question.id)
        elif question.kind == "number":
            numbers[question.id] = _number(question, raw)
        if question.scored:
            scores[question.id] = score_answer(question, raw)

    steps = []
    for step in STEPS:
        questions = [q for q in instrument.questions if q.step == step and q.scored]
        gates = [q for q in questions if q.gate]
        counted = gates_counted(scores[q.id] for q in gates)
        gates_met = tuple(q.id for q, ok in zip(gates, counted, strict=True) if ok)
        gates_unmet = tuple(q.id for q, ok in zip(gates, counted, strict=True) if not ok)
        partly = tuple(q.id for q in gates if gate_state(scores[q.id]) == "partly")
        mean = _weighted_mean(
            (q.weight, scores[q.id]) for q in questions if not q.gate and q.ladder
        )
        mean_ok = mean is None or mean >= STEP_THRESHOLD - _EPSILON
        steps.append(
            StepResult(step, gates_met, gates_unmet, mean, not gates_unmet and mean_ok, partly)
        )

    placement = 0
    for result in steps:
        if not result.met:
            break
        placement = result.step
    marked = tuple(
        r.step
        for r in steps
        if r.step >= placement + 2 and not r.met and _mark_in_place(instrument, r.step, scores)
    )
    islands = tuple(r.step for r in steps if r.step > placement and (r.met or r.step in marked))

    dimensions = {}
    for dimension in instrument.dimensions:
        mean = _weighted_mean(
            (q.weight, scores[q.id])
            for q in instrument.questions
            if q.dimension == dimension.id and q.scored
        )
        dimensions[dimension.id] = _percent(mean) if mean is not None else 0

    return Result(
        scores=scores,
        steps=tuple(steps),
        placement=placement,
        islands=islands,
        dimensions=dimensions,
        crm_level=crm_level(instrument, scores),
        unknown=tuple(unknown),
        numbers=numbers,
        marked=marked,
    )


# --------------------------------------------------------------------------- a company


@dataclass(frozen=True)
class Disagreement:
    """Staff answered one question far apart: a yes beside a no, or scale levels two or
    more apart. `counts` maps each answer given (yes/partly/no, or a level) to how many
    gave it, in answer order; `unknown` counts those who did not know."""

    question_id: str
    counts: dict[str | int, int]
    unknown: int


def _combine_yesno(values: list[str]) -> str:
    counts = Counter(values)
    # The most frequent answer; a tie goes to the lower one (no < partly < yes).
    return max(counts, key=lambda v: (counts[v], -YESNO[v]))


def _combine_checklist(question: Question, values: list[frozenset[str]]) -> list[str]:
    # An option counts as ticked when more than half tick it; exactly half is a tie,
    # and ties go to the lower answer (not ticked).
    return [o for o in question.option_ids if 2 * sum(o in v for v in values) > len(values)]


def combine(
    instrument: Instrument, answer_sets: list[Mapping[str, object]]
) -> tuple[dict[str, object], list[Disagreement]]:
    """The company's answers from several staff members' answer sets, and where they
    disagree.

    Facts (yes/partly/no, each checklist option) go by majority, ties to the lower value;
    scales take the median, the lower of the two middle levels when the count is even;
    numbers take the median. Those who did not know do not vote; a question nobody knew
    stays None. Every answer is validated (AnswerError).
    """
    combined: dict[str, object] = {}
    disagreements: list[Disagreement] = []
    for question in instrument.questions:
        given = [s.get(question.id) for s in answer_sets]
        known = [raw for raw in given if raw is not None]
        unknown = len(given) - len(known)
        for raw in known:
            score_answer(question, raw)
        if not known:
            combined[question.id] = None
            continue
        if question.kind == "yesno":
            answers = [_yesno(question, raw) for raw in known]
            combined[question.id] = _combine_yesno(answers)
            if "yes" in answers and "no" in answers:
                answer_counts = Counter(answers)
                ordered: dict[str | int, int] = {
                    v: answer_counts[v] for v in YESNO if answer_counts[v]
                }
                disagreements.append(Disagreement(question.id, ordered, unknown))
        elif question.kind == "scale":
            levels = sorted(_scale_level(question, raw) for raw in known)
            combined[question.id] = levels[(len(levels) - 1) // 2]
            if levels[-1] - levels[0] >= 2:
                by_level: dict[str | int, int] = dict(sorted(Counter(levels).items()))
                disagreements.append(Disagreement(question.id, by_level, unknown))
        elif question.kind == "checklist":
            combined[question.id] = _combine_checklist(
                question, [_ticked(question, raw) for raw in known]
            )
        else:
            combined[question.id] = statistics.median(_number(question, raw) for raw in known)
    return combined, disagreements


# --------------------------------------------------------------------------- a re-take


@dataclass(frozen=True)
class Changes:
    """What moved between two assessments; `dimensions` holds after − before."""

    placement_before: int
    placement_after: int
    dimensions: dict[str, int]
    gates_gained: tuple[str, ...]
    gates_lost: tuple[str, ...]
    crm_level_before: int
    crm_level_after: int


def compare(previous: Result, current: Result) -> Changes:
    """What moved from `previous` to `current`: placement, each dimension's delta (a
    dimension missing on one side counts as 0 there), gates newly met and newly lost."""
    before, after = set(previous.gates_met), set(current.gates_met)
    names = list(dict.fromkeys([*previous.dimensions, *current.dimensions]))
    return Changes(
        placement_before=previous.placement,
        placement_after=current.placement,
        dimensions={d: current.dimensions.get(d, 0) - previous.dimensions.get(d, 0) for d in names},
        gates_gained=tuple(g for g in current.gates_met if g not in before),
        gates_lost=tuple(g for g in previous.gates_met if g not in after),
        crm_level_before=previous.crm_level,
        crm_level_after=current.crm_level,
    )
