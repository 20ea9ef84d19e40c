"""Question kinds: one class per kind of question, registered by its GIFT kind string.
Pure: no Flask, no database.

A kind owns everything that differs between kinds once a question is parsed:

- ``layout``: how an attempt shows the question (the order of its answers, the options
  offered), fixed when the attempt starts so that a reload shows the same page;
- ``read``: the learner's response in a submitted form, in its stored form, or an
  ``InputError`` saying what is wrong with it;
- ``form_values``: a stored response as the form's values, to show it again;
- ``grade``: the grade of a stored response;
- ``right_answers``: the answers the review shows as right;
- ``listed_answers``: the answers item analysis lists, whether anyone chose them or not;
- ``template``: the Jinja template whose macros render its input (``input``), a response
  on review (``given``, ``right``) and an answer in item analysis (``answer``).

Stored responses are language-neutral: indices are positions in ``question.answers`` in
file order, the same in every language.

| kind        | stored response                                                  |
|-------------|------------------------------------------------------------------|
| single      | ``int``, the chosen answer                                       |
| multi       | ``list[int]``, the chosen answers, sorted                        |
| truefalse   | ``bool``                                                         |
| short       | ``str``, as typed                                                |
| numerical   | ``str``, as typed ("2,5" is 2.5)                                 |
| matching    | ``{str(item index): answer index of the match chosen}``          |
| essay       | ``str``, kept for a human reader                                 |
| description | nothing                                                          |

Grading never raises on what a browser sent: a missing or malformed response scores 0.

Adding a kind: a class here, registered in ``KINDS``, and its template
``templates/quizzes/kinds/<name>.html``; if GIFT writes it in a syntax of its own, its
reader and writer in app.quizzes.gift.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, NotRequired, Protocol, TypedDict, TypeGuard

from app.languages import N_
from app.numbers import number_readings
from app.quizzes import gift
from app.quizzes.grading import Grade, matches_short_answer, seeded_shuffle
from app.text import comparable

Stored = Any  # a stored response, by kind (see the table above)


class FormData(Protocol):
    """What a kind reads a submitted form through (a werkzeug MultiDict)."""

    def getlist(self, key: str) -> list[str]: ...


class Entry(TypedDict):
    """One question of an attempt as it is shown: its id, the id of its version shown
    (absent in attempts started before versions were kept), the order of its answers
    (indices into ``question.answers``) and, for matching, the answers whose match texts
    are offered, in the order offered."""

    id: int
    version: NotRequired[int]
    order: list[int]
    choices: list[int]


class InputError(ValueError):
    """A response the page could not have sent, or that cannot be right: ``template`` is
    the message in English (marked for the catalogue), ``params`` its placeholders."""

    def __init__(self, template: str, **params: object) -> None:
        super().__init__(template % params)
        self.template = template
        self.params: Mapping[str, object] = params


OFFERED = N_("Choose one of the answers shown.")
TOO_LONG = N_("Keep your answer under %(max)s characters.")
NOT_A_NUMBER = N_("Enter a number, such as 1200 or 2,5.")


def _first(form: FormData, name: str) -> str:
    values = form.getlist(name)
    return values[0] if values else ""


def _position(raw: str, size: int) -> int | None:
    """A position on the page ("0", "1" ...) below ``size``, or None."""
    if not (0 < len(raw) <= 6 and raw.isascii() and raw.isdigit()):  # not "²", not 10**5000
        return None
    return int(raw) if int(raw) < size else None


def _is_index(value: object, question: gift.Question) -> TypeGuard[int]:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and 0 <= value < len(question.answers)
    )


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _best(question: gift.Question, matching: Sequence[int]) -> Grade:
    """The best weighted answer among ``matching`` counts; among equals, the first."""
    if not matching:
        return Grade(0.0)
    best = max(matching, key=lambda i: (question.answers[i].fraction, -i))
    return Grade(_clamp(question.answers[best].fraction), matched=(best,))


class QuestionKind:
    """The behaviour every kind shares; a subclass overrides what differs."""

    name: ClassVar[str]
    #: the kind's name for people, marked for the catalogue
    label: ClassVar[str]
    #: counts in an attempt: drawn, numbered and part of the score (not a description)
    scored: ClassVar[bool] = True
    #: graded automatically (not an essay, which waits for a human reader)
    graded: ClassVar[bool] = True
    #: item analysis: the heading of the answers counted, and the row of the others
    analysis_heading: ClassVar[str] = N_("Answer")
    analysis_none: ClassVar[str] = N_("No answer, or another answer")

    @property
    def template(self) -> str:
        return f"quizzes/kinds/{self.name}.html"

    def layout(
        self, question: gift.Question, seed: int, shuffle: bool
    ) -> tuple[list[int], list[int]]:
        """The order to show the answers in and the answers whose match texts are offered
        (see Entry), the same for one seed: file order unless the kind shuffles."""
        return list(range(len(question.answers))), []

    def read(self, form: FormData, name: str, entry: Entry) -> Stored | None:
        """The stored form of the response in the fields named after ``name``; None when
        the learner gave none. Raises InputError for a value that cannot be right."""
        return None

    def form_values(self, stored: Stored, name: str, entry: Entry) -> dict[str, list[str]]:
        """The form's values that show ``stored`` again, by field name."""
        return {}

    def grade(self, question: gift.Question, stored: Stored) -> Grade:
        return Grade(0.0, graded=False)

    def right_answers(self, question: gift.Question) -> tuple[int, ...]:
        """The answers worth the most, when they are worth anything."""
        if not question.answers:
            return ()
        best = max(a.fraction for a in question.answers)
        return tuple(i for i, a in enumerate(question.answers) if a.fraction == best and best > 0)

    def listed_answers(self, question: gift.Question) -> Sequence[int]:
        """The answers item analysis lists even when nobody chose them."""
        return ()


#: the tag (`// [tag:keep-order]`) of a question whose options have an order of their
#: own (step 1, 2, 3...; less, as much, more), which shuffling would only confuse
KEEP_ORDER = "keep-order"


class _Choice(QuestionKind):
    """Answers to choose from, shuffled when the quiz says so and the question has no
    order of its own."""

    def layout(
        self, question: gift.Question, seed: int, shuffle: bool
    ) -> tuple[list[int], list[int]]:
        order = list(range(len(question.answers)))
        if shuffle and KEEP_ORDER not in question.tags:
            order = seeded_shuffle(order, seed, question.title, "answers")
        return order, []

    def listed_answers(self, question: gift.Question) -> Sequence[int]:
        return range(len(question.answers))

    def _positions(self, form: FormData, name: str, entry: Entry) -> list[int]:
        positions = [_position(raw, len(entry["order"])) for raw in form.getlist(name)]
        if None in positions:
            raise InputError(OFFERED)
        return [entry["order"][p] for p in positions if p is not None]


class SingleKind(_Choice):
    name = "single"
    label = N_("multiple choice")

    def read(self, form: FormData, name: str, entry: Entry) -> Stored | None:
        chosen = self._positions(form, name, entry)
        if len(chosen) > 1:
            raise InputError(OFFERED)
        return chosen[0] if chosen else None

    def form_values(self, stored: Stored, name: str, entry: Entry) -> dict[str, list[str]]:
        order = entry["order"]
        return {name: [str(order.index(stored))]} if stored in order else {}

    def grade(self, question: gift.Question, stored: Stored) -> Grade:
        """One chosen answer: its weight, never below 0."""
        if not _is_index(stored, question):
            return Grade(0.0)
        return Grade(_clamp(question.answers[stored].fraction), matched=(stored,))


class MultiKind(_Choice):
    name = "multi"
    label = N_("multiple response")

    def read(self, form: FormData, name: str, entry: Entry) -> Stored | None:
        chosen = sorted(set(self._positions(form, name, entry)))
        return chosen or None

    def form_values(self, stored: Stored, name: str, entry: Entry) -> dict[str, list[str]]:
        order = entry["order"]
        if not isinstance(stored, list):
            return {}
        return {name: [str(order.index(i)) for i in stored if i in order]}

    def grade(self, question: gift.Question, stored: Stored) -> Grade:
        """Several chosen answers: the sum of their weights, kept between 0 and 1."""
        if not isinstance(stored, list | tuple | set | frozenset):
            return Grade(0.0)
        chosen = sorted({i for i in stored if _is_index(i, question)})
        if not chosen:
            return Grade(0.0)
        total = math.fsum(question.answers[i].fraction for i in chosen)
        return Grade(_clamp(total), matched=tuple(chosen))

    def right_answers(self, question: gift.Question) -> tuple[int, ...]:
        return tuple(i for i, a in enumerate(question.answers) if a.fraction > 0)


class TrueFalseKind(QuestionKind):
    """TRUE is answer 0 and FALSE answer 1, whatever is right."""

    name = "truefalse"
    label = N_("true/false")
    VALUES: ClassVar[dict[str, bool]] = {"true": True, "false": False}

    def read(self, form: FormData, name: str, entry: Entry) -> Stored | None:
        raw = _first(form, name)
        if raw and raw not in self.VALUES:
            raise InputError(OFFERED)
        return self.VALUES.get(raw)

    def form_values(self, stored: Stored, name: str, entry: Entry) -> dict[str, list[str]]:
        if not isinstance(stored, bool):
            return {}
        return {name: ["true" if stored else "false"]}

    def grade(self, question: gift.Question, stored: Stored) -> Grade:
        if not isinstance(stored, bool):
            return Grade(0.0)
        index = 0 if stored else 1
        return Grade(_clamp(question.answers[index].fraction), matched=(index,))

    def listed_answers(self, question: gift.Question) -> Sequence[int]:
        return range(len(question.answers))


class _Typed(QuestionKind):
    """An answer typed in a box, kept as typed (NFC, trimmed)."""

    max_length: ClassVar[int] = 200

    def read(self, form: FormData, name: str, entry: Entry) -> Stored | None:
        text = unicodedata.normalize("NFC", _first(form, name)).strip()
        if len(text) > self.max_length:
            raise InputError(TOO_LONG, max=self.max_length)
        self.check(text)
        return text or None

    def check(self, text: str) -> None:
        """Raise InputError for a typed text that cannot be right."""

    def form_values(self, stored: Stored, name: str, entry: Entry) -> dict[str, list[str]]:
        return {name: [stored]} if isinstance(stored, str) else {}


class ShortKind(_Typed):
    name = "short"
    label = N_("short answer")

    def grade(self, question: gift.Question, stored: Stored) -> Grade:
        """The best weighted answer the typed text matches (Moodle's wildcards)."""
        if not isinstance(stored, str) or not comparable(stored):
            return Grade(0.0)
        matching = [
            i for i, a in enumerate(question.answers) if matches_short_answer(stored, a.text)
        ]
        return _best(question, matching)


def _within(value: float, answer: gift.Answer) -> bool:
    interval = answer.numeric_range()
    if interval is None:
        return True
    low, high = interval
    # As Moodle does, allow for the rounding of decimal fractions in binary floats.
    slack = 1e-9 * max(1.0, abs(low), abs(high))
    return low - slack <= value <= high + slack


class NumericalKind(_Typed):
    name = "numerical"
    label = N_("numerical")
    max_length = 50

    def check(self, text: str) -> None:
        if text and not number_readings(text):
            raise InputError(NOT_A_NUMBER)

    def grade(self, question: gift.Question, stored: Stored) -> Grade:
        """The best weighted answer whose tolerance or range holds a reading of the
        typed number ("1.200" is 1200 to a Vietnamese reader, 1.2 to an English one)."""
        values = number_readings(stored) if isinstance(stored, str) else ()
        matching = [i for i, a in enumerate(question.answers) if any(_within(v, a) for v in values)]
        return _best(question, matching)


class MatchingKind(QuestionKind):
    """Items (answers with a text), each matched with one of the match texts offered;
    an answer without a text adds its match as a distractor."""

    name = "matching"
    label = N_("matching")
    analysis_heading = N_("Item matched right")
    analysis_none = N_("None matched right")

    def layout(
        self, question: gift.Question, seed: int, shuffle: bool
    ) -> tuple[list[int], list[int]]:
        items = [i for i, a in enumerate(question.answers) if a.text]
        if shuffle:
            items = seeded_shuffle(items, seed, question.title, "answers")
        first: dict[str | None, int] = {}
        for i, answer in enumerate(question.answers):
            first.setdefault(answer.match, i)
        # Always shuffled: in file order the match texts would give the answers away.
        choices = seeded_shuffle(list(first.values()), seed, question.title, "matches")
        return items, choices

    def read(self, form: FormData, name: str, entry: Entry) -> Stored | None:
        chosen = {}
        for n, item in enumerate(entry["order"]):
            raw = _first(form, f"{name}-{n}")
            position = _position(raw, len(entry["choices"]))
            if raw and position is None:
                raise InputError(OFFERED)
            if position is not None:
                chosen[str(item)] = entry["choices"][position]
        return chosen or None

    def form_values(self, stored: Stored, name: str, entry: Entry) -> dict[str, list[str]]:
        if not isinstance(stored, dict):
            return {}
        values = {}
        for n, item in enumerate(entry["order"]):
            choice = stored.get(str(item))
            if choice in entry["choices"]:
                values[f"{name}-{n}"] = [str(entry["choices"].index(choice))]
        return values

    def grade(self, question: gift.Question, stored: Stored) -> Grade:
        """The share of items matched right; ``matched`` holds those items."""
        answers = question.answers
        items = [i for i, a in enumerate(answers) if a.text]
        if not isinstance(stored, dict) or not items:
            return Grade(0.0)

        def key(text: str | None) -> str:
            return unicodedata.normalize("NFC", text or "").strip()

        right = tuple(
            i
            for i in items
            if _is_index(choice := stored.get(str(i)), question)
            and key(answers[choice].match) == key(answers[i].match)
        )
        return Grade(len(right) / len(items), matched=right)

    def right_answers(self, question: gift.Question) -> tuple[int, ...]:
        return tuple(i for i, a in enumerate(question.answers) if a.text)


class EssayKind(_Typed):
    name = "essay"
    label = N_("essay")
    graded = False
    max_length = 5000

    def grade(self, question: gift.Question, stored: Stored) -> Grade:
        return Grade(0.0, graded=False)

    def right_answers(self, question: gift.Question) -> tuple[int, ...]:
        return ()


class DescriptionKind(QuestionKind):
    """A text between the questions: it asks nothing."""

    name = "description"
    label = N_("description")
    scored = False
    graded = False


KINDS: dict[str, QuestionKind] = {
    kind.name: kind
    for kind in (
        SingleKind(),
        MultiKind(),
        TrueFalseKind(),
        ShortKind(),
        NumericalKind(),
        MatchingKind(),
        EssayKind(),
        DescriptionKind(),
    )
}


def kind_of(question: gift.Question) -> QuestionKind:
    """The kind of a parsed question; KeyError for a kind nobody registered."""
    return KINDS[question.kind]


def grade(question: gift.Question, stored: Stored) -> Grade:
    """Grade a stored response with the question's kind."""
    return kind_of(question).grade(question, stored)
