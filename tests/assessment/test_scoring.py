"""Scoring: each kind of answer, "I don't know", the 0.75 and 0.6 boundaries, placement
with gaps and islands, dimension scores, the CRM level, combining staff answers,
comparing re-takes, and property tests of monotonicity on the real instrument."""

import math
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.assessment.instrument import (
    DIMENSIONS,
    Band,
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
from app.assessment.scoring import (
    AnswerError,
    Basis,
    Changes,
    Disagreement,
    assess,
    combine,
    compare,
    gate_state,
    gates_counted,
    result_from_dict,
    result_to_dict,
    score_answer,
)

REAL = parse((Path(__file__).resolve().parents[2] / "courses" / "assessment.toml").read_text())


# --------------------------------------------------------------------------- a toy instrument


def q(id, step=1, kind="yesno", gate=False, weight=1, dimension="customer-marketing", **more):
    texts = {"vi": QuestionText(f"{id}?", f"thiếu {id}"), "en": QuestionText(f"{id}?", f"no {id}")}
    if kind == "checklist":
        more.setdefault("options", tuple(Option(o, {"vi": o, "en": o}) for o in "abcd"))
        more.setdefault("needed", 4)
    modules = more.pop("modules", ("foundations",))
    return Question(id, step, dimension, gate, weight, kind, modules, texts, **more)


def named(n):
    return {"vi": Named(f"b{n}", "."), "en": Named(f"s{n}", ".")}


def make(*questions):
    return Instrument(
        version=1,
        choices=Choices(
            {"vi": "?", "en": "?"},
            {"vi": ("c", "m", "k"), "en": ("y", "p", "n")},
            {"vi": tuple("012345"), "en": tuple("012345")},
        ),
        dimensions=tuple(Dimension(d, {"vi": d, "en": d}) for d in DIMENSIONS),
        steps=tuple(Step(n, named(n)) for n in range(1, 8)),
        crm_levels=tuple(CrmLevel(n, named(n)) for n in range(1, 5)),
        questions=tuple(questions),
    )


# Each step: two yes/no gates and one 0-5 scale.
LADDER = make(
    *(
        question
        for s in range(1, 8)
        for question in (
            q(f"g{s}a", s, gate=True),
            q(f"g{s}b", s, gate=True),
            q(f"n{s}", s, kind="scale"),
        )
    )
)


def meet(*steps):
    answers = {}
    for s in steps:
        answers.update({f"g{s}a": "yes", f"g{s}b": "yes", f"n{s}": 5})
    return answers


# --------------------------------------------------------------------------- one answer


@pytest.mark.parametrize(("raw", "score"), [("yes", 1.0), ("partly", 0.5), ("no", 0.0)])
def test_yesno_scores_one_half_zero(raw, score):
    assert score_answer(q("x"), raw) == score


@pytest.mark.parametrize("level", range(6))
def test_scale_scores_level_over_five(level):
    assert score_answer(q("x", kind="scale"), level) == level / 5


@pytest.mark.parametrize(
    ("ticked", "score"),
    [
        ([], 0.0),
        (["a"], 0.25),
        (["a", "b", "c"], 0.75),
        (["a", "b", "c", "d"], 1.0),
        (["b", "b"], 0.25),
    ],
)
def test_checklist_scores_ticked_over_needed(ticked, score):
    assert score_answer(q("x", kind="checklist"), ticked) == score


def test_checklist_caps_at_full_marks_when_more_than_needed_are_ticked():
    question = q("x", kind="checklist", needed=2)
    assert score_answer(question, ("a", "b", "c")) == 1.0
    assert score_answer(question, {"a"}) == 0.5


RESPONSE = q(
    "rt",
    kind="number",
    better="lower",
    minimum=0,
    bands=(Band(1, 1.0), Band(4, 0.75), Band(24, 0.5), Band(72, 0.25)),
)


@pytest.mark.parametrize(
    ("hours", "score"),
    [
        (0, 1.0),
        (1, 1.0),
        (1.01, 0.75),
        (4, 0.75),
        (5, 0.5),
        (24, 0.5),
        (72, 0.25),
        (72.5, 0.0),
        (500, 0.0),
    ],
)
def test_response_time_scores_by_its_bands(hours, score):
    assert score_answer(RESPONSE, hours) == score


def test_a_higher_is_better_number_scores_from_the_top_band_down():
    share = q(
        "share",
        kind="number",
        better="higher",
        minimum=0,
        maximum=100,
        bands=(Band(50, 1.0), Band(20, 0.5)),
    )
    assert [score_answer(share, v) for v in (0, 19.9, 20, 49, 50, 100)] == [0, 0, 0.5, 0.5, 1, 1]


@pytest.mark.parametrize("kind", ["yesno", "scale", "checklist", "number"])
def test_dont_know_scores_zero_for_every_kind(kind):
    assert score_answer(q("x", kind=kind), None) == 0.0


@pytest.mark.parametrize(
    ("question", "raw"),
    [
        (q("x"), "maybe"),
        (q("x"), True),
        (q("x"), 1),
        (q("x", kind="scale"), 6),
        (q("x", kind="scale"), -1),
        (q("x", kind="scale"), 2.5),
        (q("x", kind="scale"), True),
        (q("x", kind="checklist"), "a"),
        (q("x", kind="checklist"), ["a", "z"]),
        (q("x", kind="checklist"), 3),
        (RESPONSE, -1),
        (RESPONSE, "2"),
        (RESPONSE, math.nan),
        (RESPONSE, False),
        (q("pct", kind="number", minimum=0, maximum=100), 101),
        (q("x", kind="slider"), 1),
    ],
)
def test_an_answer_that_does_not_fit_raises(question, raw):
    with pytest.raises(AnswerError) as caught:
        score_answer(question, raw)
    assert caught.value.question_id == question.id


# --------------------------------------------------------------------------- unknowns, numbers


def test_unknown_answers_score_zero_and_are_listed_not_as_no():
    result = assess(LADDER, {"g1a": None, "g1b": "no", "n1": 0})
    assert result.scores["g1a"] == 0.0
    assert "g1a" in result.unknown
    assert "g1b" not in result.unknown and "n1" not in result.unknown
    assert "g2a" in result.unknown  # missing counts as unknown too


def test_unscored_numbers_are_kept_but_play_no_part_in_scores():
    instrument = make(
        q("g1", gate=True),
        q("g2", gate=True),
        q("count", kind="number", minimum=0),
        q("rt", kind="number", better="lower", bands=(Band(1, 1.0),), dimension="sales-crm"),
    )
    result = assess(instrument, {"g1": "yes", "g2": "yes", "count": 1200, "rt": 0.5})
    assert result.numbers == {"count": 1200, "rt": 0.5}
    assert "count" not in result.scores and result.scores["rt"] == 1.0
    assert result.step(1).mean == 1.0  # only the scored number counts
    assert result.dimensions["sales-crm"] == 100
    assert "count" in assess(instrument, {}).unknown


def test_answers_for_unknown_question_ids_are_ignored():
    assert assess(LADDER, {"nonsense": "yes"}) == assess(LADDER, {})


def test_an_invalid_answer_makes_assess_raise():
    with pytest.raises(AnswerError):
        assess(LADDER, {"n1": 9})


# --------------------------------------------------------------------------- boundaries


def test_a_gate_at_exactly_075_is_met():
    instrument = make(q("c", kind="checklist", gate=True), q("y", gate=True))
    result = assess(instrument, {"c": ["a", "b", "c"], "y": "yes"})
    assert result.scores["c"] == 0.75
    assert result.step(1).gates_met == ("c", "y") and result.step(1).met


@pytest.mark.parametrize(("level", "met"), [(2, False), (3, False), (4, True), (5, True)])
def test_a_scale_gate_is_met_in_full_from_level_four(level, met):
    instrument = make(q("s", kind="scale", gate=True), q("y", gate=True, kind="scale"))
    assert assess(instrument, {"s": level, "y": 3}).step(1).met is met


@pytest.mark.parametrize(("level", "state"), [(2, "unmet"), (3, "partly"), (4, "met")])
def test_a_scale_gate_at_level_three_is_partly_met(level, state):
    assert gate_state(score_answer(q("s", kind="scale", gate=True), level)) == state


@pytest.mark.parametrize(
    ("ticked", "state"), [(["a"], "unmet"), (["a", "b"], "partly"), (["a", "b", "c"], "met")]
)
def test_a_checklist_gate_with_half_the_ticks_is_partly_met(ticked, state):
    question = q("c", kind="checklist", gate=True)
    assert gate_state(score_answer(question, ticked)) == state


def test_one_partly_gate_beside_full_gates_is_met():
    result = assess(LADDER, {**meet(1), "g1b": "partly"})
    assert result.step(1).gates_met == ("g1a", "g1b")
    assert result.step(1).gates_partly == ("g1b",)
    assert result.step(1).met and result.placement == 1


def test_two_partly_gates_of_one_step_are_both_unmet():
    result = assess(LADDER, {**meet(1), "g1a": "partly", "g1b": "partly"})
    assert result.step(1).gates_unmet == ("g1a", "g1b")
    assert result.step(1).gates_partly == ("g1a", "g1b")
    assert not result.step(1).met and result.placement == 0


def test_a_partly_gate_beside_an_unmet_gate_leaves_only_the_unmet_one_missing():
    # Bringing g1a up to full would meet the step: g1b is not what is missing.
    result = assess(LADDER, {**meet(1), "g1a": "no", "g1b": "partly"})
    assert result.step(1).gates_unmet == ("g1a",)
    assert not result.step(1).met


def test_partly_on_a_gate_scores_half_wherever_it_is_counted():
    result = assess(LADDER, {**meet(1), "g1b": "partly"})
    assert result.scores["g1b"] == 0.5


@pytest.mark.parametrize(
    ("scores", "counted"),
    [
        ((1.0, 1.0), [True, True]),
        ((1.0, 0.5), [True, True]),
        ((0.5, 0.5), [False, False]),
        ((0.6, 0.5, 1.0), [False, False, True]),
        ((0.4, 0.5), [False, True]),
        ((0.0, 0.0), [False, False]),
    ],
)
def test_gates_counted_allows_one_partly_gate_per_step(scores, counted):
    assert gates_counted(scores) == counted


@pytest.mark.parametrize(("level", "met"), [(2, False), (3, True), (4, True)])
def test_the_other_questions_need_a_weighted_mean_of_06(level, met):
    result = assess(LADDER, {**meet(1), "n1": level})
    assert result.step(1).mean == pytest.approx(level / 5)
    assert result.step(1).met is met


@pytest.mark.parametrize(
    ("weights", "met"), [((3, 2), True), ((0.3, 0.2), True), ((0.29, 0.2), False)]
)
def test_a_weighted_mean_of_exactly_06_passes_despite_float_noise(weights, met):
    instrument = make(
        q("g1", gate=True),
        q("g2", gate=True),
        q("a", weight=weights[0]),
        q("b", weight=weights[1]),
    )
    result = assess(instrument, {"g1": "yes", "g2": "yes", "a": "yes", "b": "no"})
    assert result.step(1).met is met


def test_a_step_without_other_questions_is_met_by_its_gates():
    instrument = make(q("g1", gate=True), q("g2", gate=True))
    result = assess(instrument, {"g1": "yes", "g2": "no"})
    assert result.step(1).mean is None and not result.step(1).met
    assert assess(instrument, {"g1": "yes", "g2": "yes"}).step(1).met


def test_a_question_off_the_ladder_plays_no_part_in_its_steps_mean():
    instrument = make(
        q("g1", gate=True),
        q("g2", gate=True),
        q("own", kind="scale"),
        q("crm", weight=5, ladder=False, crm_level=2, dimension="sales-crm"),
    )
    result = assess(instrument, {"g1": "yes", "g2": "yes", "own": 4, "crm": "no"})
    assert result.step(1).mean == pytest.approx(0.8) and result.step(1).met
    result = assess(instrument, {"g1": "yes", "g2": "yes", "own": 1, "crm": "yes"})
    assert result.step(1).mean == pytest.approx(0.2) and not result.step(1).met
    assert result.crm_level == 2 and result.dimensions["sales-crm"] == 100


def test_a_step_with_no_questions_at_all_counts_as_met():
    # The real instrument always has gates (`check`); an empty step must not block the ladder.
    instrument = make(q("g1", gate=True), q("g2", gate=True), q("g3", step=3, gate=True))
    result = assess(instrument, {"g1": "yes", "g2": "yes"})
    assert result.step(2).met and result.placement == 2


# --------------------------------------------------------------------------- placement


def test_nothing_answered_is_placement_zero():
    result = assess(LADDER, {})
    assert result.placement == 0 and result.islands == ()
    assert len(result.unknown) == len(LADDER.questions)


@pytest.mark.parametrize("k", range(1, 8))
def test_meeting_steps_one_to_k_places_at_k(k):
    result = assess(LADDER, meet(*range(1, k + 1)))
    assert result.placement == k and result.islands == ()


def test_a_gap_stops_the_placement_and_higher_met_steps_are_islands():
    result = assess(LADDER, meet(1, 2, 4, 5, 7))
    assert result.placement == 2
    assert result.islands == (4, 5, 7)
    assert [s.met for s in result.steps] == [True, True, False, True, True, False, True]


def test_islands_without_step_one_leave_the_placement_at_zero():
    result = assess(LADDER, meet(2, 3))
    assert result.placement == 0 and result.islands == (2, 3)


def test_step_results_are_in_ladder_order():
    result = assess(LADDER, meet(1))
    assert [s.step for s in result.steps] == list(range(1, 8))
    assert result.step(3) is result.steps[2]
    assert result.gates_met == ("g1a", "g1b")


# --------------------------------------------------------------------------- dimensions


def test_dimension_score_is_the_weighted_mean_times_100():
    instrument = make(
        q("g1", gate=True, weight=2),
        q("g2", gate=True, dimension="automation"),
        q("a", kind="scale", weight=1),
    )
    result = assess(instrument, {"g1": "yes", "a": 2, "g2": "partly"})
    assert result.dimensions["customer-marketing"] == 80  # (2·1 + 1·0.4) / 3
    assert result.dimensions["automation"] == 50
    assert result.dimensions["people-culture"] == 0  # no questions at all
    assert set(result.dimensions) == set(DIMENSIONS)


@pytest.mark.parametrize(
    ("ticked", "level", "expected"),
    [(["a", "b", "c"], 3, 68), (["a"], 0, 13), (["a", "b"], 1, 35)],
)
def test_dimension_scores_round_half_up(ticked, level, expected):
    # (0.75 + 0.6) / 2 = 0.675; (0.25 + 0) / 2 = 0.125; (0.5 + 0.2) / 2 = 0.35
    instrument = make(q("c", kind="checklist"), q("s", kind="scale"))
    assert (
        assess(instrument, {"c": ticked, "s": level}).dimensions["customer-marketing"] == expected
    )


def test_real_instrument_all_best_answers_score_100_everywhere():
    result = assess(REAL, best_answers(REAL.questions))
    assert result.placement == 7 and result.islands == ()
    assert set(result.dimensions.values()) == {100}
    assert result.crm_level == 4
    assert result.unknown == ()


def test_real_instrument_no_answers_score_zero_everywhere():
    result = assess(REAL, {})
    assert result.placement == 0 and result.crm_level == 1
    assert set(result.dimensions.values()) == {0}
    assert len(result.unknown) == len(REAL.questions) and result.numbers == {}


# --------------------------------------------------------------------------- marks, basis

MARKED = make(
    *(
        question
        for s in range(1, 8)
        for question in (
            q(f"g{s}a", s, gate=True, kind="scale", mark=s == 7),
            q(f"g{s}b", s, gate=True),
        )
    )
)


def test_the_mark_of_a_step_above_a_low_placement_is_an_island_though_the_step_is_not_met():
    result = assess(MARKED, {"g1a": 5, "g1b": "yes", "g7a": 5})
    assert result.placement == 1 and not result.step(7).met
    assert result.marked == (7,) and result.islands == (7,)


def test_a_mark_only_partly_in_place_is_no_island():
    assert assess(MARKED, {"g1a": 5, "g1b": "yes", "g7a": 3}).islands == ()


def test_a_mark_of_the_next_step_is_no_island():
    answers = {f"g{s}{x}": 5 if x == "a" else "yes" for s in range(1, 7) for x in "ab"}
    result = assess(MARKED, {**answers, "g7a": 5})
    assert result.placement == 6 and result.marked == () and result.islands == ()


def test_a_met_step_with_a_mark_is_an_island_but_not_marked():
    result = assess(MARKED, {"g7a": 5, "g7b": "yes"})
    assert result.islands == (7,) and result.marked == ()


def test_the_real_instruments_mark_is_ai_on_customer_data():
    assert [q.id for q in REAL.questions if q.mark] == ["s7-prediction"]


def test_the_basis_names_the_missing_gates_and_a_short_average_of_the_next_step():
    result = assess(LADDER, {**meet(1), "g2a": "yes", "g2b": "no", "n2": 1})
    assert result.basis == Basis(1, 2, ("g2b",), (), pytest.approx(0.2))
    result = assess(LADDER, {**meet(1), "g2a": "partly", "g2b": "partly", "n2": 5})
    assert result.basis == Basis(1, 2, ("g2a", "g2b"), ("g2a", "g2b"), None)
    assert assess(LADDER, meet(*range(1, 8))).basis == Basis(7, None, (), (), None)


def test_a_result_kept_before_marks_and_partly_gates_existed_still_reads():
    data = result_to_dict(assess(LADDER, meet(1)))
    del data["marked"]
    for step in data["steps"]:
        del step["gates_partly"]
    assert result_from_dict(data) == assess(LADDER, meet(1))


# --------------------------------------------------------------------------- CRM level

CRM = make(
    q("g1", gate=True),
    q("g2", gate=True),
    q("support", crm_level=2, dimension="sales-crm"),
    q("records", kind="scale", crm_level=2, weight=2, dimension="sales-crm"),
    q("behaviour", crm_level=3, dimension="sales-crm"),
    q("crm", kind="scale", crm_level=3, dimension="sales-crm"),
    q("profile", step=6, crm_level=4, dimension="sales-crm"),
    q("one2one", step=6, kind="scale", crm_level=4, dimension="sales-crm"),
)
LEVEL_2 = {"support": "yes", "records": 2}  # (1 + 2·0.4) / 3 = 0.6
LEVEL_3 = {"behaviour": "partly", "crm": 4}  # (0.5 + 0.8) / 2 = 0.65
LEVEL_4 = {"profile": "yes", "one2one": 3}  # 0.8


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        ({}, 1),
        ({"support": "yes", "records": 1}, 1),
        (LEVEL_2, 2),
        ({**LEVEL_2, "behaviour": "partly", "crm": 3}, 2),
        ({**LEVEL_2, **LEVEL_3}, 3),
        ({**LEVEL_2, **LEVEL_3, **LEVEL_4}, 4),
        ({**LEVEL_2, **LEVEL_4}, 2),
        ({**LEVEL_3, **LEVEL_4}, 1),
    ],
)
def test_crm_level_climbs_one_level_at_a_time(answers, level):
    assert assess(CRM, answers).crm_level == level


def test_real_instrument_crm_level_follows_module_09():
    # Level 2: help after the sale, customers told apart; scattered records are enough.
    level_2 = {"s2-after-sales": "yes", "s2-audience-groups": "partly"}
    assert assess(REAL, level_2).crm_level == 2
    # Level 3: one record per customer that anyone can open, across every channel.
    level_3 = {
        **level_2,
        "s3-customer-records": 4,
        "s4-group-behaviour": "yes",
        "s4-group-offers": 3,
        "s4-crm-use": 4,
        "s4-customer-value": "partly",
        "s5-shared-customer-info": "yes",
        "s6-single-profile": "yes",
    }
    assert assess(REAL, level_3).crm_level == 3
    # Level 4: an offer, a timing and a contact person chosen for each customer.
    assert assess(REAL, {**level_3, "s6-one-to-one": 4}).crm_level == 4
    assert assess(REAL, {**level_2, "s6-one-to-one": 5}).crm_level == 2


def test_real_instrument_shared_records_and_one_profile_are_level_3_evidence():
    assert REAL.question("s3-customer-records").crm_level == 3
    assert REAL.question("s6-single-profile").crm_level == 3
    assert [q.id for q in REAL.questions if q.crm_level == 4] == ["s6-one-to-one"]


# --------------------------------------------------------------------------- combine

COMPANY = make(
    q("y"),
    q("s", kind="scale"),
    q("c", kind="checklist"),
    q("n", kind="number", minimum=0),
)


def combined(question_id, *answers):
    answers_sets = [{question_id: a} for a in answers]
    values, disagreements = combine(COMPANY, answers_sets)
    return values[question_id], disagreements


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (("yes", "yes", "no"), "yes"),
        (("yes", "no"), "no"),
        (("yes", "yes", "partly", "partly"), "partly"),
        (("yes", "partly", "no"), "no"),
        (("partly", "partly", "yes"), "partly"),
        (("yes", None, None), "yes"),
        ((None, None), None),
    ],
)
def test_yesno_goes_by_majority_and_ties_go_lower(answers, expected):
    assert combined("y", *answers)[0] == expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [((3,), 3), ((1, 4, 5), 4), ((1, 2, 4, 5), 2), ((0, 5), 0), ((2, 2, 3, 3), 2), ((4, None), 4)],
)
def test_scales_take_the_lower_median(answers, expected):
    assert combined("s", *answers)[0] == expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ((["a", "b"], ["a"], ["a", "c"]), ["a"]),
        ((["b", "a"], ["a", "b"], []), ["a", "b"]),
        ((["a"], ["b"]), []),
        ((["d", "a"],), ["a", "d"]),
        ((["a", "b"], ["a"], None), ["a"]),
    ],
)
def test_checklist_options_go_by_majority_and_half_is_not_enough(answers, expected):
    assert combined("c", *answers)[0] == expected


@pytest.mark.parametrize(("answers", "expected"), [((1, 3, 10), 3), ((2, 4), 3), ((7.5,), 7.5)])
def test_numbers_take_the_median(answers, expected):
    assert combined("n", *answers)[0] == expected


def test_a_yes_beside_a_no_is_a_disagreement_with_counts():
    _, disagreements = combined("y", "yes", "no", "yes", "partly", None)
    assert disagreements == [Disagreement("y", {"yes": 2, "partly": 1, "no": 1}, unknown=1)]


def test_yes_beside_partly_is_not_a_disagreement():
    assert combined("y", "yes", "partly", "partly")[1] == []


@pytest.mark.parametrize(
    ("answers", "disagree"), [((1, 2), False), ((1, 3), True), ((0, 5, 2), True), ((4, 4), False)]
)
def test_scales_two_levels_apart_disagree(answers, disagree):
    _, disagreements = combined("s", *answers)
    assert bool(disagreements) is disagree
    if disagree:
        assert disagreements[0].counts == {a: answers.count(a) for a in sorted(set(answers))}


def test_checklists_and_numbers_never_disagree():
    assert combined("c", ["a", "b", "c", "d"], [])[1] == []
    assert combined("n", 0, 1000)[1] == []


def test_combine_reports_disagreements_in_question_order():
    sets = [{"s": 0, "y": "yes"}, {"s": 5, "y": "no"}]
    assert [d.question_id for d in combine(COMPANY, sets)[1]] == ["y", "s"]


def test_combine_validates_every_answer():
    with pytest.raises(AnswerError):
        combine(COMPANY, [{"s": 3}, {"s": 8}])


def test_combine_of_no_answer_sets_knows_nothing():
    values, disagreements = combine(COMPANY, [])
    assert values == {"y": None, "s": None, "c": None, "n": None} and disagreements == []


# --------------------------------------------------------------------------- compare


def test_compare_reports_placement_dimensions_and_gates():
    before = assess(LADDER, {**meet(1, 2), "g3a": "yes"})
    after = assess(LADDER, {**meet(1, 3), "g2a": "no", "g2b": "yes", "n2": 5})
    changes = compare(before, after)
    assert (changes.placement_before, changes.placement_after) == (2, 1)
    assert changes.gates_gained == ("g3b",)
    assert changes.gates_lost == ("g2a",)
    assert changes.dimensions == {d: after.dimensions[d] - before.dimensions[d] for d in DIMENSIONS}
    assert changes.dimensions["customer-marketing"] == 38 - 33  # 8/21 after, 7/21 before


def test_compare_of_a_result_with_itself_shows_no_change():
    result = assess(LADDER, meet(1, 2, 5))
    assert compare(result, result) == Changes(
        2, 2, {d: 0 for d in DIMENSIONS}, (), (), result.crm_level, result.crm_level
    )


def test_compare_shows_the_crm_level_moving():
    changes = compare(assess(CRM, {}), assess(CRM, {**LEVEL_2, **LEVEL_3}))
    assert (changes.crm_level_before, changes.crm_level_after) == (1, 3)
    assert changes.dimensions["sales-crm"] > 0


def test_compare_counts_a_dimension_missing_on_one_side_as_zero():
    before = assess(LADDER, meet(1))
    after = replace(before, dimensions={**before.dimensions, "new": 40})
    assert compare(before, after).dimensions["new"] == 40


# --------------------------------------------------------------------------- properties

YESNO_ORDER = ["no", "partly", "yes"]


def answer_for(question):
    """Any valid answer to a question of the real instrument, or None."""
    if question.kind == "yesno":
        strategy = st.sampled_from(YESNO_ORDER)
    elif question.kind == "scale":
        strategy = st.integers(0, 5)
    elif question.kind == "checklist":
        strategy = st.lists(st.sampled_from(question.option_ids), unique=True)
    else:
        top = question.maximum if question.maximum is not None else 10_000
        strategy = st.integers(int(question.minimum or 0), int(top)) | st.floats(
            question.minimum or 0, top, allow_nan=False
        )
    return st.none() | strategy


def raised(question, raw):
    """Answers at least as good as `raw`."""
    if question.kind == "yesno":
        start = -1 if raw is None else YESNO_ORDER.index(raw)
        return st.sampled_from(YESNO_ORDER[start + 1 :] or [raw])
    if question.kind == "scale":
        return st.integers(0 if raw is None else raw, 5)
    if question.kind == "checklist":
        rest = [o for o in question.option_ids if o not in (raw or [])]
        return (
            st.lists(st.sampled_from(rest), unique=True).map(lambda more: [*(raw or []), *more])
            if rest
            else st.just(raw or [])
        )
    if not question.scored or raw is None:
        return answer_for(question).filter(lambda v: v is not None)
    if question.better == "lower":
        return st.floats(question.minimum or 0, raw, allow_nan=False)
    return st.floats(raw, question.maximum or raw * 2 + 1, allow_nan=False)


def best_answers(questions):
    answers = {}
    for question in questions:
        if question.kind == "yesno":
            answers[question.id] = "yes"
        elif question.kind == "scale":
            answers[question.id] = 5
        elif question.kind == "checklist":
            answers[question.id] = list(question.option_ids)
        elif question.better == "lower":
            answers[question.id] = question.minimum or 0
        else:
            answers[question.id] = question.maximum if question.maximum is not None else 1_000
    return answers


real_answers = st.fixed_dictionaries(
    {question.id: answer_for(question) for question in REAL.questions}
)


@settings(max_examples=150, deadline=None)
@given(answers=real_answers, data=st.data())
def test_raising_any_single_answer_never_lowers_placement_or_a_dimension(answers, data):
    question = data.draw(st.sampled_from(REAL.questions))
    better = data.draw(raised(question, answers[question.id]))
    before = assess(REAL, answers)
    after = assess(REAL, {**answers, question.id: better})
    assert after.scores.get(question.id, 0) >= before.scores.get(question.id, 0)
    assert after.placement >= before.placement
    assert after.crm_level >= before.crm_level
    for dimension, score in before.dimensions.items():
        assert after.dimensions[dimension] >= score


@settings(max_examples=150, deadline=None)
@given(answers=real_answers, data=st.data())
def test_raising_any_single_answer_never_unmeets_a_step(answers, data):
    question = data.draw(st.sampled_from(REAL.questions))
    better = data.draw(raised(question, answers[question.id]))
    before = assess(REAL, answers)
    after = assess(REAL, {**answers, question.id: better})
    for old, new in zip(before.steps, after.steps, strict=True):
        assert new.met or not old.met
        assert new.mean_met or not old.mean_met


@settings(max_examples=100, deadline=None)
@given(answers=real_answers, data=st.data())
def test_questions_off_the_ladder_never_move_a_step(answers, data):
    off = [q for q in REAL.questions if not q.ladder]
    changed = {q.id: data.draw(answer_for(q)) for q in off}
    before, after = assess(REAL, answers), assess(REAL, {**answers, **changed})
    assert [s.met for s in before.steps] == [s.met for s in after.steps]
    assert before.placement == after.placement


@settings(max_examples=150, deadline=None)
@given(answers=real_answers)
def test_the_placement_never_exceeds_the_highest_met_step(answers):
    result = assess(REAL, answers)
    met = [s.step for s in result.steps if s.met]
    assert result.placement <= max(met, default=0)
    assert all(result.step(n).met for n in range(1, result.placement + 1))
    assert set(result.islands) == {n for n in met if n > result.placement} | set(result.marked)
    assert all(n >= result.placement + 2 and not result.step(n).met for n in result.marked)
    assert all(0 <= s <= 1 for s in result.scores.values())
    assert all(0 <= d <= 100 for d in result.dimensions.values())


@settings(max_examples=100, deadline=None)
@given(answers=real_answers, k=st.integers(1, 7))
def test_meeting_every_gate_and_question_of_steps_one_to_k_places_at_least_k(answers, k):
    best = best_answers(q for q in REAL.questions if q.step <= k)
    assert assess(REAL, {**answers, **best}).placement >= k


@settings(max_examples=60, deadline=None)
@given(answers=real_answers, copies=st.integers(1, 4))
def test_staff_who_all_agree_combine_to_their_own_answers(answers, copies):
    values, disagreements = combine(REAL, [answers] * copies)
    assert disagreements == []
    assert assess(REAL, values) == assess(REAL, answers)


@settings(max_examples=60, deadline=None)
@given(answers=real_answers)
def test_a_result_kept_as_json_reads_back_equal(answers):
    import json

    result = assess(REAL, answers)
    assert result_from_dict(json.loads(json.dumps(result_to_dict(result)))) == result
