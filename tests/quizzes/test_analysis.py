"""Item analysis on small data sets computed by hand."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.quizzes.analysis import ItemResult, ItemStats, Sums, analyse, pearson

# Four first attempts at three one-mark questions:
#        q1 q2 q3  total
#   A     1  1  0    2
#   B     1  0  0    1
#   C     0  1  1    2
#   D     0  0  0    0
ATTEMPTS = [
    {"q1": (1, 1, "a"), "q2": (1, 1, "x"), "q3": (0, 1, "m")},
    {"q1": (1, 1, "a"), "q2": (0, 1, "y"), "q3": (0, 1, "m")},
    {"q1": (0, 1, "b"), "q2": (1, 1, "x"), "q3": (1, 1, "n")},
    {"q1": (0, 1, "c"), "q2": (0, 1, "y"), "q3": (0, 1, "o")},
]


def by_title(stats: list[ItemStats]) -> dict[str, ItemStats]:
    return {s.title: s for s in stats}


def test_facility_is_the_mean_mark_as_a_percentage_of_the_maximum():
    stats = by_title(analyse(ATTEMPTS))
    assert [stats[t].facility for t in ("q1", "q2", "q3")] == [50.0, 50.0, 25.0]


def test_discrimination_correlates_the_item_with_the_rest_of_the_attempt():
    stats = by_title(analyse(ATTEMPTS))
    # q1: marks 1,1,0,0 against rests 1,0,2,0 -> r = -0.5 / sqrt(1 * 2.75)
    assert stats["q1"].discrimination == pytest.approx(-100 * 0.5 / math.sqrt(2.75))
    # q2: marks 1,0,1,0 against rests 1,1,1,0 -> r = 0.5 / sqrt(1 * 0.75)
    assert stats["q2"].discrimination == pytest.approx(100 * 0.5 / math.sqrt(0.75))
    # q3: marks 0,0,1,0 against rests 2,1,1,0 -> covariance 0
    assert stats["q3"].discrimination == pytest.approx(0.0, abs=1e-9)


def test_answer_counts_say_how_often_each_answer_was_chosen():
    stats = by_title(analyse(ATTEMPTS))
    assert stats["q1"].answer_counts == {"a": 2, "b": 1, "c": 1}
    assert list(stats["q3"].answer_counts.items()) == [("m", 2), ("n", 1), ("o", 1)]


def test_questions_come_out_in_the_order_first_met_with_their_attempt_counts():
    stats = analyse(ATTEMPTS)
    assert [(s.title, s.attempts) for s in stats] == [("q1", 4), ("q2", 4), ("q3", 4)]


def test_flags_low_facility_and_low_or_negative_discrimination():
    assert all(not s.flags for s in analyse(ATTEMPTS))  # four attempts are too few to judge
    stats = by_title(analyse(ATTEMPTS * 3))  # the same figures, over twelve
    assert stats["q1"].flags == ("low_discrimination",)
    assert stats["q2"].flags == ()
    assert stats["q3"].flags == ("low_facility", "low_discrimination")


def test_facility_of_exactly_30_percent_is_not_flagged():
    attempts = [{"q": (1 if i < 3 else 0, 1), "r": (i % 2, 1)} for i in range(10)]
    stats = by_title(analyse(attempts))
    assert stats["q"].facility == 30.0
    assert "low_facility" not in stats["q"].flags


def test_discrimination_is_undefined_when_everyone_scores_the_same():
    attempts = [{"q": (1, 1), "r": (i % 2, 1)} for i in range(6)]
    stats = by_title(analyse(attempts))
    assert (stats["q"].facility, stats["q"].discrimination, stats["q"].flags) == (100.0, None, ())


def test_discrimination_is_undefined_when_the_rest_of_the_attempt_is_constant():
    attempts = [{"q": (i % 2, 1), "r": (1, 1)} for i in range(6)]
    assert by_title(analyse(attempts))["q"].discrimination is None


def test_discrimination_is_undefined_with_fewer_than_two_attempts():
    stats = analyse([{"q": (1, 1), "r": (0, 1)}])
    assert [s.discrimination for s in stats] == [None, None]
    assert [s.facility for s in stats] == [100.0, 0.0]


def test_nothing_to_analyse_gives_no_statistics():
    assert analyse([]) == []


def test_partial_marks_and_different_maximum_marks():
    # Marks out of 2 on q: 2, 1, 0 -> facility (1 + 0.5 + 0) / 3.
    attempts = [
        {"q": ItemResult(2, 2, ("a",)), "r": ItemResult(3, 3)},
        {"q": ItemResult(1, 2, ("b",)), "r": ItemResult(2, 3)},
        {"q": ItemResult(0, 2, ("c",)), "r": ItemResult(0, 3)},
    ]
    stats = by_title(analyse(attempts))
    assert stats["q"].facility == pytest.approx(50.0)
    # Marks 2,1,0 (mean 1) against rests 3,2,0 (mean 5/3): r = 3 / sqrt(2 * 14/3).
    assert stats["q"].discrimination == pytest.approx(100 * 3 / math.sqrt(2 * 14 / 3))


def test_questions_drawn_at_random_are_analysed_over_the_attempts_that_had_them():
    attempts = [
        {"q": (1, 1), "r": (1, 1)},
        {"q": (0, 1), "s": (1, 1)},
        {"r": (0, 1), "s": (0, 1)},
    ]
    stats = by_title(analyse(attempts))
    assert [(t, stats[t].attempts, stats[t].facility) for t in "qrs"] == [
        ("q", 2, 50.0),
        ("r", 2, 50.0),
        ("s", 2, 50.0),
    ]
    # q: marks 1,0 against rests 1,1 -> the rest is constant.
    assert stats["q"].discrimination is None


def test_multiple_response_answers_are_all_counted():
    attempts = [{"q": (1, 1, ["b", "c"])}, {"q": (0.5, 1, ["b"])}, {"q": (0, 1, ())}]
    assert analyse(attempts)[0].answer_counts == {"b": 2, "c": 1}


def test_an_item_worth_nothing_has_no_facility():
    stats = analyse([{"d": (0, 0)}, {"d": (0, 0)}])
    assert (stats[0].facility, stats[0].flags) == (None, ())


@pytest.mark.parametrize(
    ("xs", "ys", "r"),
    [
        ([1, 2, 3], [2, 4, 6], 1.0),
        ([1, 2, 3], [3, 2, 1], -1.0),
        ([1, 0, 1, 0], [1, 1, 1, 0], 0.5 / math.sqrt(0.75)),
        ([1, 1, 1], [1, 2, 3], None),
        ([1], [1], None),
        ([], [], None),
    ],
)
def test_pearson_correlation(xs, ys, r):
    assert pearson(xs, ys) == (None if r is None else pytest.approx(r))


def test_pearson_refuses_series_of_different_lengths():
    with pytest.raises(ValueError):
        pearson([1, 2], [1, 2, 3])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(*[st.sampled_from([0.0, 0.5, 1.0])] * 3), min_size=1, max_size=30))
def test_the_sums_sql_adds_up_give_what_analyse_finds(marks):
    attempts = [{f"q{i}": (mark, 1) for i, mark in enumerate(row)} for row in marks]
    for found in analyse(attempts):
        i = int(found.title[1:])
        xs = [row[i] for row in marks]
        ys = [sum(row) - row[i] for row in marks]
        sums = Sums(len(xs), sum(xs), sum(ys), sum(x * x for x in xs), sum(y * y for y in ys),
                    sum(x * y for x, y in zip(xs, ys, strict=True)))  # fmt: skip
        summed = sums.stats(found.title)
        assert summed.facility == pytest.approx(found.facility)
        if found.discrimination is None:
            assert summed.discrimination is None
        else:
            assert summed.discrimination == pytest.approx(found.discrimination, abs=1e-6)
        assert summed.flags == found.flags
