"""Recommendations: the urgency factors, exact priorities, completed modules dropped,
ordering and ties, why each reason matters, `what_if`, and property tests of determinism
on the real instrument. The ranking's rules (the next step's module first, breadth,
relevance, the top of the ladder) and the wording of reasons are in
tests/assessment/test_ranking.py."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.assessment.instrument import (
    DIMENSIONS,
    Choices,
    CrmLevel,
    Dimension,
    Instrument,
    Named,
    Option,
    Question,
    QuestionText,
    Step,
    parse,
)
from app.assessment.recommend import (
    KEEP,
    GateFix,
    diminishing_sum,
    factor,
    is_unmet,
    recommend,
    what_if,
)
from app.assessment.scoring import assess
from app.content.files import read_course

ROOT = Path(__file__).resolve().parents[2]
REAL = parse((ROOT / "courses" / "assessment.toml").read_text())
#: the course's modules in catalogue order, which breaks ties between equal priorities
ORDER = tuple(module.slug for module in sorted(read_course(ROOT)[0], key=lambda m: m.position))


def q(id, step, modules, kind="yesno", gate=False, weight=1):
    texts = {
        "vi": QuestionText(f"{id}?", f"bạn chưa làm {id}"),
        "en": QuestionText(f"{id}?", f"you do not do {id}"),
    }
    options = tuple(Option(o, {"vi": o, "en": o}) for o in "abcd") if kind == "checklist" else ()
    needed = 4 if kind == "checklist" else None
    return Question(
        id,
        step,
        "customer-marketing",
        gate,
        weight,
        kind,
        tuple(modules),
        texts,
        needed=needed,
        options=options,
    )


def make(*questions):
    named = {"vi": Named("b", "."), "en": Named("s", ".")}
    return Instrument(
        version=1,
        choices=Choices({}, {}, {}),
        dimensions=tuple(Dimension(d, {"vi": d, "en": d}) for d in DIMENSIONS),
        steps=tuple(Step(n, named) for n in range(1, 8)),
        crm_levels=tuple(CrmLevel(n, named) for n in range(1, 5)),
        questions=tuple(questions),
    )


# Two gates per step, each taught by that step's module; one non-gate per step taught by
# the step module and by "crm-strategy".
STEP_MODULES = ORDER[1:8]
LADDER = make(
    *(
        question
        for s in range(1, 8)
        for question in (
            q(f"g{s}a", s, [STEP_MODULES[s - 1]], gate=True),
            q(f"g{s}b", s, [STEP_MODULES[s - 1], "crm-dashboards"], gate=True, weight=2),
            q(f"n{s}", s, [STEP_MODULES[s - 1], "crm-strategy"], kind="scale"),
        )
    )
)


def meet(*steps):
    answers = {}
    for s in steps:
        answers.update({f"g{s}a": "yes", f"g{s}b": "yes", f"n{s}": 5})
    return answers


def by_module(recommendations):
    return {r.module: r for r in recommendations}


# --------------------------------------------------------------------------- the factors


@pytest.mark.parametrize(
    ("step", "gate", "placement", "expected"),
    [
        (3, True, 2, 3.0),
        (3, False, 2, 1.0),
        (2, False, 2, 2.0),
        (1, True, 2, 2.0),
        (4, True, 2, 0.2),
        (7, False, 2, 0.2),
        (1, True, 0, 3.0),
        (2, False, 0, 0.2),
    ],
)
def test_factor_by_distance_from_the_placement(step, gate, placement, expected):
    assert factor(q("x", step, ["m"], gate=gate), placement) == expected


@pytest.mark.parametrize(
    ("gate", "score", "unmet"),
    [
        (True, 0.74, True),
        (True, 0.75, False),
        (False, 0.75, True),
        (False, 0.99, True),
        (False, 1.0, False),
    ],
)
def test_a_gate_is_unmet_below_075_and_any_other_question_below_1(gate, score, unmet):
    assert is_unmet(q("x", 1, ["m"], gate=gate), score) is unmet


def test_priority_is_the_diminishing_sum_of_weight_times_shortfall_times_factor():
    answers = {**meet(1, 2), "n2": 3, "g3a": "no", "g3b": "partly", "n3": 1, "g4a": "no"}
    result = assess(LADDER, answers)
    assert result.placement == 2
    found = by_module(recommend(LADDER, result, set(), ORDER, limit=20))
    # g3a: 1·1·3 and n3: 1·0.8·1 hold step 3 back (g3b, met partly, is tolerated, the
    # step's only such gate), so they come first; then g3b: 2·0.5·3
    assert [r.contribution for r in found["step-3-combine"].reasons] == [3, 0.8, 3]
    assert found["step-3-combine"].priority == pytest.approx(3 + 3 / 2 + 0.8 / 4)
    # n2 reached: 1·0.4·2; n3 next: 0.8; n4..n7 later: 4·(1·1·0.2)
    assert found["crm-strategy"].priority == pytest.approx(
        0.8 + 0.8 / 2 + 0.2 / 4 + 0.2 / 8 + 0.2 / 16 + 0.2 / 32
    )
    # g4a later gate: 1·1·0.2; g4b: 2·1·0.2; n4: 0.2
    assert found["step-4-optimise"].priority == pytest.approx(0.4 + 0.2 / 2 + 0.2 / 4)
    assert "step-1-start" not in found and "step-2-radiate" in found


def test_the_diminishing_sum_halves_each_further_contribution():
    assert diminishing_sum([]) == 0
    assert diminishing_sum([1, 3, 2]) == 3 + 2 / 2 + 1 / 4
    # forty crumbs of 0.2 never add up to more than twice one of them
    assert diminishing_sum([0.2] * 40) <= 0.4


def test_a_met_gate_below_full_marks_adds_nothing():
    instrument = make(
        q("c", 1, ["step-1-start"], kind="checklist", gate=True),
        q("y", 1, ["step-1-start"], gate=True),
        q("s", 2, ["step-2-radiate"], kind="scale", gate=True),
        q("t", 2, ["step-2-radiate"], gate=True),
    )
    result = assess(instrument, {"c": ["a", "b", "c"], "y": "yes", "s": 4})
    assert result.placement == 1
    assert [r.module for r in recommend(instrument, result, set(), ORDER)] == ["step-2-radiate"]
    assert [r.question_id for r in recommend(instrument, result, set(), ORDER)[0].reasons] == ["t"]


def test_completed_modules_are_left_out():
    result = assess(LADDER, meet(1))
    modules = [r.module for r in recommend(LADDER, result, {"step-2-radiate"}, ORDER, limit=20)]
    assert "step-2-radiate" not in modules
    assert "crm-dashboards" in modules


def test_every_module_completed_leaves_nothing_to_recommend():
    assert recommend(LADDER, assess(LADDER, {}), set(ORDER), ORDER, limit=20) == []


def test_without_a_gap_only_the_modules_that_keep_the_top_are_listed():
    result = assess(LADDER, meet(1, 2, 3, 4, 5, 6, 7))
    found = recommend(LADDER, result, set(), ORDER)
    assert {r.module for r in found} == set(KEEP)
    assert all(r.priority == 0 and [x.why for x in r.reasons] == ["top"] for r in found)


def test_modules_are_ordered_by_priority_then_course_position():
    instrument = make(
        q("g1", 1, ["crm-dashboards", "step-1-start"], gate=True),
        q("g2", 1, ["crm-strategy", "foundations"], gate=True),
        q("n1", 1, ["zz-extra", "aa-extra"]),
    )
    result = assess(instrument, {})
    modules = [r.module for r in recommend(instrument, result, set(), ORDER, limit=10)]
    assert modules == [
        "foundations",
        "step-1-start",
        "crm-strategy",
        "crm-dashboards",
        "aa-extra",
        "zz-extra",
    ]


def test_a_custom_order_breaks_ties():
    instrument = make(q("g1", 1, ["b", "a"], gate=True), q("g2", 1, ["c"], gate=True))
    result = assess(instrument, {})
    modules = [r.module for r in recommend(instrument, result, set(), ("c", "b", "a"))]
    assert modules == ["c", "b", "a"]


@pytest.mark.parametrize(("limit", "count"), [(0, 0), (1, 1), (2, 2), (5, 5), (100, 9)])
def test_limit_caps_the_list(limit, count):
    assert len(recommend(LADDER, assess(LADDER, {}), set(), ORDER, limit=limit)) == count


# --------------------------------------------------------------------------- reasons


def test_reasons_come_most_important_first_and_name_their_question():
    answers = {**meet(1, 2), "n2": 3, "g3a": "no", "g3b": "partly"}
    found = by_module(recommend(LADDER, assess(LADDER, answers), set(), ORDER, limit=20))
    reasons = found["crm-strategy"].reasons
    assert [r.question_id for r in reasons] == ["n3", "n2", "n4", "n5", "n6", "n7"]
    assert [r.contribution for r in reasons] == [1.0, 0.8, 0.2, 0.2, 0.2, 0.2]
    assert [r.why for r in reasons[:3]] == ["next", "reached", "later"]
    assert diminishing_sum([r.contribution for r in reasons]) == found["crm-strategy"].priority
    assert found["crm-strategy"].closes == ("n3",)


def test_a_reason_says_why_its_gap_matters():
    result = assess(LADDER, {**meet(1, 2), "n2": 4})
    reasons = {
        reason.question_id: reason.why
        for r in recommend(LADDER, result, set(), ORDER, limit=20)
        for reason in r.reasons
    }
    assert [reasons[i] for i in ("g3a", "n3", "n2", "g4a", "n4")] == [
        "next-gate",
        "next",
        "reached",
        "later-gate",
        "later",
    ]


def test_real_instrument_puts_the_next_gate_first():
    answers = {q.id: "yes" for q in REAL.questions if q.kind == "yesno" and q.step <= 3}
    answers |= {q.id: 5 for q in REAL.questions if q.kind == "scale" and q.step <= 3}
    answers |= {q.id: list(q.option_ids) for q in REAL.questions if q.kind == "checklist"}
    answers |= {"s4-campaign-cost": "no", "s4-marketing-targets": "yes"}
    result = assess(REAL, answers)
    assert result.placement == 3
    top = recommend(REAL, result, set(), ORDER)[0]
    assert top.module == "step-4-optimise"
    assert (top.reasons[0].question_id, top.reasons[0].why) == ("s4-campaign-cost", "next-gate")


def test_a_reason_says_when_the_answer_was_dont_know():
    result = assess(LADDER, {"g1a": None, "g1b": "no"})
    reasons = {
        r.question_id: r
        for rec in recommend(LADDER, result, set(), ORDER, limit=20)
        for r in rec.reasons
    }
    assert reasons["g1a"].unknown and not reasons["g1b"].unknown


def test_the_same_answers_in_another_order_give_the_same_recommendations():
    answers = {**meet(1), "g2a": "partly", "n2": 2, "n5": 4}
    shuffled = dict(reversed(list(answers.items())))
    first = recommend(LADDER, assess(LADDER, answers), set(), ORDER, limit=20)
    assert first == recommend(LADDER, assess(LADDER, shuffled), set(), ORDER, limit=20)
    assert first == recommend(LADDER, assess(LADDER, answers), set(), ORDER, limit=20)


# --------------------------------------------------------------------------- what if


def test_what_if_maps_modules_to_the_next_steps_unmet_gates():
    result = assess(LADDER, {**meet(1), "g2a": "no", "g2b": "no"})
    assert what_if(LADDER, result, ORDER) == [
        GateFix("step-2-radiate", 2, ("g2a", "g2b"), closes_all=True),
        GateFix("crm-dashboards", 2, ("g2b",), closes_all=False),
    ]


def test_what_if_is_empty_at_the_top_of_the_ladder():
    assert what_if(LADDER, assess(LADDER, meet(*range(1, 8))), ORDER) == []


def test_what_if_is_empty_when_only_the_other_questions_hold_the_step_back():
    result = assess(LADDER, {**meet(1), "g2a": "yes", "g2b": "yes", "n2": 1})
    assert result.placement == 1
    assert what_if(LADDER, result, ORDER) == []


def test_what_if_on_the_real_instrument_names_step_one_for_a_newcomer():
    fixes = what_if(REAL, assess(REAL, {}), ORDER)
    assert fixes[0] == GateFix("step-1-start", 1, ("s1-channels", "s1-product-info"), True)


# --------------------------------------------------------------------------- properties

YESNO = ["no", "partly", "yes"]


def answer_for(question):
    if question.kind == "yesno":
        return st.none() | st.sampled_from(YESNO)
    if question.kind == "scale":
        return st.none() | st.integers(0, 5)
    if question.kind == "checklist":
        return st.none() | st.lists(st.sampled_from(question.option_ids), unique=True)
    top = question.maximum if question.maximum is not None else 500
    return st.none() | st.integers(int(question.minimum or 0), int(top))


real_answers = st.fixed_dictionaries(
    {question.id: answer_for(question) for question in REAL.questions}
)
completed_sets = st.sets(st.sampled_from(ORDER))


@settings(max_examples=150, deadline=None)
@given(
    answers=real_answers,
    completed=completed_sets,
    limit=st.integers(0, 12),
)
def test_recommendations_are_deterministic_and_consistent(answers, completed, limit):
    result = assess(REAL, answers)
    recommendations = recommend(REAL, result, completed, ORDER, limit=limit)
    again = recommend(
        REAL,
        assess(REAL, dict(reversed(list(answers.items())))),
        set(completed),
        ORDER,
        limit=limit,
    )
    assert recommendations == again
    assert len(recommendations) <= limit
    keys = [(-r.closing, -r.priority, r.distance, ORDER.index(r.module)) for r in recommendations]
    assert keys == sorted(keys)
    for recommendation in recommendations:
        assert recommendation.module not in completed
        assert recommendation.reasons
        contributions = [reason.contribution for reason in recommendation.reasons]
        assert recommendation.priority == diminishing_sum(contributions)
        assert recommendation.priority <= 2 * max(contributions) + 1e-6
        assert recommendation.priority > 0 or result.placement == 7
        for reason in recommendation.reasons:
            if reason.why == "top":
                assert result.placement == 7 and recommendation.module in KEEP
                continue
            question = REAL.question(reason.question_id)
            assert recommendation.module in question.modules
            assert is_unmet(question, result.scores[question.id]) or (
                result.placement == 7 and question.step == 7
            )
            assert reason.score == result.scores[question.id]
            assert reason.factor == factor(question, result.placement)
            assert reason.step == question.step and reason.gate == question.gate


@settings(max_examples=60, deadline=None)
@given(answers=real_answers)
def test_a_longer_list_starts_with_the_shorter_one(answers):
    result = assess(REAL, answers)
    assert (
        recommend(REAL, result, set(), ORDER, limit=3)
        == recommend(REAL, result, set(), ORDER, limit=11)[:3]
    )


@settings(max_examples=60, deadline=None)
@given(answers=real_answers)
def test_what_if_only_names_unmet_gates_of_the_next_step(answers):
    result = assess(REAL, answers)
    for fix in what_if(REAL, result, ORDER):
        assert fix.step == result.placement + 1
        for gate in fix.gates:
            question = REAL.question(gate)
            assert question.gate and question.step == fix.step
            assert fix.module in question.modules
            assert result.scores[gate] < 0.75
