"""What the result page says about itself: why a company is at its step, answers in
words, and which answers moved between two assessments, with property tests on the real
instrument (an assessment compared with itself moves nothing)."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.assessment.explain import Move, answer_labels, moved_answers, why_here
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
from app.assessment.scoring import assess

REAL = parse((Path(__file__).resolve().parents[2] / "courses" / "assessment.toml").read_text())


def q(id, step=1, kind="yesno", gate=False, modules=("foundations",), **more):
    texts = {
        "vi": QuestionText(f"{id}?", f"thiếu {id}", unit="ngày"),
        "en": QuestionText(f"{id}?", f"no {id}", unit="days"),
    }
    if kind == "checklist":
        more.setdefault("options", tuple(Option(o, {"vi": o.upper(), "en": o}) for o in "abc"))
        more.setdefault("needed", 3)
    return Question(id, step, "customer-marketing", gate, 1, kind, modules, texts, **more)


def named(n):
    return {"vi": Named(f"b{n}", "."), "en": Named(f"s{n}", ".")}


def make(*questions):
    return Instrument(
        version=1,
        choices=Choices(
            {"vi": "Không biết", "en": "Don't know"},
            {"vi": ("Có", "Một phần", "Không"), "en": ("Yes", "Partly", "No")},
            {
                "vi": tuple(f"mức {n}" for n in range(6)),
                "en": tuple(f"level {n}" for n in range(6)),
            },
        ),
        dimensions=tuple(Dimension(d, {"vi": d, "en": d}) for d in DIMENSIONS),
        steps=tuple(Step(n, named(n)) for n in range(1, 8)),
        crm_levels=tuple(CrmLevel(n, named(n)) for n in range(1, 5)),
        questions=tuple(questions),
    )


# Each step: two gates and one scale.
LADDER = make(
    *(
        question
        for s in range(1, 8)
        for question in (
            q(f"g{s}a", s, gate=True, modules=(f"step-{s}",)),
            q(f"g{s}b", s, gate=True, modules=(f"step-{s}", "crm")),
            q(f"n{s}", s, kind="scale", modules=(f"step-{s}",)),
        )
    )
)


def meet(*steps):
    answers = {}
    for s in steps:
        answers.update({f"g{s}a": "yes", f"g{s}b": "yes", f"n{s}": 5})
    return answers


# --------------------------------------------------------------------------- why here


def test_why_names_the_one_missing_gate_of_the_next_step():
    answers = {**meet(1, 2, 3, 4, 5), "g1b": "no"}
    why = why_here(LADDER, assess(LADDER, answers))
    assert (why.placement, why.step, why.gates, why.mean_short) == (0, 1, ("g1b",), False)


def test_why_names_every_missing_gate_in_instrument_order():
    why = why_here(LADDER, assess(LADDER, meet(1, 2)))
    assert (why.placement, why.step, why.gates) == (2, 3, ("g3a", "g3b"))
    assert why.mean == 0 and why.mean_short


def test_why_names_a_short_average_when_every_gate_is_met():
    answers = {**meet(1), "g2a": "yes", "g2b": "yes", "n2": 2}
    why = why_here(LADDER, assess(LADDER, answers))
    assert (why.step, why.gates, why.mean_short) == (2, (), True)
    assert why.mean == 0.4 and why.needed == 0.6


def test_why_is_none_at_the_top_of_the_ladder():
    assert why_here(LADDER, assess(LADDER, meet(*range(1, 8)))) is None


def test_why_leaves_out_gates_the_instrument_no_longer_has():
    result = assess(LADDER, {})
    smaller = make(*(question for question in LADDER.questions if question.id != "g1a"))
    assert why_here(smaller, result).gates == ("g1b",)


@settings(max_examples=100, deadline=None)
@given(
    answers=st.fixed_dictionaries(
        {
            question.id: st.sampled_from(["yes", "partly", "no", None])
            for question in REAL.questions
            if question.kind == "yesno"
        }  # fmt: skip
    )
)
def test_below_the_top_there_is_always_a_reason_and_it_holds_the_next_step_back(answers):
    result = assess(REAL, answers)
    why = why_here(REAL, result)
    if result.placement == 7:
        assert why is None
        return
    assert why.step == result.placement + 1
    assert why.gates or why.mean_short
    assert set(why.gates) == set(result.step(why.step).gates_unmet)


# --------------------------------------------------------------------------- answers in words


def test_answer_labels_use_the_instruments_words_in_the_language():
    yesno, scale, checklist, number = (
        q("y"),
        q("s", kind="scale"),
        q("c", kind="checklist"),
        q("n", kind="number"),
    )
    instrument = make(yesno, scale, checklist, number)
    assert answer_labels(instrument, yesno, "partly", "en") == ("Partly",)
    assert answer_labels(instrument, yesno, "partly", "vi") == ("Một phần",)
    assert answer_labels(instrument, scale, 3, "en") == ("level 3",)
    assert answer_labels(instrument, checklist, ["c", "a"], "vi") == ("A", "C")
    assert answer_labels(instrument, checklist, [], "en") == ()
    assert answer_labels(instrument, number, 2.5, "en") == ("2.5 days",)
    assert answer_labels(instrument, number, 3, "vi") == ("3 ngày",)
    assert answer_labels(instrument, yesno, None, "en") == ("Don't know",)
    assert answer_labels(instrument, scale, None, "fr") == ("Không biết",)


# --------------------------------------------------------------------------- what moved


def test_moved_answers_list_each_change_with_its_direction_in_instrument_order():
    before = {"g1a": "no", "g1b": "yes", "n1": 2, "g2a": None}
    after = {"g1a": "yes", "g1b": "partly", "n1": 2, "g2a": "no"}
    moves = moved_answers(LADDER, before, after)
    assert [(m.question_id, m.before, m.after, m.direction) for m in moves] == [
        ("g1a", "no", "yes", "up"),
        ("g1b", "yes", "partly", "down"),
        ("g2a", None, "no", "same"),
    ]


def test_moved_answers_name_the_completed_modules_that_teach_them():
    moves = moved_answers(LADDER, {"g1b": "no"}, {"g1b": "yes"}, completed={"crm", "step-3"})
    assert moves == (Move("g1b", "no", "yes", 0.0, 1.0, ("crm",)),)


def test_a_missing_answer_is_i_dont_know_and_an_unfit_one_is_left_out():
    assert moved_answers(LADDER, {}, {"g1a": None}) == ()
    assert moved_answers(LADDER, {"n1": 9}, {"n1": 5}) == ()


def test_checklist_order_and_number_forms_are_not_moves():
    instrument = make(q("c", kind="checklist"), q("n", kind="number", minimum=0))
    assert moved_answers(instrument, {"c": ["a", "b"], "n": 3}, {"c": ["b", "a"], "n": 3.0}) == ()
    (move,) = moved_answers(instrument, {"c": ["a"]}, {"c": ["a", "c"]})
    assert move.direction == "up"


def real_answer(question):
    if question.kind == "yesno":
        return st.sampled_from(["yes", "partly", "no", None])
    if question.kind == "scale":
        return st.one_of(st.none(), st.integers(0, 5))
    if question.kind == "checklist":
        return st.one_of(st.none(), st.lists(st.sampled_from(question.option_ids), unique=True))
    low = question.minimum if question.minimum is not None else 0
    high = question.maximum if question.maximum is not None else 1_000
    return st.one_of(st.none(), st.integers(int(low), int(high)))


real_answers = st.fixed_dictionaries({q.id: real_answer(q) for q in REAL.questions})


@settings(max_examples=100, deadline=None)
@given(answers=real_answers)
def test_an_assessment_compared_with_itself_moves_nothing(answers):
    assert moved_answers(REAL, answers, dict(answers), completed={"crm-strategy"}) == ()


@settings(max_examples=100, deadline=None)
@given(before=real_answers, after=real_answers)
def test_every_move_is_a_real_change_and_its_modules_teach_it(before, after):
    completed = {"crm-strategy", "step-1-start"}
    moves = moved_answers(REAL, before, after, completed)
    assert len({m.question_id for m in moves}) == len(moves)
    for move in moves:
        question = REAL.question(move.question_id)
        assert move.before == before[question.id] and move.after == after[question.id]
        assert set(move.taught_by) <= completed & set(question.modules)
        assert (move.direction == "up") == (move.score_after > move.score_before)
    back = moved_answers(REAL, after, before)
    assert [m.question_id for m in back] == [m.question_id for m in moves]
