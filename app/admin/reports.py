"""The completion report's arithmetic, pure: from one fact per learner and module (when
they first opened one of its lessons, when they completed it, whether they submitted and
passed its quiz), the figures of each group of a report — learners, started, completed,
the quiz pass rate and the median time to complete."""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime
from statistics import median


@dataclass(frozen=True)
class Fact:
    user_id: int
    module: str  # the module's slug
    started_at: datetime | None
    completed_at: datetime | None
    attempted: bool  # submitted the module's quiz
    passed: bool


@dataclass(frozen=True)
class Figures:
    learners: int  # in the group, whether or not they started
    started: int
    completed: int
    attempted: int
    passed: int
    median_days: float | None  # from first opening to completing, of those who completed

    @property
    def pass_rate(self) -> int | None:
        """The share of those who submitted the quiz who passed it, in percent."""
        return round(100 * self.passed / self.attempted) if self.attempted else None


def in_range(moment: datetime | None, start: datetime | None, end: datetime | None) -> bool:
    return (
        moment is not None and (start is None or moment >= start) and (end is None or moment < end)
    )


def summarise(
    facts: Iterable[Fact],
    group_of: Callable[[Fact], Hashable | None],
    learners: dict[Hashable, int],
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict[Hashable, Figures]:
    """The figures of each group of ``learners`` (group -> how many learners it holds),
    counting each learner once per group; a start or completion counts when it falls in
    [``start``, ``end``)."""
    started: dict[Hashable, set[int]] = defaultdict(set)
    completed: dict[Hashable, set[int]] = defaultdict(set)
    attempted: dict[Hashable, set[int]] = defaultdict(set)
    passed: dict[Hashable, set[int]] = defaultdict(set)
    days: dict[Hashable, list[float]] = defaultdict(list)
    for fact in facts:
        group = group_of(fact)
        if group is None or group not in learners:
            continue
        if in_range(fact.started_at, start, end):
            started[group].add(fact.user_id)
        if in_range(fact.completed_at, start, end):
            completed[group].add(fact.user_id)
            if fact.started_at is not None and fact.completed_at is not None:
                days[group].append((fact.completed_at - fact.started_at).total_seconds() / 86400)
        if fact.attempted:
            attempted[group].add(fact.user_id)
            if fact.passed:
                passed[group].add(fact.user_id)
    return {
        group: Figures(
            learners=count,
            started=len(started[group]),
            completed=len(completed[group]),
            attempted=len(attempted[group]),
            passed=len(passed[group]),
            median_days=round(median(days[group]), 1) if days[group] else None,
        )
        for group, count in learners.items()
    }
