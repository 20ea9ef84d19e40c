"""What changed between two texts, word by word: the runs a reader sees kept, removed and
added, rather than whole lines (a lesson's paragraph is one long line)."""

import re
from difflib import SequenceMatcher
from typing import Literal, NamedTuple

#: a word, a run of spaces, or one mark of punctuation
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


class Run(NamedTuple):
    kind: Literal["same", "removed", "added"]
    text: str


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Run]:
    """The runs that turn ``old`` into ``new``: the same and removed ones spell ``old``,
    the same and added ones spell ``new``."""
    before, after = tokens(old), tokens(new)
    runs: list[Run] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            runs.append(Run("same", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            runs.append(Run("removed", "".join(before[i1:i2])))
        if j2 > j1:
            runs.append(Run("added", "".join(after[j1:j2])))
    return runs


class _Change(NamedTuple):
    start: int  # the lines of the base it replaces: [start, end)
    end: int
    lines: tuple[str, ...]


def _changes(base: list[str], other: list[str]) -> list[_Change]:
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return [
        _Change(i1, i2, tuple(other[j1:j2]))
        for operation, i1, i2, j1, j2 in matcher.get_opcodes()
        if operation != "equal"
    ]


def _overlap(a: _Change, b: _Change) -> bool:
    """Whether two changes touch the same lines of the base (or insert at one place)."""
    if a.start == b.start:
        return True
    return max(a.start, b.start) < min(a.end, b.end)


def merge(base: str, mine: str, theirs: str) -> str | None:
    """Both edits of ``base`` in one text, line by line, when they change different
    lines; None when they change the same ones, for a person to merge by hand."""
    lines = base.splitlines(keepends=True)
    changes: list[_Change] = []
    for change in sorted(set(_changes(lines, mine.splitlines(keepends=True)))
                         | set(_changes(lines, theirs.splitlines(keepends=True)))):  # fmt: skip
        if changes and _overlap(changes[-1], change):
            return None
        changes.append(change)
    merged: list[str] = []
    at = 0
    for change in changes:
        merged += lines[at : change.start]
        merged += change.lines
        at = change.end
    return "".join(merged + lines[at:])
