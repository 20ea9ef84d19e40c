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
