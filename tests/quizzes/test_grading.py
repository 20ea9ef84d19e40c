"""Grading each kind of question, shuffling answers and drawing questions with a seed."""

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.numbers import number_readings, read_number
from app.quizzes.gift import KINDS, Answer, Question, parse
from app.quizzes.grading import (
    GRADERS,
    Grade,
    answer_order,
    draw,
    grade,
    is_scored,
    match_choices,
    matches_short_answer,
    normalise_text,
    parse_number,
    right_answers,
    shuffled,
)


def one(text: str) -> Question:
    (question,) = parse(text)
    return question


SINGLE = one(
    "::single:: Chuyển đổi số bắt đầu từ đâu? {\n"
    "    =Từ khách hàng#Đúng.\n"
    "    ~%50%Từ quy trình#Một phần.\n"
    "    ~Từ phần mềm#Chưa đúng.\n"
    "    ~%-50%Từ máy in#Sai hẳn.\n"
    "    ####Công nghệ phục vụ khách hàng.\n"
    "}"
)
MULTI = one(
    "::multi:: What two people are entombed in Grant's tomb? {\n"
    "    ~%-50%No one#Someone is.\n    ~%50%Grant#Yes.\n"
    "    ~%50%Grant's wife#Yes.\n    ~%-50%Grant's father#No.\n}"
)
TRUE_Q = one("::t:: Hà Nội là thủ đô.{TRUE#Sai rồi.#Chính xác!####Từ 1010.}")
FALSE_Q = one("::f:: The sun rises in the West.{FALSE#It rises in the east.#Right.}")
SHORT = one(
    "::short:: Bộ phận nào cần dữ liệu khách hàng? {\n"
    "    =%50%khách#Gần đúng.\n    =Khách hàng#Đúng.\n    =%30%*marketing*#Một phần.\n"
    "    =%0%*#Hãy nghĩ về người mua.\n}"
)
NUMERIC = one("::n:: When was Ulysses S. Grant born?{#1822:5}")
WEIGHTED = one("::w:: Năm nào? {#=%100%2000:0 =%50%2001:1}")
PI_RANGE = one("::pi:: What is the value of pi (to 3 decimal places)? {#3.141..3.142}.")
CATCH_ALL = one("::q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}")
MATCHING = one(
    "::m:: Ghép công cụ với việc. {\n    =MISA -> Kế toán\n    =Haravan -> Bán hàng\n"
    "    =Zalo OA -> Chăm sóc khách hàng\n    =Excel -> Kế toán\n    = -> Sản xuất\n"
    "    ####Mỗi công cụ một việc chính.\n}"
)
ESSAY = one("::e:: Mô tả một quy trình bạn muốn số hoá. {####Không có đáp án duy nhất.}")
DESCRIPTION = one("::d:: Phần tiếp theo nói về dữ liệu.")


def test_a_grader_is_registered_for_every_kind():
    assert set(GRADERS) == set(KINDS)


def test_grade_dispatches_by_kind():
    assert grade(SINGLE, 0) == GRADERS["single"](SINGLE, 0)
    assert grade(TRUE_Q, True).score == 1.0


def test_grade_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="no grader"):
        grade(Question("x", "cloze", "?"), 0)


# --- single choice ------------------------------------------------------------------------


def test_single_choice_right_answer_scores_one_with_its_feedback():
    assert grade(SINGLE, 0) == Grade(
        1.0, feedback=("Đúng.",), general_feedback="Công nghệ phục vụ khách hàng.", matched=(0,)
    )
    assert grade(SINGLE, 0).correct


def test_single_choice_partial_credit_follows_the_weight():
    result = grade(SINGLE, 1)
    assert (result.score, result.feedback, result.correct) == (0.5, ("Một phần.",), False)


def test_single_choice_wrong_answer_scores_zero():
    assert grade(SINGLE, 2).score == 0.0


def test_single_choice_negative_weight_never_scores_below_zero():
    result = grade(SINGLE, 3)
    assert (result.score, result.feedback, result.matched) == (0.0, ("Sai hẳn.",), (3,))


@pytest.mark.parametrize("response", [None, -1, 4, 99, True, "0", 0.0, [0], {0}])
def test_single_choice_missing_or_malformed_response_scores_zero(response):
    result = grade(SINGLE, response)
    assert (result.score, result.feedback, result.matched) == (0.0, (), ())
    assert result.general_feedback == "Công nghệ phục vụ khách hàng."


# --- multiple response ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chosen", "score"),
    [
        ({1, 2}, 1.0),
        ({1}, 0.5),
        ({2}, 0.5),
        ({1, 0}, 0.0),
        ({0, 1, 2}, 0.5),
        ({0, 1, 2, 3}, 0.0),
        (set(), 0.0),
    ],
)
def test_multi_response_adds_the_weights_of_the_chosen_answers(chosen, score):
    assert grade(MULTI, chosen).score == pytest.approx(score)


def test_multi_response_score_never_below_zero():
    assert grade(MULTI, {0, 3}).score == 0.0
    assert grade(MULTI, {0}).score == 0.0


def test_multi_response_score_never_above_one():
    # A question stored with weights a little over 100% (GIFT accepts up to 100.5%).
    question = Question("q", "multi", "?", (Answer("a", 0.502), Answer("b", 0.502)))
    assert grade(question, {0, 1}).score == 1.0


def test_multi_response_gives_the_feedback_of_every_chosen_answer_in_order():
    result = grade(MULTI, [2, 0])
    assert (result.feedback, result.matched) == (("Someone is.", "Yes."), (0, 2))


@pytest.mark.parametrize("response", [[1, 2], (1, 2), frozenset({1, 2}), [2, 1, 1, 2]])
def test_multi_response_accepts_any_collection_and_ignores_repeats(response):
    assert grade(MULTI, response).score == 1.0


@pytest.mark.parametrize("response", [None, 1, "12", {1: "x"}, b"\x01"])
def test_multi_response_not_a_collection_of_indices_scores_zero(response):
    assert grade(MULTI, response) == Grade(0.0)


def test_multi_response_ignores_indices_that_do_not_exist():
    assert grade(MULTI, [1, 2, 7, -1, True]).matched == (1, 2)


@given(st.sets(st.integers(0, 3)), st.integers(0, 3))
def test_multi_response_score_stays_in_range_and_rises_with_a_right_answer(chosen, extra):
    score = grade(MULTI, chosen).score
    assert 0.0 <= score <= 1.0
    if MULTI.answers[extra].fraction > 0:
        assert grade(MULTI, chosen | {extra}).score >= score


# --- true / false -----------------------------------------------------------------------------


def test_true_false_right_answer_gets_the_right_answer_feedback():
    assert grade(TRUE_Q, True) == Grade(
        1.0, feedback=("Chính xác!",), general_feedback="Từ 1010.", matched=(0,)
    )


def test_true_false_wrong_answer_gets_the_wrong_answer_feedback():
    assert grade(TRUE_Q, False) == Grade(
        0.0, feedback=("Sai rồi.",), general_feedback="Từ 1010.", matched=(1,)
    )


def test_false_statement_is_right_when_the_learner_says_false():
    assert (grade(FALSE_Q, False).score, grade(FALSE_Q, False).feedback) == (1.0, ("Right.",))
    assert grade(FALSE_Q, True).feedback == ("It rises in the east.",)


@pytest.mark.parametrize("response", [None, 1, 0, "true", "True", ""])
def test_true_false_response_must_be_a_bool(response):
    assert grade(TRUE_Q, response).score == 0.0
    assert grade(TRUE_Q, response).matched == ()


# --- short answer -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Khách hàng",
        " khách  hàng ",
        "KHÁCH HÀNG",
        "khách\thàng",
        unicodedata.normalize("NFD", "Khách hàng"),
    ],
)
def test_short_answer_ignores_case_spacing_and_unicode_composition(typed):
    result = grade(SHORT, typed)
    assert (result.score, result.feedback, result.matched) == (1.0, ("Đúng.",), (1,))


def test_short_answer_diacritics_still_matter():
    result = grade(SHORT, "khach hang")
    assert (result.score, result.feedback) == (0.0, ("Hãy nghĩ về người mua.",))


def test_short_answer_best_weighted_match_counts_whatever_its_position():
    question = one("::q:: CRM? {=%50%crm* =CRM#Đúng =%25%c*}")
    assert (grade(question, "crm").score, grade(question, "crm").feedback) == (1.0, ("Đúng",))
    assert grade(question, "crm pro").score == 0.5
    assert grade(question, "cloud").score == 0.25


def test_short_answer_partial_credit():
    assert grade(SHORT, "Khách").score == 0.5


def test_short_answer_wildcard_matches_any_run_of_characters():
    result = grade(SHORT, "Phòng Marketing số")
    assert (result.score, result.feedback) == (0.3, ("Một phần.",))


def test_short_answer_catch_all_gives_its_feedback_and_no_credit():
    result = grade(SHORT, "kế toán")
    assert (result.score, result.feedback, result.matched) == (
        0.0,
        ("Hãy nghĩ về người mua.",),
        (3,),
    )


@pytest.mark.parametrize("response", [None, "", "   ", 5, ["Khách hàng"]])
def test_short_answer_empty_or_missing_scores_zero_even_with_a_catch_all(response):
    result = grade(SHORT, response)
    assert (result.score, result.feedback, result.matched) == (0.0, (), ())


@pytest.mark.parametrize(
    ("pattern", "typed", "expected"),
    [
        ("*Grant*", "Ulysses S. Grant", True),
        ("Gr*nt", "Grunt", True),
        ("Gr*nt", "Grant's", False),
        ("a**b", "a-b", True),
        ("\\*literal", "*literal", True),
        ("\\*literal", "xliteral", False),
        ("C++ (v1.0)?", "c++ (v1.0)?", True),
        ("C++ (v1.0)?", "C+ (v10)", False),
        ("*", "bất cứ gì", True),
        ("dòng", "dòng\nmới", False),
    ],
)
def test_short_answer_wildcards_follow_moodle(pattern, typed, expected):
    assert matches_short_answer(typed, pattern) is expected


def test_normalise_text_folds_case_composition_and_whitespace():
    assert normalise_text("  Khách\u00a0 HÀNG\n") == "khách hàng"
    assert normalise_text(unicodedata.normalize("NFD", "Đổi Số")) == "đổi số"


@given(st.text(st.characters(blacklist_characters="*\\")).filter(str.strip))
def test_a_typed_text_always_matches_itself_as_a_short_answer(text):
    assert matches_short_answer(text, text)


# --- numerical --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "score"),
    [
        ("1822", 1.0),
        ("1817", 1.0),
        ("1827", 1.0),
        ("1816.99", 0.0),
        ("1827.01", 0.0),
        ("1822,5", 1.0),
        (" 1822 ", 1.0),
        (1822, 1.0),
        (1826.5, 1.0),
        ("1.822e3", 1.0),
    ],
)
def test_numerical_answer_within_tolerance_scores(typed, score):
    assert grade(NUMERIC, typed).score == score


@pytest.mark.parametrize(
    ("typed", "score"),
    [("3.141", 1.0), ("3.142", 1.0), ("3,1415", 1.0), ("3.1409", 0.0), ("3.1421", 0.0)],
)
def test_numerical_range_includes_both_ends(typed, score):
    assert grade(PI_RANGE, typed).score == score


def test_numerical_tolerance_bounds_survive_binary_rounding():
    question = one("::pi:: pi? {#3.1415:0.0005}")
    assert grade(question, "3.141").score == 1.0
    assert grade(question, "3.142").score == 1.0
    assert grade(question, "3.1421").score == 0.0


@pytest.mark.parametrize(
    ("typed", "score"),
    [("2000", 1.0), ("2001", 0.5), ("2002", 0.5), ("2000,5", 0.5), ("1999", 0.0), ("2003", 0.0)],
)
def test_numerical_best_matching_weighted_answer_counts(typed, score):
    assert grade(WEIGHTED, typed).score == score


def test_numerical_feedback_is_that_of_the_answer_that_counted():
    question = one(
        "::g:: When was Ulysses S. Grant born? {#\n"
        "    =%50%1822:2 # Close.\n    =1822:0 # Correct!\n}"
    )
    assert (grade(question, "1822").feedback, grade(question, "1822").matched) == (
        ("Correct!",),
        (1,),
    )
    assert grade(question, "1821").feedback == ("Close.",)


def test_numerical_feedback_for_any_other_number():
    assert (grade(CATCH_ALL, "9").score, grade(CATCH_ALL, "9").feedback) == (
        0.0,
        ("Completely wrong",),
    )
    assert (grade(CATCH_ALL, "4").score, grade(CATCH_ALL, "4").feedback) == (1.0, ())


@pytest.mark.parametrize(
    "response", [None, "", "abc", "1_822", "nan", "inf", "1822 năm", True, float("nan"), [1822]]
)
def test_numerical_unreadable_response_scores_zero_without_feedback(response):
    result = grade(CATCH_ALL, response)
    assert (result.score, result.feedback, result.matched) == (0.0, (), ())


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("2,5", 2.5),
        ("2.5", 2.5),
        ("-2,5", -2.5),
        ("\u22125", -5.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        (".5", 0.5),
        ("1e3", 1000.0),
        (7, 7.0),
        ("1,2,3", None),
        ("", None),
        (True, None),
    ],
)
def test_parse_number_accepts_a_decimal_comma(typed, value):
    assert parse_number(typed) == value


@pytest.mark.parametrize(
    ("typed", "readings"),
    [
        ("1.200", (1.2, 1200.0)),
        ("1,200", (1.2, 1200.0)),
        ("1.234.567", (1234567.0,)),
        ("1 200 000", (1200000.0,)),
        ("1\u00a0200", (1200.0,)),
        ("10.000.000,5", (10000000.5,)),
        ("0.500", (0.5,)),
        ("1.2000", (1.2,)),
        ("1.234.5", ()),
        ("12 34", ()),
    ],
)
def test_number_readings_group_thousands_as_vietnamese_and_english_write_them(typed, readings):
    assert number_readings(typed) == readings


@given(st.integers(min_value=1000, max_value=10**12), st.sampled_from([".", ",", " "]))
def test_a_whole_number_written_with_thousands_separators_reads_as_itself(n, separator):
    assert float(n) in number_readings(f"{n:,}".replace(",", separator))


@pytest.mark.parametrize(
    ("typed", "group", "value"),
    [("1.200", ".", 1200.0), ("1.200", ",", 1.2), ("1,200", ",", 1200.0), ("1,200", ".", 1.2),
     ("2,5", ".", 2.5), ("1.234.567", ",", 1234567.0), ("x", ".", None)],
)  # fmt: skip
def test_read_number_takes_the_readers_thousands_separator(typed, group, value):
    assert read_number(typed, group) == value


def test_a_numerical_answer_written_the_vietnamese_way_is_right():
    question = one("::rev:: Doanh thu (nghìn đồng)? {#1200:0}")
    assert [grade(question, t).score for t in ("1.200", "1 200", "1200", "1,2", "12.000")] == [
        1, 1, 1, 0, 0
    ]  # fmt: skip


def test_numerical_negative_range():
    question = one("::neg:: Nhiệt độ? {#-5..-1}")
    assert [grade(question, t).score for t in ("-3", "-5", "-1", "0", "-5,5")] == [1, 1, 1, 0, 0]


# --- matching ---------------------------------------------------------------------------------

RIGHT = {0: "Kế toán", 1: "Bán hàng", 2: "Chăm sóc khách hàng", 3: "Kế toán"}


def test_matching_all_pairs_right_scores_one():
    assert grade(MATCHING, RIGHT) == Grade(
        1.0, general_feedback="Mỗi công cụ một việc chính.", matched=(0, 1, 2, 3)
    )


def test_matching_is_scored_per_pair():
    response = {**RIGHT, 1: "Sản xuất", 2: "Kế toán"}
    result = grade(MATCHING, response)
    assert (result.score, result.matched) == (0.5, (0, 3))


def test_matching_two_items_may_share_the_same_match():
    assert grade(MATCHING, {0: "Kế toán", 3: "Kế toán"}).score == 0.5


def test_matching_unanswered_items_count_as_wrong():
    assert grade(MATCHING, {0: "Kế toán"}).score == 0.25


def test_matching_compares_matches_after_unicode_composition_and_trimming():
    typed = {i: " " + unicodedata.normalize("NFD", m) for i, m in RIGHT.items()}
    assert grade(MATCHING, typed).score == 1.0


def test_matching_ignores_keys_that_are_not_items():
    assert grade(MATCHING, {**RIGHT, 4: "Sản xuất", 9: "x", "0": "Kế toán"}).score == 1.0


@pytest.mark.parametrize("response", [None, {}, [("Kế toán",)], "Kế toán", {0: 5}])
def test_matching_empty_or_malformed_response_scores_zero(response):
    assert grade(MATCHING, response).score == 0.0


# --- essay, description, and what counts ----------------------------------------------------


def test_essay_is_not_graded_but_shows_its_general_feedback():
    assert grade(ESSAY, "Quy trình bán hàng...") == Grade(
        0.0, graded=False, general_feedback="Không có đáp án duy nhất."
    )
    assert not grade(ESSAY, "...").correct


def test_description_is_not_scored():
    assert grade(DESCRIPTION, None) == Grade(0.0, graded=False)
    assert not is_scored(DESCRIPTION)
    assert all(is_scored(q) for q in (SINGLE, MULTI, TRUE_Q, SHORT, NUMERIC, MATCHING, ESSAY))


@pytest.mark.parametrize(
    ("question", "indices"),
    [
        (SINGLE, (0,)),
        (MULTI, (1, 2)),
        (TRUE_Q, (0,)),
        (FALSE_Q, (1,)),
        (SHORT, (1,)),
        (WEIGHTED, (0,)),
        (MATCHING, (0, 1, 2, 3)),
        (ESSAY, ()),
        (DESCRIPTION, ()),
    ],
)
def test_right_answers_are_those_to_show_after_submission(question, indices):
    assert right_answers(question) == indices


# --- shuffling and drawing --------------------------------------------------------------------


def test_answer_order_is_a_permutation_stable_for_one_seed():
    order = answer_order(SINGLE, "attempt-42")
    assert sorted(order) == [0, 1, 2, 3]
    assert answer_order(SINGLE, "attempt-42") == order


def test_answer_order_changes_with_the_seed():
    assert len({answer_order(SINGLE, seed) for seed in range(30)}) > 1


def test_answer_order_differs_between_questions_of_one_attempt():
    questions = [Question(f"q{i}", "single", "?", SINGLE.answers) for i in range(10)]
    assert len({answer_order(q, 7) for q in questions}) > 1


def test_answer_order_keeps_true_false_and_typed_answers_in_place():
    assert answer_order(TRUE_Q, 1) == (0, 1)
    assert answer_order(SHORT, 1) == (0, 1, 2, 3)
    assert answer_order(ESSAY, 1) == ()


def test_matching_shuffles_items_and_offers_every_distinct_match():
    assert sorted(answer_order(MATCHING, 3)) == [0, 1, 2, 3]
    choices = match_choices(MATCHING, 3)
    assert sorted(choices) == sorted(["Kế toán", "Bán hàng", "Chăm sóc khách hàng", "Sản xuất"])
    assert match_choices(MATCHING, 3) == choices


def test_order_is_the_same_in_another_process_with_another_hash_seed():
    code = (
        "from app.quizzes.grading import answer_order, draw, shuffled\n"
        "from app.quizzes.gift import parse\n"
        "q = parse('::q:: ? {=a ~b ~c ~d ~e ~f}')[0]\n"
        "print(answer_order(q, 'attempt-9'), answer_order(q, 9), shuffled('abcdef', 's'))\n"
    )
    root = Path(__file__).resolve().parents[2]
    outputs = {
        subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", code],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_shuffled_returns_a_reordered_copy():
    items = list(range(10))
    result = shuffled(items, "s")
    assert sorted(result) == items and items == list(range(10))


@pytest.mark.parametrize("seed", [1.5, (1, 2), None, True])
def test_seed_must_be_an_int_or_a_str(seed):
    with pytest.raises(TypeError):
        shuffled([1, 2], seed)


POOL = [Question(f"q{i:02}", "truefalse", "?", TRUE_Q.answers) for i in range(20)]


def test_draw_takes_distinct_questions_in_pool_order_stable_for_one_seed():
    drawn = draw(POOL, 5, "attempt-1")
    assert len({q.title for q in drawn}) == 5
    assert drawn == sorted(drawn, key=POOL.index)
    assert draw(POOL, 5, "attempt-1") == drawn


def test_draw_varies_with_the_seed():
    assert len({tuple(q.title for q in draw(POOL, 5, seed)) for seed in range(10)}) > 1


def test_draw_of_at_least_the_pool_size_returns_the_whole_pool():
    assert draw(POOL, 20, 1) == POOL
    assert draw(POOL, 50, 1) == POOL
    assert draw(POOL, 0, 1) == []


def test_draw_refuses_a_negative_count():
    with pytest.raises(ValueError):
        draw(POOL, -1, 1)
