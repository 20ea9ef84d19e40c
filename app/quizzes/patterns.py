"""Answer patterns in a question pool: the signals a learner could pass by without
reading a question. In a pool that gives nothing away, true/false items are keyed
true about as often as false, the right option of a single-choice question is not
usually the longest, nor usually the shortest, and it sits in no one position much more
than in the others.
(Options are shuffled on the page unless a question keeps their order, but the order in
the file is what a printed copy or an export shows.)"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.quizzes.gift import Question


@dataclass(frozen=True)
class Patterns:
    true_false: int = 0
    keyed_true: int = 0
    single: int = 0
    #: single-choice questions whose right option is at least as long as every other
    longest_right: int = 0
    #: ... and those whose right option is no longer than any other
    shortest_right: int = 0
    #: 0-based position of the right option -> how many single-choice questions
    positions: Counter[int] = field(default_factory=Counter)

    @property
    def true_share(self) -> float:
        return self.keyed_true / self.true_false if self.true_false else 0.5

    @property
    def longest_share(self) -> float:
        return self.longest_right / self.single if self.single else 0.0

    @property
    def shortest_share(self) -> float:
        return self.shortest_right / self.single if self.single else 0.0

    @property
    def top_position_share(self) -> float:
        return max(self.positions.values()) / self.single if self.single else 0.0


def answer_patterns(questions: Iterable[Question]) -> Patterns:
    true_false = keyed_true = single = longest_right = shortest_right = 0
    positions: Counter[int] = Counter()
    for question in questions:
        if question.kind == "truefalse":
            true_false += 1
            keyed_true += question.answers[0].fraction == 1.0
        elif question.kind == "single":
            right = max(range(len(question.answers)), key=lambda i: question.answers[i].fraction)
            single += 1
            positions[right] += 1
            lengths = [len(answer.text) for answer in question.answers]
            longest_right += lengths[right] == max(lengths)
            shortest_right += lengths[right] == min(lengths)
    return Patterns(true_false, keyed_true, single, longest_right, shortest_right, positions)
