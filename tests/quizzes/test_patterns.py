"""What the answer-pattern report counts: truth keys, the longest option, positions."""

from hypothesis import given
from hypothesis import strategies as st

from app.quizzes import gift
from app.quizzes.patterns import answer_patterns

POOL = gift.parse(
    """
::a:: Q? {=short #r ~a much longer wrong option #w ~mid one #w}

::b:: Q? {~first wrong #w =the right one, which is longest #r ~x #w}

::c:: Q? {~the first one #w ~two #w =right #r}

::d:: Sure? {TRUE#w#r}

::e:: Sure? {FALSE#w#r}

::f:: Sure? {FALSE#w#r}

::g:: How many? {#=3:0#r}
"""
)


def test_it_counts_truth_keys_the_longest_right_option_and_positions():
    patterns = answer_patterns(POOL)
    assert (patterns.true_false, patterns.keyed_true) == (3, 1)
    assert (patterns.single, patterns.longest_right, patterns.shortest_right) == (3, 1, 1)
    assert dict(patterns.positions) == {0: 1, 1: 1, 2: 1}
    assert round(patterns.top_position_share, 2) == 0.33


def test_an_empty_pool_gives_nothing_away():
    patterns = answer_patterns([])
    assert (patterns.true_share, patterns.longest_share, patterns.top_position_share) == (
        0.5,
        0.0,
        0.0,
    )


@given(st.lists(st.integers(0, 3), min_size=1, max_size=30))
def test_every_single_choice_question_is_counted_at_the_position_of_its_key(keys):
    questions = []
    for n, key in enumerate(keys):
        options = " ".join(("=" if i == key else "~") + f"option{i} #f" for i in range(4))
        questions.append(f"::q{n}:: Which? {{{options}}}")
    patterns = answer_patterns(gift.parse("\n\n".join(questions)))
    assert sum(patterns.positions.values()) == patterns.single == len(keys)
    assert patterns.positions[max(set(keys), key=keys.count)] == max(map(keys.count, keys))
    assert 0.25 <= patterns.top_position_share <= 1.0
