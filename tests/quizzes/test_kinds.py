"""Question kinds: each kind reads a response from the form, grades it, and lays out its
answers for an attempt; and the shared seeded shuffling and drawing."""

import os
import subprocess
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.quizzes.gift import KINDS as GIFT_KINDS
from app.quizzes.gift import Answer, Question, parse
from app.quizzes.grading import Grade, draw, matches_short_answer, percent, seeded_shuffle
from app.quizzes.kinds import KINDS, InputError, grade, kind_of


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


def test_a_kind_is_registered_for_every_gift_kind():
    assert set(KINDS) == set(GIFT_KINDS)
    assert all(kind.name == name for name, kind in KINDS.items())


def test_a_question_of_an_unregistered_kind_has_no_kind():
    with pytest.raises(KeyError):
        kind_of(Question("x", "cloze", "?"))


# --- single choice ------------------------------------------------------------------------


def test_single_choice_right_answer_scores_one_and_matches_it():
    assert grade(SINGLE, 0) == Grade(1.0, matched=(0,))


def test_single_choice_partial_credit_follows_the_weight():
    assert grade(SINGLE, 1) == Grade(0.5, matched=(1,))


def test_single_choice_wrong_answer_scores_zero():
    assert grade(SINGLE, 2).score == 0.0


def test_single_choice_negative_weight_never_scores_below_zero():
    assert grade(SINGLE, 3) == Grade(0.0, matched=(3,))


@pytest.mark.parametrize("response", [None, -1, 4, 99, True, "0", 0.0, [0], {0}])
def test_single_choice_missing_or_malformed_response_scores_zero(response):
    assert grade(SINGLE, response) == Grade(0.0)


# --- multiple response ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chosen", "score"),
    [([1, 2], 1.0), ([1], 0.5), ([2], 0.5), ([0, 1], 0.0), ([0, 1, 2], 0.5), ([0, 1, 2, 3], 0.0),
     ([], 0.0)],
)  # fmt: skip
def test_multi_response_adds_the_weights_of_the_chosen_answers(chosen, score):
    assert grade(MULTI, chosen).score == pytest.approx(score)


def test_multi_response_score_never_below_zero():
    assert grade(MULTI, [0, 3]).score == 0.0
    assert grade(MULTI, [0]).score == 0.0


def test_multi_response_score_never_above_one():
    # A question stored with weights a little over 100% (GIFT accepts up to 100.5%).
    question = Question("q", "multi", "?", (Answer("a", 0.502), Answer("b", 0.502)))
    assert grade(question, [0, 1]).score == 1.0


def test_multi_response_matches_every_chosen_answer_in_order():
    assert grade(MULTI, [2, 0]).matched == (0, 2)


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
    score = grade(MULTI, sorted(chosen)).score
    assert 0.0 <= score <= 1.0
    if MULTI.answers[extra].fraction > 0:
        assert grade(MULTI, sorted(chosen | {extra})).score >= score


# --- true / false -----------------------------------------------------------------------------


def test_true_false_matches_true_as_answer_0_and_false_as_answer_1():
    assert grade(TRUE_Q, True) == Grade(1.0, matched=(0,))
    assert grade(TRUE_Q, False) == Grade(0.0, matched=(1,))


def test_false_statement_is_right_when_the_learner_says_false():
    assert grade(FALSE_Q, False) == Grade(1.0, matched=(1,))
    assert grade(FALSE_Q, True).score == 0.0


@pytest.mark.parametrize("response", [None, 1, 0, "true", "True", ""])
def test_true_false_response_must_be_a_bool(response):
    assert grade(TRUE_Q, response) == Grade(0.0)


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
    assert grade(SHORT, typed) == Grade(1.0, matched=(1,))


def test_short_answer_diacritics_still_matter():
    assert grade(SHORT, "khach hang") == Grade(0.0, matched=(3,))  # only the catch-all


def test_short_answer_best_weighted_match_counts_whatever_its_position():
    question = one("::q:: CRM? {=%50%crm* =CRM#Đúng =%25%c*}")
    assert grade(question, "crm") == Grade(1.0, matched=(1,))
    assert grade(question, "crm pro").score == 0.5
    assert grade(question, "cloud").score == 0.25


def test_short_answer_partial_credit():
    assert grade(SHORT, "Khách").score == 0.5


def test_short_answer_wildcard_matches_any_run_of_characters():
    assert grade(SHORT, "Phòng Marketing số") == Grade(0.3, matched=(2,))


def test_short_answer_catch_all_matches_with_no_credit():
    assert grade(SHORT, "kế toán") == Grade(0.0, matched=(3,))


@pytest.mark.parametrize("response", [None, "", "   ", 5, ["Khách hàng"]])
def test_short_answer_empty_or_missing_scores_zero_even_with_a_catch_all(response):
    assert grade(SHORT, response) == Grade(0.0)


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


@given(st.text(st.characters(blacklist_characters="*\\")).filter(str.strip))
def test_a_typed_text_always_matches_itself_as_a_short_answer(text):
    assert matches_short_answer(text, text)


# --- numerical --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "score"),
    [("1822", 1.0), ("1817", 1.0), ("1827", 1.0), ("1816.99", 0.0), ("1827.01", 0.0),
     ("1822,5", 1.0), (" 1822 ", 1.0), ("1.822e3", 1.0)],
)  # fmt: skip
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


def test_numerical_matches_the_answer_that_counted():
    question = one(
        "::g:: When was Ulysses S. Grant born? {#\n"
        "    =%50%1822:2 # Close.\n    =1822:0 # Correct!\n}"
    )
    assert grade(question, "1822") == Grade(1.0, matched=(1,))
    assert grade(question, "1821") == Grade(0.5, matched=(0,))


def test_numerical_any_other_number_matches_the_catch_all():
    assert grade(CATCH_ALL, "9") == Grade(0.0, matched=(1,))
    assert grade(CATCH_ALL, "4") == Grade(1.0, matched=(0,))


@pytest.mark.parametrize(
    "response", [None, "", "abc", "1_822", "nan", "inf", "1822 năm", True, 1822, [1822]]
)
def test_numerical_unreadable_response_scores_zero_and_matches_nothing(response):
    assert grade(CATCH_ALL, response) == Grade(0.0)


def test_a_numerical_answer_written_the_vietnamese_way_is_right():
    question = one("::rev:: Doanh thu (nghìn đồng)? {#1200:0}")
    assert [grade(question, t).score for t in ("1.200", "1 200", "1200", "1,2", "12.000")] == [
        1, 1, 1, 0, 0
    ]  # fmt: skip


def test_numerical_negative_range():
    question = one("::neg:: Nhiệt độ? {#-5..-1}")
    assert [grade(question, t).score for t in ("-3", "-5", "-1", "0", "-5,5")] == [1, 1, 1, 0, 0]


# --- matching ---------------------------------------------------------------------------------

# item index -> the answer whose match text is chosen: 0 and 3 both mean "Kế toán"
RIGHT = {"0": 0, "1": 1, "2": 2, "3": 0}


def test_matching_all_pairs_right_scores_one():
    assert grade(MATCHING, RIGHT) == Grade(1.0, matched=(0, 1, 2, 3))


def test_matching_is_scored_per_pair():
    assert grade(MATCHING, {**RIGHT, "1": 4, "2": 3}) == Grade(0.5, matched=(0, 3))


def test_matching_two_items_may_share_the_same_match():
    assert grade(MATCHING, {"0": 3, "3": 0}).score == 0.5


def test_matching_unanswered_items_count_as_wrong():
    assert grade(MATCHING, {"0": 0}).score == 0.25


def test_matching_ignores_keys_that_are_not_items():
    assert grade(MATCHING, {**RIGHT, "4": 4, "9": 1, "x": 0}).score == 1.0


@pytest.mark.parametrize("response", [None, {}, [("0", 0)], "Kế toán", {"0": 9}, {"0": "0"}])
def test_matching_empty_or_malformed_response_scores_zero(response):
    assert grade(MATCHING, response).score == 0.0


# --- essay, description -----------------------------------------------------------------------


def test_essay_is_kept_for_a_human_reader_not_graded():
    assert grade(ESSAY, "Quy trình bán hàng...") == Grade(0.0, graded=False)
    assert not KINDS["essay"].graded and KINDS["essay"].scored


def test_description_is_not_scored():
    assert grade(DESCRIPTION, None) == Grade(0.0, graded=False)
    assert not KINDS["description"].scored
    assert all(KINDS[k].scored for k in GIFT_KINDS if k != "description")


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
    assert kind_of(question).right_answers(question) == indices


def test_percent_is_the_mean_of_graded_questions():
    assert percent([Grade(1.0), Grade(0.5), Grade(0.0, graded=False)]) == 75.0
    assert percent([Grade(0.0, graded=False)]) == 100.0


# --- reading the form, and showing a response again --------------------------------------------


def form(**fields) -> MultiDict:
    return MultiDict([(k.replace("_", "-"), v) for k, vs in fields.items() for v in vs])


def laid_out(question, seed=7, shuffle=True) -> dict:
    order, choices = kind_of(question).layout(question, seed, shuffle)
    return {"id": 1, "order": order, "choices": choices}


def read(question, entry, data):
    return kind_of(question).read(data, "q1", entry)


def test_a_choice_is_read_from_its_position_on_the_page():
    entry = laid_out(SINGLE)
    for position, index in enumerate(entry["order"]):
        assert read(SINGLE, entry, form(q1=[str(position)])) == index
    assert read(SINGLE, entry, form()) is None


@pytest.mark.parametrize("values", [["9"], ["-1"], ["x"], ["0", "1"], [""]])
def test_a_choice_the_page_did_not_offer_is_refused(values):
    with pytest.raises(InputError) as error:
        read(SINGLE, laid_out(SINGLE), form(q1=values))
    assert error.value.template == "Choose one of the answers shown."


def test_several_choices_are_read_sorted_without_repeats():
    entry = laid_out(MULTI)
    order = entry["order"]
    assert read(MULTI, entry, form(q1=["2", "0", "2"])) == sorted({order[2], order[0]})


def test_true_or_false_is_read_as_a_bool():
    entry = laid_out(TRUE_Q)
    assert read(TRUE_Q, entry, form(q1=["false"])) is False
    with pytest.raises(InputError):
        read(TRUE_Q, entry, form(q1=["maybe"]))


def test_a_typed_answer_is_kept_as_typed_within_its_length():
    entry = laid_out(SHORT)
    nfd = unicodedata.normalize("NFD", " Khách hàng ")
    assert read(SHORT, entry, form(q1=[nfd])) == "Khách hàng"
    assert read(SHORT, entry, form(q1=["   "])) is None
    with pytest.raises(InputError) as error:
        read(SHORT, entry, form(q1=["x" * 201]))
    assert error.value.params == {"max": 200}


def test_a_typed_number_must_be_a_number():
    entry = laid_out(NUMERIC)
    assert read(NUMERIC, entry, form(q1=["1.822"])) == "1.822"
    with pytest.raises(InputError, match="Enter a number"):
        read(NUMERIC, entry, form(q1=["mười hai"]))


def test_an_essay_may_be_long():
    entry = laid_out(ESSAY)
    assert read(ESSAY, entry, form(q1=["x" * 5000])) == "x" * 5000
    with pytest.raises(InputError):
        read(ESSAY, entry, form(q1=["x" * 5001]))


def test_matching_reads_each_item_against_the_choices_offered():
    entry = laid_out(MATCHING)
    values = {f"q1-{n}": [str(n)] for n in range(len(entry["order"]))}
    stored = read(MATCHING, entry, MultiDict([(k, v[0]) for k, v in values.items()]))
    assert stored == {str(item): entry["choices"][n] for n, item in enumerate(entry["order"])}
    with pytest.raises(InputError):
        read(MATCHING, entry, MultiDict([("q1-0", "9")]))


QUESTIONS = [SINGLE, MULTI, TRUE_Q, SHORT, NUMERIC, MATCHING, ESSAY]


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.kind)
@given(seed=st.integers(0, 2**31), data=st.data())
def test_a_stored_response_shown_again_reads_back_the_same(question, seed, data):
    entry = laid_out(question, seed)
    kind = kind_of(question)
    fields = {
        "single": lambda: {"q1": [str(data.draw(st.integers(0, 3)))]},
        "multi": lambda: {"q1": [str(p) for p in data.draw(st.sets(st.integers(0, 3)))]},
        "truefalse": lambda: {"q1": [data.draw(st.sampled_from(["true", "false"]))]},
        "matching": lambda: {
            f"q1-{n}": [str(data.draw(st.integers(0, len(entry["choices"]) - 1)))]
            for n in range(len(entry["order"]))
        },
        "numerical": lambda: {"q1": [data.draw(st.sampled_from(["12", "1.200", "-2,5"]))]},
    }.get(question.kind, lambda: {"q1": [data.draw(st.sampled_from(["12", "Khách hàng"]))]})()
    stored = kind.read(MultiDict([(k, v) for k, vs in fields.items() for v in vs]), "q1", entry)
    if stored is None:
        return
    values = kind.form_values(stored, "q1", entry)
    again = kind.read(MultiDict([(k, v) for k, vs in values.items() for v in vs]), "q1", entry)
    assert again == stored


# --- laying out, shuffling and drawing --------------------------------------------------------


def test_a_layout_is_a_permutation_stable_for_one_seed():
    order = laid_out(SINGLE, 42)["order"]
    assert sorted(order) == [0, 1, 2, 3]
    assert laid_out(SINGLE, 42)["order"] == order


def test_a_layout_changes_with_the_seed_and_the_question():
    assert len({tuple(laid_out(SINGLE, seed)["order"]) for seed in range(30)}) > 1
    questions = [Question(f"q{i}", "single", "?", SINGLE.answers) for i in range(10)]
    assert len({tuple(laid_out(q, 7)["order"]) for q in questions}) > 1


def test_a_quiz_that_does_not_shuffle_keeps_file_order():
    assert laid_out(SINGLE, 42, shuffle=False)["order"] == [0, 1, 2, 3]


def test_options_with_an_order_of_their_own_are_never_shuffled():
    steps = one(
        "// [tag:keep-order]\n::steps:: Which step? {~Step 1 #n =Step 2 #y ~Step 3 #n ~Step 4 #n}"
    )
    assert {tuple(laid_out(steps, seed)["order"]) for seed in range(30)} == {(0, 1, 2, 3)}
    multi = replace(steps, kind="multi", answers=MULTI.answers)
    assert {tuple(laid_out(multi, seed)["order"]) for seed in range(30)} == {(0, 1, 2, 3)}


def test_true_false_and_typed_answers_keep_their_place():
    assert laid_out(TRUE_Q)["order"] == [0, 1]
    assert laid_out(SHORT)["order"] == [0, 1, 2, 3]
    assert laid_out(ESSAY)["order"] == []


def test_matching_shuffles_items_and_offers_every_distinct_match_even_unshuffled():
    entry = laid_out(MATCHING, 3, shuffle=False)
    assert entry["order"] == [0, 1, 2, 3]
    matches = [MATCHING.answers[c].match for c in entry["choices"]]
    assert sorted(matches) == sorted(["Kế toán", "Bán hàng", "Chăm sóc khách hàng", "Sản xuất"])
    assert sorted(laid_out(MATCHING, 3)["order"]) == [0, 1, 2, 3]


def test_order_is_the_same_in_another_process_with_another_hash_seed():
    code = (
        "from app.quizzes.grading import draw, seeded_shuffle\n"
        "from app.quizzes.kinds import kind_of\n"
        "from app.quizzes.gift import parse\n"
        "q = parse('::q:: ? {=a ~b ~c ~d ~e ~f}')[0]\n"
        "print(kind_of(q).layout(q, 9, True), seeded_shuffle('abcdef', 's'))\n"
        "print(draw('abcdef', 3, 1))\n"
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


def test_seeded_shuffle_returns_a_reordered_copy():
    items = list(range(10))
    result = seeded_shuffle(items, "s")
    assert sorted(result) == items and items == list(range(10))


@pytest.mark.parametrize("seed", [1.5, (1, 2), None, True])
def test_seed_must_be_an_int_or_a_str(seed):
    with pytest.raises(TypeError):
        seeded_shuffle([1, 2], seed)


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
