"""Word diffs of lesson texts: they spell both texts back, and show a changed word as
one word removed and one added."""

from hypothesis import given
from hypothesis import strategies as st

from app.studio.diff import Run, merge, word_diff

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


paragraphs = st.lists(st.sampled_from(["# Bài\n", "Một.\n", "Hai.\n", "Ba.\n", "\n"]), max_size=8)


@given(paragraphs.map("".join), paragraphs.map("".join))
def test_a_merge_with_one_side_unchanged_is_the_other_side(base, edited):
    assert merge(base, base, edited) == edited
    assert merge(base, edited, base) == edited
    assert merge(base, edited, edited) == edited


def test_edits_of_different_paragraphs_merge_and_of_the_same_one_do_not():
    base = "# Bài\n\nMột.\n\nHai.\n"
    mine = "# Bài\n\nMột, của Hà.\n\nHai.\n"
    theirs = "# Bài\n\nMột.\n\nHai, của Minh.\n"
    assert merge(base, mine, theirs) == "# Bài\n\nMột, của Hà.\n\nHai, của Minh.\n"
    assert merge(base, mine, "# Bài\n\nMột, của Minh.\n\nHai.\n") is None
