"""Word diffs of lesson texts: they spell both texts back, and show a changed word as
one word removed and one added."""

from hypothesis import given
from hypothesis import strategies as st

from app.studio.diff import Run, word_diff

words = st.lists(st.sampled_from(["khách", "hàng", "số", "hóa", "CRM", " ", "\n", ",", "."]))


@given(words.map("".join), words.map("".join))
def test_the_runs_spell_both_texts(old, new):
    runs = word_diff(old, new)
    assert "".join(run.text for run in runs if run.kind != "added") == old
    assert "".join(run.text for run in runs if run.kind != "removed") == new


def test_a_changed_word_is_one_removed_and_one_added():
    assert word_diff("Một khách hàng mới.", "Một khách hàng thân thiết.") == [
        Run("same", "Một khách hàng "),
        Run("removed", "mới"),
        Run("added", "thân thiết"),
        Run("same", "."),
    ]
