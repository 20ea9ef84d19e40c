"""What every kind of question grades with: the grade of one response, an attempt's
score, short-answer matching, and the seeded shuffling and drawing that fix an attempt's
questions. Pure: no Flask, no database. Each kind's own grading is in app.quizzes.kinds."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from app.text import comparable

T = TypeVar("T")

_WILDCARD = re.compile(r"(?<!\\)\*+")


@dataclass(frozen=True)
class Grade:
    """The result of grading one response.

    - ``score``: 0.0 to 1.0, to be multiplied by the question's mark.
    - ``graded``: False when no score can be given automatically (essay, description).
    - ``matched``: the answers the response chose or matched (for matching, the items
      matched right): the review shows their feedback, item analysis counts them.
    """

    score: float
    graded: bool = True
    matched: tuple[int, ...] = ()


def percent(grades: Iterable[Grade]) -> float:
    """An attempt's score in percent: the mean score of its graded questions (essays and
    descriptions do not count), from 0 to 100; 100 when nothing in it is graded."""
    scores = [g.score for g in grades if g.graded]
    if not scores:
        return 100.0
    return min(100.0, max(0.0, round(100 * math.fsum(scores) / len(scores), 6)))


def matches_short_answer(response: str, pattern: str) -> bool:
    """Whether a typed response matches a short answer, Moodle's way: ``*`` stands for
    any run of characters, ``\\*`` for a literal asterisk; case and spacing do not
    matter (app.text.comparable)."""
    bits = _WILDCARD.split(comparable(pattern))
    regex = ".*".join(re.escape(bit.replace("\\*", "*")) for bit in bits)
    return re.fullmatch(regex, comparable(response), flags=re.DOTALL) is not None


def _rng(seed: int | str, *salt: str) -> random.Random:
    if not isinstance(seed, int | str) or isinstance(seed, bool):
        raise TypeError("a seed is an int or a str, so that it is stable across processes")
    # A str seed is hashed with SHA-512 by random.Random: stable across runs and machines.
    return random.Random("\x1f".join([str(seed), *salt]))  # noqa: S311 - not security


def seeded_shuffle(items: Sequence[T], seed: int | str, *salt: str) -> list[T]:
    """A copy of ``items`` in an order that depends only on the seed and the salt."""
    order = list(items)
    _rng(seed, *salt).shuffle(order)
    return order


def draw(pool: Sequence[T], count: int, seed: int | str) -> list[T]:
    """Draw ``count`` different items from a pool, stable for one seed; the drawn items
    keep their order in the pool. The whole pool when count >= its size."""
    if count < 0:
        raise ValueError("cannot draw a negative number of questions")
    if count >= len(pool):
        return list(pool)
    chosen = sorted(_rng(seed, "draw").sample(range(len(pool)), count))
    return [pool[i] for i in chosen]
