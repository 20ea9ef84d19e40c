"""Which modules to study next, and why: the gaps of an assessment linked to lessons.

Pure: plain dataclasses in and out, no Flask, no database.

A question is unmet when it scores below 1, or below 0.75 for a gate (a gate at 0.75 or
more already does its job). Each unmet question adds weight × shortfall (1 − score) ×
factor to every module that teaches it, where the factor says how urgent the gap is
for a company at placement p:

    3    a gate of the next step (p + 1): it alone can hold the company back
    2    a question of a step at or below p: a hole in ground already claimed
    1    any other question of the next step
    0.2  a question two or more steps above p: for later

Modules already completed and modules with nothing to add are left out; the rest are
ordered by priority, highest first, then by their position in the course (the caller
gives the order), so the same answers always give the same list. A reason names its
question, its step and why it matters (`Reason.why`); the page words it in the reader's
language, with the question's own words for the gap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.assessment.instrument import Instrument, Question
from app.assessment.scoring import GATE_THRESHOLD, Result

NEXT_GATE, REACHED, NEXT, LATER = 3.0, 2.0, 1.0, 0.2


@dataclass(frozen=True)
class Reason:
    """One unmet question behind a recommendation; `contribution` is what it adds to the
    module's priority (weight × shortfall × factor)."""

    question_id: str
    step: int
    gate: bool
    score: float
    factor: float
    contribution: float
    unknown: bool

    @property
    def why(self) -> str:
        """Why the gap matters: "next-gate" (a gate of the next step), "next" (another
        question of the next step), "reached" (a step already reached), "later-gate" or
        "later" (two or more steps up)."""
        if self.factor == NEXT_GATE:
            return "next-gate"
        if self.factor == NEXT:
            return "next"
        if self.factor == REACHED:
            return "reached"
        return "later-gate" if self.gate else "later"


@dataclass(frozen=True)
class Recommendation:
    """A module to study, its priority and the reasons, most important first."""

    module: str
    priority: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class GateFix:
    """A module that teaches `gates`, unmet gates of the next step `step`; `closes_all`
    when they are all of that step's unmet gates."""

    module: str
    step: int
    gates: tuple[str, ...]
    closes_all: bool


def is_unmet(question: Question, score: float) -> bool:
    """True when the question still leaves a gap: below 1, or below 0.75 for a gate."""
    return score < (GATE_THRESHOLD if question.gate else 1.0)


def factor(question: Question, placement: int) -> float:
    """How urgent a gap in this question is for a company at `placement` (see above)."""
    if question.step == placement + 1:
        return NEXT_GATE if question.gate else NEXT
    if question.step <= placement:
        return REACHED
    return LATER


def _sort_key(order: Sequence[str]) -> Callable[[str], tuple[int, str]]:
    positions = {slug: index for index, slug in enumerate(order)}

    def key(slug: str) -> tuple[int, str]:
        # Modules missing from the order come last, alphabetically.
        return positions.get(slug, len(positions)), slug

    return key


def recommend(
    instrument: Instrument,
    result: Result,
    completed: set[str],
    order: Sequence[str],
    limit: int = 5,
) -> list[Recommendation]:
    """The top `limit` modules to study next, with their reasons, most important reason
    first, each naming its question.

    Priority = Σ weight × (1 − score) × factor over the module's unmet questions;
    completed modules and zero priorities are left out; ties are broken by `order`
    (the slugs of the course's modules in catalogue order).
    """
    unknown = set(result.unknown)
    reasons: dict[str, list[tuple[int, Reason]]] = {}
    for index, question in enumerate(instrument.questions):
        score = result.scores.get(question.id)
        if score is None or not is_unmet(question, score):
            continue
        urgency = factor(question, result.placement)
        contribution = question.weight * (1.0 - score) * urgency
        if contribution <= 0:
            continue
        reason = Reason(
            question_id=question.id,
            step=question.step,
            gate=question.gate,
            score=score,
            factor=urgency,
            contribution=round(contribution, 6),
            unknown=question.id in unknown,
        )
        for module in dict.fromkeys(question.modules):
            if module not in completed:
                reasons.setdefault(module, []).append((index, reason))

    recommendations = []
    for module, found in reasons.items():
        found.sort(key=lambda item: (-item[1].contribution, item[0]))
        priority = round(sum(reason.contribution for _, reason in found), 6)
        if priority > 0:
            recommendations.append(
                Recommendation(module, priority, tuple(reason for _, reason in found))
            )
    position = _sort_key(order)
    recommendations.sort(key=lambda r: (-r.priority, *position(r.module)))
    return recommendations[: max(limit, 0)]


def what_if(instrument: Instrument, result: Result, order: Sequence[str]) -> list[GateFix]:
    """For the next step (placement + 1), which modules close which of its unmet gates:
    modules that close the most gates first, then in course order. Empty at step 7 or
    when the next step's gates are all met (its other questions may still hold it back).
    """
    step = result.placement + 1
    if step > len(result.steps):
        return []
    unmet = result.step(step).gates_unmet
    by_module: dict[str, list[str]] = {}
    for gate in unmet:
        question = instrument.by_id.get(gate)  # a result kept from an earlier instrument
        for module in dict.fromkeys(question.modules if question else ()):
            by_module.setdefault(module, []).append(gate)
    fixes = [
        GateFix(module, step, tuple(gates), set(gates) == set(unmet))
        for module, gates in by_module.items()
    ]
    position = _sort_key(order)
    fixes.sort(key=lambda f: (-len(f.gates), *position(f.module)))
    return fixes
