"""Item analysis read in another order: lowest figures first, undefined ones last."""

from app.quizzes.analysis import ItemStats, sort_key

STATS = [
    ItemStats("a", 10, 80.0, 40.0),
    ItemStats("b", 10, 20.0, None, flags=("low_facility",)),
    ItemStats("c", 10, None, 10.0, flags=("low_discrimination",)),
    ItemStats("d", 10, 50.0, 5.0, flags=("low_facility", "low_discrimination")),
]


def ordered(sort: str) -> list[str]:
    return [s.title for i, s in sorted(enumerate(STATS), key=lambda p: sort_key(p[1], sort, p[0]))]


def test_each_order():
    assert ordered("order") == ["a", "b", "c", "d"]
    assert ordered("facility") == ["b", "d", "a", "c"]
    assert ordered("discrimination") == ["d", "c", "a", "b"]
    assert ordered("flags") == ["d", "b", "c", "a"]
