"""Which modules to study next, and why: the gaps of an assessment linked to lessons.

Pure: plain dataclasses in and out, no Flask, no database.

A question is unmet when it scores below 1, or below 0.75 for a gate (a gate at 0.75 or
more already does its job). Each unmet question makes a *contribution* of weight ×
shortfall (1 − score) × factor to every module that teaches it, where the factor says
how urgent the gap is for a company at placement p:

    3    a gate of the next step (p + 1): it alone can hold the company back
    2    a question of a step at or below p: a hole in ground already claimed
    1    any other question of the next step
    0.2  a question two or more steps above p: for later (an island's gaps among them)

The modules are ranked by three keys, in turn (docs/assessment.md, "Ranking the
modules", works one through by hand):

1.  What the module closes of the next step's *missing conditions* (`next_step`): its
    gates below 0.75 and, when the mean of its other questions is below 0.6, those other
    questions below full marks. The sum of the contributions of the conditions a module
    teaches comes first, so the module that opens the next step leads the list.
2.  Priority: the module's largest contribution, plus half its second, a quarter of its
    third, and so on. A broad module tagged on many questions thus gains from breadth
    only up to twice its largest gap, and a pile of 0.2 "later" crumbs never outweighs
    one real gap of the next step.
3.  Relevance: the module whose questions lie nearest the next step first (the mean
    distance, in ladder steps, between the next step and the questions the instrument
    tags the module on: the step-7 module is nearer a step-7 gap than the foundations
    module that shares it); then the course's order, so the same answers always give
    the same list.

A company that meets every step has no next step; it is given what keeps it there: the
step-7 practices it answered below full marks (gates included) and the CRM and KPI
modules (`KEEP`), each with a "top" reason that also asks for a re-assessment.

Modules already completed are left out. A reason names its question, its step, why it
matters (`Reason.why`) and how the answer reads (`Reason.answer`); `gap_words` words it
by the answer given, so that a partial answer is never told it does nothing and "I
don't know" is never told "no".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from app.assessment.instrument import SCALE_MAX, STEPS, Instrument, Question
from app.assessment.scoring import GATE_THRESHOLD, YESNO, Result
from app.languages import N_

NEXT_GATE, REACHED, NEXT, LATER = 3.0, 2.0, 1.0, 0.2
#: each further contribution of a module counts this much of the one before it
DECAY = 0.5
TOP = STEPS[-1]
#: what keeps a company at the top of the ladder: the CRM modules and the KPI module
KEEP = ("crm-dashboards", "crm-strategy", "crm-value-chain")
# The scoring's thresholds are met exactly by sums of float weights a hair under them.
_EPSILON = 1e-9

#: how a partial or unknown answer is worded in a reason (`gap_words`); the lowest
#: answer takes the instrument's own words for the gap
UNKNOWN_WORDS = N_("you did not know the answer to “%(question)s”: find out")
YESNO_WORDS = N_("you answered “%(answer)s” to “%(question)s”")
SCALE_WORDS = N_("you rated “%(question)s” as “%(answer)s”")
CHECKLIST_WORDS = N_("you ticked %(ticked)s of the %(needed)s options needed in “%(question)s”")
NUMBER_WORDS = N_("you answered %(value)s to “%(question)s”, short of the best range")


@dataclass(frozen=True)
class Reason:
    """One gap behind a recommendation; `contribution` is what it adds to the module's
    priority (weight × shortfall × factor). `why` says why it matters:

    "next-gate"   a gate of the next step
    "next"        another question of the next step
    "reached"     a question of a step already reached (at or below the placement)
    "island"      a question of a step met above the placement
    "later-gate", "later"   a question two or more steps up, of a step not met
    "top"         no gap: the company meets every step, and this module keeps it there
                  (`question_id` is None)

    `closes` is True when the question is one of the next step's missing conditions;
    `value` is the figure given to a number question."""

    question_id: str | None
    step: int
    gate: bool
    score: float
    factor: float
    contribution: float
    unknown: bool
    why: str
    closes: bool = False
    value: float | None = None

    @property
    def answer(self) -> str:
        """How the answer reads: "unknown" ("I don't know"), "lowest" (the lowest answer,
        scoring 0), "partial" (between), or "full" (a "top" reason)."""
        if self.unknown:
            return "unknown"
        if self.score <= 0:
            return "lowest"
        return "partial" if self.score < 1 else "full"


@dataclass(frozen=True)
class Recommendation:
    """A module to study: `closing` is the sum of the contributions of the next step's
    missing conditions it teaches (`closes`, their ids), `priority` its diminishing sum
    of contributions, `reasons` the conditions it closes first, then the rest, most
    important first; `distance` the mean distance in steps between the next step (step
    7 at the top) and the questions the module teaches; `minutes` the module's length
    when the caller gave it."""

    module: str
    priority: float
    reasons: tuple[Reason, ...]
    closing: float = 0.0
    closes: tuple[str, ...] = ()
    distance: float = 0.0
    minutes: int | None = None


@dataclass(frozen=True)
class NextStep:
    """What the next step (placement + 1) misses (scoring.Result.basis): its `gates` not
    met and, when the mean of its own other practices is below 0.6, those `others`
    below full marks."""

    step: int
    gates: tuple[str, ...]
    others: tuple[str, ...]

    @property
    def conditions(self) -> tuple[str, ...]:
        """Every missing condition: the gates, then the other questions."""
        return self.gates + self.others


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


def why(question: Question, placement: int, islands: Sequence[int] = ()) -> str:
    """Why a gap in this question matters for a company at `placement` with `islands`
    (the `Reason.why` labels, but "top")."""
    if question.step == placement + 1:
        return "next-gate" if question.gate else "next"
    if question.step <= placement:
        return "reached"
    if question.step in islands:
        return "island"
    return "later-gate" if question.gate else "later"


def next_step(instrument: Instrument, result: Result) -> NextStep | None:
    """The next step's missing conditions (see `NextStep`); None at the top of the
    ladder. The gates are the result's own; the other questions are the instrument's
    (a result kept from an earlier instrument may name questions it no longer has)."""
    basis = result.basis
    if basis.next_step is None:
        return None
    step = basis.next_step
    others: tuple[str, ...] = ()
    if basis.mean is not None:  # the step's own practices fall short on average
        others = tuple(
            q.id
            for q in instrument.questions
            if q.step == step and not q.gate and q.ladder and q.scored
            and result.scores.get(q.id, 1.0) < 1
        )  # fmt: skip
    return NextStep(step, basis.gates, others)


def _sort_key(order: Sequence[str]) -> Callable[[str], tuple[int, str]]:
    positions = {slug: index for index, slug in enumerate(order)}

    def key(slug: str) -> tuple[int, str]:
        # Modules missing from the order come last, alphabetically.
        return positions.get(slug, len(positions)), slug

    return key


def _distances(instrument: Instrument, target: int) -> dict[str, float]:
    """Each module's mean distance, in steps, from `target` to the questions it teaches."""
    steps: dict[str, list[int]] = {}
    for question in instrument.questions:
        for module in dict.fromkeys(question.modules):
            steps.setdefault(module, []).append(abs(question.step - target))
    return {module: round(sum(found) / len(found), 6) for module, found in steps.items()}


def diminishing_sum(contributions: Sequence[float]) -> float:
    """The largest contribution, plus half the second, a quarter of the third, …"""
    ordered = sorted(contributions, reverse=True)
    return round(sum(c * DECAY**i for i, c in enumerate(ordered)), 6)


def _gaps(instrument: Instrument, result: Result) -> list[tuple[Question, Reason]]:
    """Every gap of the result, in instrument order, as a reason."""
    top = result.placement >= TOP
    target = next_step(instrument, result)
    conditions = set(target.conditions) if target else set()
    unknown = set(result.unknown)
    gaps = []
    for question in instrument.questions:
        score = result.scores.get(question.id)
        if score is None:
            continue
        # At the top, the step-7 practices answered weakest keep the company there,
        # so a gate met at 0.8 counts as a gap too.
        if not (score < 1.0 if top and question.step == TOP else is_unmet(question, score)):
            continue
        urgency = factor(question, result.placement)
        contribution = question.weight * (1.0 - score) * urgency
        if contribution <= 0:
            continue
        gaps.append(
            (
                question,
                Reason(
                    question_id=question.id,
                    step=question.step,
                    gate=question.gate,
                    score=score,
                    factor=urgency,
                    contribution=round(contribution, 6),
                    unknown=question.id in unknown,
                    why=why(question, result.placement, result.islands),
                    # at the top, what keeps the company there leads as what would
                    # open the next step does below it
                    closes=question.id in conditions or (top and question.step == TOP),
                    value=result.numbers.get(question.id),
                ),
            )
        )
    return gaps


def recommend(
    instrument: Instrument,
    result: Result,
    completed: set[str],
    order: Sequence[str],
    limit: int = 5,
    minutes: Mapping[str, int] | None = None,
    keep: Sequence[str] = KEEP,
) -> list[Recommendation]:
    """The top `limit` modules to study next, ranked as the module's docstring says,
    each with its reasons: the next step's conditions it closes first, then the rest,
    most important first.

    `order` is the slugs of the course's modules in catalogue order (the last
    tie-break); `minutes` maps a slug to its length, copied onto the recommendation.
    At the top of the ladder the `keep` modules that are in `order` and not completed
    are added with a "top" reason (priority 0, after every module with a gap).
    """
    reasons: dict[str, list[tuple[int, Reason]]] = {}
    for index, (question, reason) in enumerate(_gaps(instrument, result)):
        for module in dict.fromkeys(question.modules):
            if module not in completed:
                reasons.setdefault(module, []).append((index, reason))
    if result.placement >= TOP:
        top = Reason(None, TOP, False, 1.0, 0.0, 0.0, False, "top")
        for module in keep:
            if module in order and module not in completed:
                reasons.setdefault(module, []).append((len(instrument.questions), top))

    target = min(result.placement + 1, TOP)
    distances = _distances(instrument, target)
    recommendations = []
    for module, found in reasons.items():
        found.sort(key=lambda item: (not item[1].closes, -item[1].contribution, item[0]))
        ordered = tuple(reason for _, reason in found)
        recommendations.append(
            Recommendation(
                module,
                diminishing_sum([r.contribution for r in ordered]),
                ordered,
                closing=round(sum(r.contribution for r in ordered if r.closes), 6),
                closes=tuple(r.question_id for r in ordered if r.closes and r.question_id),
                distance=distances.get(module, 0.0),
                minutes=(minutes or {}).get(module),
            )
        )
    position = _sort_key(order)
    recommendations.sort(key=lambda r: (-r.closing, -r.priority, r.distance, *position(r.module)))
    return recommendations[: max(limit, 0)]


def what_if(instrument: Instrument, result: Result, order: Sequence[str]) -> list[GateFix]:
    """For the next step (placement + 1), which modules close which of its unmet gates:
    modules that close the most gates first, then in course order. Empty at step 7 or
    when the next step's gates are all met (its other questions may still hold it back).
    """
    target = next_step(instrument, result)
    if target is None:
        return []
    unmet = target.gates
    by_module: dict[str, list[str]] = {}
    for gate in unmet:
        question = instrument.by_id.get(gate)  # a result kept from an earlier instrument
        for module in dict.fromkeys(question.modules if question else ()):
            by_module.setdefault(module, []).append(gate)
    fixes = [
        GateFix(module, target.step, tuple(gates), set(gates) == set(unmet))
        for module, gates in by_module.items()
    ]
    position = _sort_key(order)
    fixes.sort(key=lambda f: (-len(f.gates), *position(f.module)))
    return fixes


# --------------------------------------------------------------------------- wording


def _figure(value: float) -> str:
    return f"{value:g}"


def gap_words(
    instrument: Instrument,
    reason: Reason,
    locale: str,
    gettext: Callable[..., str],
) -> str:
    """The gap of a reason in words, by the answer given, translated with `gettext`
    (called as ``gettext(message, **params)``):

    "I don't know"       UNKNOWN_WORDS: the company is asked to find out
    the lowest answer    the instrument's own words for the gap ("you do not yet …")
    a partial answer     the answer given, with the question's text: "you answered
                         “Partly” to “…”", "you rated “…” as “In use”", "you ticked 1 of
                         the 2 options needed in “…”", "you answered 30 to “…”"

    Empty for a "top" reason or a question the instrument no longer has.
    """
    question = instrument.by_id.get(reason.question_id or "")
    if question is None:
        return ""
    text = question.text(locale)
    answer = reason.answer
    if answer == "unknown":
        return gettext(UNKNOWN_WORDS, question=text.text)
    if answer == "lowest":
        return text.gap
    if question.kind == "yesno":
        values = list(YESNO.values())
        index = values.index(reason.score) if reason.score in values else 1
        labels = instrument.choices.yesno.get(locale) or instrument.choices.yesno.get("en")
        label = labels[index] if labels and index < len(labels) else list(YESNO)[index]
        return gettext(YESNO_WORDS, answer=label, question=text.text)
    if question.kind == "scale":
        level = round(reason.score * SCALE_MAX)
        labels = instrument.choices.scale.get(locale) or instrument.choices.scale.get("en")
        label = labels[level] if labels and level < len(labels) else str(level)
        return gettext(SCALE_WORDS, answer=label, question=text.text)
    if question.kind == "checklist":
        needed = question.needed or 1
        ticked = round(reason.score * needed)
        return gettext(CHECKLIST_WORDS, ticked=ticked, needed=needed, question=text.text)
    figure = _figure(reason.value) if reason.value is not None else "?"
    if text.unit:
        figure = f"{figure} {text.unit}"
    return gettext(NUMBER_WORDS, value=figure, question=text.text)
