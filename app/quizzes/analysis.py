"""Item analysis of a quiz, with Moodle's definitions, over learners' first attempts.

- Facility index: the mean mark on the question as a percentage of its maximum mark.
- Discrimination index: 100 x the Pearson correlation between the mark on the question
  and the rest of the attempt (its total minus this question), over the attempts that
  include the question; None when undefined (fewer than 2 attempts, or a constant mark
  or rest total).

The caller chooses the attempts (one first attempt per learner); each attempt maps a
question title to the mark earned, the maximum mark, and the labels of the answers the
learner chose.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

FACILITY_THRESHOLD = 30.0
DISCRIMINATION_THRESHOLD = 20.0
#: the first attempts a question needs before it is flagged: on fewer, one learner's
#: slip decides its figures
ENOUGH_ATTEMPTS = 10


@dataclass(frozen=True)
class ItemResult:
    """One question in one attempt: the mark earned, the maximum mark, and the labels of
    the answers chosen (one for a single choice, several for multiple response)."""

    mark: float
    max_mark: float
    chosen: tuple[str, ...] = ()


ItemInput = ItemResult | tuple[float, float] | tuple[float, float, str | Iterable[str]]
Attempt = Mapping[str, ItemInput]


@dataclass(frozen=True)
class ItemStats:
    """What item analysis says about one question.

    `facility` is a percentage (None when the maximum mark is 0); `discrimination` runs
    from -100 to 100 (None when undefined); `answer_counts` says how often each label was
    chosen, in the order first seen; `flags` holds "low_facility" and/or
    "low_discrimination".
    """

    title: str
    attempts: int
    facility: float | None
    discrimination: float | None
    answer_counts: Mapping[str, int] = field(default_factory=dict)
    flags: tuple[str, ...] = ()


def _as_result(value: ItemInput) -> ItemResult:
    if isinstance(value, ItemResult):
        return value
    mark, max_mark, *rest = value
    chosen = rest[0] if rest else ()
    labels = (chosen,) if isinstance(chosen, str) else tuple(chosen)
    return ItemResult(float(mark), float(max_mark), labels)


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """The Pearson correlation of two equally long series; None when it is undefined
    (fewer than 2 values, or either series constant)."""
    if len(xs) != len(ys):
        raise ValueError("the two series differ in length")
    if len(xs) < 2 or min(xs) == max(xs) or min(ys) == max(ys):
        return None
    return max(-1.0, min(1.0, statistics.correlation(xs, ys)))


def analyse(attempts: Sequence[Attempt]) -> list[ItemStats]:
    """Item statistics for every question that appears in the attempts, in the order
    the questions are first met."""
    rows = [{title: _as_result(value) for title, value in a.items()} for a in attempts]
    totals = [math.fsum(r.mark for r in row.values()) for row in rows]
    titles = list(dict.fromkeys(title for row in rows for title in row))
    return [_item(title, rows, totals) for title in titles]


def _item(title: str, rows: list[dict[str, ItemResult]], totals: list[float]) -> ItemStats:
    marks: list[float] = []
    rests: list[float] = []
    fractions: list[float] = []
    counts: dict[str, int] = {}
    for row, total in zip(rows, totals, strict=True):
        result = row.get(title)
        if result is None:
            continue
        marks.append(result.mark)
        rests.append(total - result.mark)
        if result.max_mark > 0:
            fractions.append(result.mark / result.max_mark)
        for label in result.chosen:
            counts[label] = counts.get(label, 0) + 1
    facility = 100 * math.fsum(fractions) / len(fractions) if fractions else None
    correlation = pearson(marks, rests)
    discrimination = None if correlation is None else 100 * correlation
    return ItemStats(
        title=title,
        attempts=len(marks),
        facility=facility,
        discrimination=discrimination,
        answer_counts=counts,
        flags=flags_of(len(marks), facility, discrimination),
    )


def flags_of(
    attempts: int, facility: float | None, discrimination: float | None
) -> tuple[str, ...]:
    """What a question's figures say of it, once enough attempts exist to judge."""
    if attempts < ENOUGH_ATTEMPTS:
        return ()
    flags = []
    if facility is not None and facility < FACILITY_THRESHOLD:
        flags.append("low_facility")
    if discrimination is not None and discrimination < DISCRIMINATION_THRESHOLD:
        flags.append("low_discrimination")
    return tuple(flags)


@dataclass(frozen=True)
class Sums:
    """One question's marks over first attempts as sums, which SQL adds up: the number
    of attempts, and the sums of the marks x (out of 1), of the rest of each attempt y,
    and of x², y² and xy."""

    n: int
    x: float
    y: float
    xx: float
    yy: float
    xy: float

    def stats(self, title: str) -> ItemStats:
        """The question's facility, discrimination and flags (no answer counts), as
        ``analyse`` finds them for one-mark questions."""
        facility = 100 * self.x / self.n if self.n else None
        var_x = self.n * self.xx - self.x**2
        var_y = self.n * self.yy - self.y**2
        scale = max(self.n * self.xx, self.n * self.yy, 1.0)
        discrimination = None
        if self.n >= 2 and var_x > 1e-9 * scale and var_y > 1e-9 * scale:
            r = (self.n * self.xy - self.x * self.y) / math.sqrt(var_x * var_y)
            discrimination = 100 * max(-1.0, min(1.0, r))
        return ItemStats(title, self.n, facility, discrimination,
                         flags=flags_of(self.n, facility, discrimination))  # fmt: skip


#: the orders item analysis can be read in: the pool's, or by a figure (lowest first, so
#: that what needs review comes first; a figure that cannot be computed comes last)
SORTS = ("order", "facility", "discrimination", "flags")


def sort_key(stats: ItemStats, sort: str, position: int) -> tuple[object, ...]:
    """The key that orders a question's ``stats`` (at ``position`` in the pool) by ``sort``."""
    if sort == "facility":
        return (stats.facility is None, stats.facility or 0.0, position)
    if sort == "discrimination":
        return (stats.discrimination is None, stats.discrimination or 0.0, position)
    if sort == "flags":
        return (-len(stats.flags), position)
    return (position,)
