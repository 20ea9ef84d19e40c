"""The ranking's rules and the wording of reasons (issue 16, points 2-4): the module that
opens the next step leads, broad modules do not win by breadth, ties go to relevance,
reasons are worded by the answer given, islands are named, the top of the ladder gets
advice; with property tests on the real instrument."""

from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.assessment.instrument import parse
from app.assessment.recommend import (
    CHECKLIST_WORDS,
    KEEP,
    NUMBER_WORDS,
    SCALE_WORDS,
    UNKNOWN_WORDS,
    YESNO_WORDS,
    gap_words,
    next_step,
    recommend,
    what_if,
)
from app.assessment.scoring import assess
from app.content.files import read_course
from tests.assessment.test_recommend import LADDER, answer_for, meet

ROOT = Path(__file__).resolve().parents[2]
REAL = parse((ROOT / "courses" / "assessment.toml").read_text())
COURSE = sorted(read_course(ROOT)[0], key=lambda m: m.position)
ORDER = tuple(module.slug for module in COURSE)
MINUTES = {module.slug: module.minutes for module in COURSE}


def words(message, **params):
    """gettext for English: the message itself, filled in."""
    return message % params


def best(question):
    if question.kind == "yesno":
        return "yes"
    if question.kind == "scale":
        return 5
    if question.kind == "checklist":
        return list(question.option_ids)
    return question.bands[0].limit if question.bands else None


def lowest(question):
    return {"yesno": "no", "scale": 0, "checklist": []}.get(question.kind)


def full(*steps):
    """Full marks on every question of `steps`."""
    return {q.id: best(q) for q in REAL.questions if q.step in steps}


def modules(found):
    return [r.module for r in found]


# --------------------------------------------------------------------------- point 2


def test_a_step_4_shop_missing_two_step_5_practices_is_sent_to_step_5_first():
    answers = {**full(1, 2, 3, 4), "s5-auto-messages": 0, "s5-lead-follow-up": "no"}
    result = assess(REAL, answers)
    assert result.placement == 4
    found = recommend(REAL, result, set(), ORDER)
    assert found[0].module == "step-5-automate"
    assert set(found[0].closes) >= {"s5-auto-messages", "s5-lead-follow-up"}
    assert found[0].module == what_if(REAL, result, ORDER)[0].module


def test_a_firm_failing_step_1_only_on_its_average_is_sent_to_step_1_not_to_crumbs():
    # Both gates met, every other step-1 practice answered no, nothing above: before,
    # 0.2-weighted "later" gaps piled onto CRM dashboards put it first.
    answers = {q.id: best(q) for q in REAL.questions if q.step == 1 and q.gate}
    answers |= {q.id: lowest(q) for q in REAL.questions if q.step == 1 and not q.gate}
    result = assess(REAL, answers)
    assert result.placement == 0 and not result.step(1).gates_unmet
    target = next_step(REAL, result)
    assert target is not None and target.gates == () and target.others
    found = recommend(REAL, result, set(), ORDER)
    assert found[0].module == "step-1-start"
    assert set(found[0].closes) <= set(target.others)
    assert [r.why for r in found[0].reasons[: len(found[0].closes)]] == ["next"] * len(
        found[0].closes
    )


def test_a_broad_module_does_not_win_by_breadth_alone():
    # crm-strategy is tagged on every step's non-gate question: ten thousand crumbs
    # cannot outweigh the next step's gate.
    result = assess(LADDER, {**meet(1, 2), "g3a": "no", "g3b": "yes"})
    found = recommend(LADDER, result, set(), ORDER, limit=20)
    assert found[0].module == "step-3-combine"
    broad = next(r for r in found if r.module == "crm-strategy")
    assert broad.priority <= 2 * max(x.contribution for x in broad.reasons)


def test_equal_priorities_go_to_the_module_nearest_the_next_step():
    # At the top, a gap of step 4 and one of step 7 weigh the same; course order would
    # put step 4 first, relevance puts step 7 first.
    result = assess(LADDER, {**meet(*range(1, 8)), "n4": 4, "n7": 4})
    assert result.placement == 7
    found = {r.module: r for r in recommend(LADDER, result, set(), ORDER, limit=20)}
    four, seven = found["step-4-optimise"], found["step-7-innovate"]
    assert four.priority == seven.priority and (four.distance, seven.distance) == (3, 0)
    ranked = modules(recommend(LADDER, result, set(), ORDER, limit=20))
    assert ranked.index("step-7-innovate") < ranked.index("step-4-optimise")


def test_the_worked_example_of_the_ranking_document():
    # docs/assessment.md, "Ranking the modules", section 6
    answers = {**full(1, 2, 3), "s1-bulk-messages": 3}
    answers |= {
        "s4-campaign-cost": "no",
        "s4-marketing-targets": "partly",
        "s4-group-behaviour": "no",
        "s4-group-offers": 2,
        "s4-community": "yes",
        "s4-crm-use": None,
        "s4-customer-value": "partly",
        "s4-crm-plan": "no",
        "s4-staff-tools": "yes",
    }
    answers |= {q.id: lowest(q) for q in REAL.questions if q.step >= 5 and q.kind != "number"}
    answers |= {"s5-response-time": 200}
    result = assess(REAL, answers)
    assert result.placement == 3 and result.step(4).mean == pytest.approx(2.4 / 4.5)
    # s4-marketing-targets, the only gate met partly, is tolerated
    assert next_step(REAL, result).conditions == (
        "s4-campaign-cost",
        "s4-group-behaviour",
        "s4-group-offers",
    )
    found = recommend(REAL, result, set(), ORDER, limit=11, minutes=MINUTES)
    assert [(r.module, r.closing) for r in found[:3]] == [
        ("step-4-optimise", 8.1),
        ("crm-dashboards", 6.0),
        ("crm-strategy", 2.1),
    ]
    assert [(r.module, r.priority) for r in found[3:8]] == [
        ("step-5-automate", 1.15),
        ("crm-value-chain", 0.8),
        ("step-1-start", 0.8),
        ("step-6-transform", 0.7),
        ("foundations", 0.7),
    ]
    assert all(r.closing == 0 for r in found[3:])
    assert found[0].minutes == 50
    assert [r.question_id for r in found[0].reasons] == [
        "s4-campaign-cost",
        "s4-group-behaviour",
        "s4-group-offers",
        "s4-marketing-targets",
    ]
    first = [gap_words(REAL, r, "en", words) for r in found[0].reasons[:3]]
    assert first == [
        "you do not track the cost of each campaign",
        "you do not yet put what customers look at next to what they buy to understand each group",
        "you rated “Sending different messages or offers to different customer groups” as"
        " “Tried a few times”",
    ]
    # summing every contribution instead would put CRM dashboards first
    assert [round(sum(c.contribution for c in r.reasons), 6) for r in found[:2]] == [11.1, 11.3]


def test_a_recommendation_carries_the_conditions_it_closes_and_its_minutes():
    result = assess(LADDER, {**meet(1), "g2a": "no", "g2b": "no"})
    found = recommend(LADDER, result, set(), ORDER, minutes=MINUTES, limit=20)
    first = found[0]
    # n2, not answered, keeps the mean of step 2 short: it is missing too
    assert (first.module, first.closes) == ("step-2-radiate", ("g2b", "g2a", "n2"))
    assert first.minutes == MINUTES["step-2-radiate"]
    assert [r.closes for r in first.reasons[:3]] == [True, True, True]
    dashboards = next(r for r in found if r.module == "crm-dashboards")
    assert dashboards.closes == ("g2b",)
    assert recommend(LADDER, result, set(), ORDER)[0].minutes is None


def test_reasons_of_the_next_step_come_before_other_gaps():
    # n2 (reached: 1·0.4·2 = 0.8) weighs more than n3 (next: 1·0.6·1 = 0.6), but only n3
    # helps reach step 3, whose mean is short.
    answers = {**meet(1), "g2a": "yes", "g2b": "yes", "n2": 3, "g3a": "yes", "g3b": "yes"}
    result = assess(LADDER, {**answers, "n3": 2})
    assert result.placement == 2 and next_step(LADDER, result).others == ("n3",)
    found = {r.module: r for r in recommend(LADDER, result, set(), ORDER, limit=20)}
    reasons = found["crm-strategy"].reasons
    assert [(r.question_id, r.contribution) for r in reasons[:2]] == [("n3", 0.6), ("n2", 0.8)]


# --------------------------------------------------------------------------- point 3


@pytest.fixture
def reasons_of():
    def reasons_of(answers, instrument=REAL):
        result = assess(instrument, answers)
        return {
            reason.question_id: reason
            for rec in recommend(instrument, result, set(), ORDER, limit=20)
            for reason in rec.reasons
        }

    return reasons_of


def test_in_use_is_not_told_it_does_nothing(reasons_of):
    reason = reasons_of({"s1-bulk-messages": 4})["s1-bulk-messages"]
    question = REAL.question("s1-bulk-messages").text("en")
    text = gap_words(REAL, reason, "en", words)
    assert text == SCALE_WORDS % {"question": question.text, "answer": "Regularly"}
    assert question.gap not in text


def test_partly_is_worded_as_partly(reasons_of):
    reason = reasons_of({"s4-community": "partly"})["s4-community"]
    text = gap_words(REAL, reason, "en", words)
    question = REAL.question("s4-community").text("en")
    assert text == YESNO_WORDS % {"answer": "Partly", "question": question.text}


def test_a_partial_checklist_says_how_many_were_ticked(reasons_of):
    reason = reasons_of({"s1-channels": ["facebook"]})["s1-channels"]
    text = gap_words(REAL, reason, "en", words)
    assert text == CHECKLIST_WORDS % {
        "ticked": 1,
        "needed": 2,
        "question": REAL.question("s1-channels").text("en").text,
    }


def test_a_figure_short_of_the_best_band_names_the_figure():
    question = next(q for q in REAL.questions if q.kind == "number" and q.scored)
    partial = next(b for b in question.bands if 0 < b.score < 1)
    result = assess(REAL, {question.id: partial.limit})
    reason = next(
        r
        for rec in recommend(REAL, result, set(), ORDER, limit=20)
        for r in rec.reasons
        if r.question_id == question.id
    )
    text = gap_words(REAL, reason, "en", words)
    assert text.startswith(NUMBER_WORDS.split("%(value)s")[0])
    assert f"{partial.limit:g}" in text


def test_the_lowest_answer_takes_the_instruments_words(reasons_of):
    reason = reasons_of({"s1-bulk-messages": 0})["s1-bulk-messages"]
    assert gap_words(REAL, reason, "en", words) == REAL.question("s1-bulk-messages").text("en").gap


def test_i_dont_know_asks_to_find_out(reasons_of):
    reason = reasons_of({})["s1-product-info"]
    assert reason.unknown and reason.answer == "unknown"
    text = gap_words(REAL, reason, "en", words)
    assert text == UNKNOWN_WORDS % {"question": REAL.question("s1-product-info").text("en").text}
    assert REAL.question("s1-product-info").text("en").gap not in text


def test_a_gap_of_a_step_met_above_the_placement_is_an_island(reasons_of):
    answers = {**meet(1, 3), "n3": 4}
    result = assess(LADDER, answers)
    assert result.placement == 1 and 3 in result.islands
    assert reasons_of(answers, LADDER)["n3"].why == "island"
    assert reasons_of(answers, LADDER)["n4"].why == "later"


def test_reasons_on_the_pages_are_worded_by_the_answer(client, instrument, make_user, login):
    from tests.test_assessment_web import answer_all, submit

    login(make_user(locale="en"))
    answer_all(client, lambda q: "partly" if q.kind == "yesno" else None)
    html = client.get(submit(client)).get_data(as_text=True)
    section = html[html.index('<ol class="recommendations">') :]
    assert "you answered “Partly” to “" in section
    assert "your online channels do not yet show" not in section


# --------------------------------------------------------------------------- point 4


def test_a_company_at_the_top_gets_the_crm_and_kpi_modules_and_its_weakest_practices():
    answers = {**full(*range(1, 8)), "s7-prediction": 4}
    result = assess(REAL, answers)
    assert result.placement == 7
    found = recommend(REAL, result, set(), ORDER, limit=10)
    assert found[0].module == "step-7-innovate"
    assert found[0].reasons[0].question_id == "s7-prediction"
    assert set(KEEP) <= set(modules(found))
    keep = [r for r in found if r.module in KEEP]
    assert all(r.reasons[-1].why == "top" for r in keep)


def test_a_perfect_company_still_gets_advice():
    result = assess(REAL, full(*range(1, 8)))
    assert result.placement == 7
    found = recommend(REAL, result, set(), ORDER)
    assert sorted(modules(found)) == sorted(KEEP)
    assert recommend(REAL, result, set(KEEP), ORDER) == []


def test_the_top_reason_is_worded_with_the_reassessment_advice(app):
    from flask import render_template_string

    result = assess(REAL, full(*range(1, 8)))
    reason = recommend(REAL, result, set(), ORDER)[0].reasons[0]
    template = (
        '{% from "assessment/_reasons.html" import reason_text %}{{ reason_text(reason, gap) }}'
    )
    with app.test_request_context(headers={"Accept-Language": "en"}):
        text = render_template_string(template, reason=reason, gap="")
    assert text.startswith("You meet every step") and "re-take this assessment" in text


# --------------------------------------------------------------------------- properties

real_answers = st.fixed_dictionaries({q.id: answer_for(q) for q in REAL.questions})
completed_sets = st.sets(st.sampled_from(ORDER))


def answered(question, raw):
    """What the reason may say about a raw answer, in English."""
    if raw is None:
        return "unknown"
    if question.kind == "yesno":
        return {"yes": "full", "partly": "partial", "no": "lowest"}[raw]
    if question.kind == "scale":
        return "lowest" if raw == 0 else "partial" if raw < 5 else "full"
    return None  # checklists and figures: by score


@settings(max_examples=150, deadline=None)
@given(answers=real_answers, completed=completed_sets)
def test_the_first_module_closes_a_missing_condition_of_the_next_step(answers, completed):
    result = assess(REAL, answers)
    target = next_step(REAL, result)
    assume(target is not None)
    teachable = {
        m for c in target.conditions for m in REAL.question(c).modules if m not in completed
    }
    found = recommend(REAL, result, completed, ORDER)
    if teachable:
        assert found and found[0].closes
        assert set(found[0].closes) <= set(target.conditions)
        assert found[0].module in teachable
        # every module that closes something comes before every module that does not
        closing = [bool(r.closes) for r in recommend(REAL, result, completed, ORDER, 20)]
        assert closing == sorted(closing, reverse=True)


@settings(max_examples=150, deadline=None)
@given(answers=real_answers)
def test_no_reason_contradicts_the_answer_it_names(answers):
    result = assess(REAL, answers)
    yesno = dict(zip(("yes", "partly", "no"), REAL.choices.yesno["en"], strict=True))
    scale = REAL.choices.scale["en"]
    for rec in recommend(REAL, result, set(), ORDER, limit=20):
        for reason in rec.reasons:
            if reason.question_id is None:
                continue
            question = REAL.question(reason.question_id)
            raw = answers[question.id]
            text = gap_words(REAL, reason, "en", words)
            gap = question.text("en").gap
            expected = answered(question, raw)
            if expected is not None:
                assert reason.answer == expected
            if raw is None:
                # "I don't know" is never worded as "no"
                assert text == UNKNOWN_WORDS % {"question": question.text("en").text}
                assert gap not in text and "“No”" not in text and "“Not used”" not in text
            elif reason.answer == "lowest":
                assert text == gap
            else:
                # a partial answer is named as given, never in the absolute words
                assert gap not in text
                if question.kind == "yesno":
                    assert f"“{yesno[raw]}”" in text
                if question.kind == "scale":
                    assert f"“{scale[raw]}”" in text


OTHERS = [q.id for q in REAL.questions if not q.gate]


@settings(max_examples=80, deadline=None)
@given(data=st.data(), completed=completed_sets)
def test_a_company_at_the_top_always_gets_advice(data, completed):
    # full marks but on a few questions (gates at 4 of 5 or better), so most stay at 7
    answers = full(*range(1, 8))
    for question_id in data.draw(st.lists(st.sampled_from(OTHERS), max_size=3, unique=True)):
        answers[question_id] = data.draw(answer_for(REAL.question(question_id)))
    for question in REAL.questions:
        if question.gate and question.kind == "scale":
            answers[question.id] = data.draw(st.sampled_from([4, 5]))
    result = assess(REAL, answers)
    assume(result.placement == 7)
    found = recommend(REAL, result, completed, ORDER)
    if not set(KEEP) <= completed:
        assert found
    for rec in found:
        assert rec.module not in completed
