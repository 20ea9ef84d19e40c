"""A question in the studio's editor: its texts in every language side by side, as plain
fields, and back. Pure: no Flask, no database.

Each kind has an editor here, keyed like app.quizzes.kinds.KINDS, that turns parsed
questions (one per language) into ``Fields`` and fields back into questions, with a
message by field for what cannot be saved. What the languages share (weights, numbers,
which statement is true) is entered once, so both languages have the same kind, the same
number of answers and the same right answers, as grading across languages needs
(app.quizzes.services.attempts.grade_response, app.quizzes.sources).

A question saved unchanged is the question it was: formats, Moodle ID numbers and tags,
and the text after a missing word's blank are kept from the question edited.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from app.languages import N_
from app.quizzes import gift


@dataclass
class Row:
    """One answer in every language: its texts and feedback by language, and what the
    languages share. ``weight`` is a percentage as typed; ``value`` and ``tolerance``
    are a numerical answer's; ``match`` is a matching item's match text by language."""

    text: dict[str, str] = field(default_factory=dict)
    feedback: dict[str, str] = field(default_factory=dict)
    match: dict[str, str] = field(default_factory=dict)
    weight: str = ""
    value: str = ""
    tolerance: str = ""

    def blank(self) -> bool:
        texts = [*self.text.values(), *self.feedback.values(), *self.match.values()]
        return not any(t.strip() for t in texts) and not (self.value.strip() or self.weight.strip())


@dataclass
class Fields:
    """A question as its editor shows it."""

    text: dict[str, str] = field(default_factory=dict)
    general_feedback: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    #: true/false only: whether the statement is true
    truth: bool = True


#: (field, message, its placeholders): the field is "text", "rows" or "rows-<n>-<name>";
#: the message is in English, marked for the catalogue
Problem = tuple[str, str, dict[str, object]]

NO_TEXT = N_("Write the question in both languages.")
BOTH = N_("Write this answer in both languages.")
NOT_A_WEIGHT = N_("Enter a percentage from -100 to 100, such as 50 or -100.")
NOT_A_NUMBER = N_("Enter a number, such as 1200 or 2.5, or a range such as 10..20.")
NOT_A_TOLERANCE = N_("Enter a tolerance of 0 or more, such as 0 or 0.5.")


def _percent(fraction: float) -> str:
    return format((Decimal(repr(fraction)) * 100).normalize(), "f")


def _weight(raw: str, default: float) -> float | None:
    raw = raw.strip().removesuffix("%").strip().replace(",", ".")
    if not raw:
        return default
    try:
        value = float(Decimal(raw)) / 100
    except InvalidOperation:
        return None
    return value if math.isfinite(value) and -1.0 <= value <= 1.0 else None


_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")


def _number(raw: str) -> str | None:
    """A number as GIFT writes it ("2,5" is 2.5), or None."""
    raw = raw.strip().replace(",", ".")
    if not _NUMBER.fullmatch(raw):
        return None
    return gift.parse(f"{{#={raw}}}")[0].answers[0].text


class KindEditor:
    """Fields of a kind without answers (a description)."""

    name = "description"
    #: the names of the row fields this kind's editor shows
    row_fields: tuple[str, ...] = ()
    general_feedback = False

    def rows(self, questions: Mapping[str, gift.Question]) -> list[Row]:
        return []

    def answers(self, rows: Sequence[Row], lang: str) -> tuple[gift.Answer, ...]:
        return ()

    def check(self, rows: Sequence[Row], languages: Sequence[str]) -> list[Problem]:
        return []

    def fields(self, questions: Mapping[str, gift.Question]) -> Fields:
        return Fields(
            text={lang: q.text for lang, q in questions.items()},
            general_feedback={lang: q.general_feedback for lang, q in questions.items()},
            rows=self.rows(questions),
        )


class EssayEditor(KindEditor):
    name = "essay"
    general_feedback = True


class _AnswersEditor(KindEditor):
    """Answers with a text and feedback in each language and a shared weight."""

    row_fields = ("text", "feedback", "weight")
    general_feedback = True
    default_weight = 0.0

    def rows(self, questions: Mapping[str, gift.Question]) -> list[Row]:
        first = next(iter(questions.values()))
        return [
            Row(
                text={lang: q.answers[i].text for lang, q in questions.items()},
                feedback={lang: q.answers[i].feedback for lang, q in questions.items()},
                weight=_percent(answer.fraction),
            )
            for i, answer in enumerate(first.answers)
        ]

    def answers(self, rows: Sequence[Row], lang: str) -> tuple[gift.Answer, ...]:
        return tuple(
            gift.Answer(
                row.text.get(lang, "").strip(),
                _weight(row.weight, self.default_weight) or 0.0,
                row.feedback.get(lang, "").strip(),
            )
            for row in rows
        )

    def check(self, rows: Sequence[Row], languages: Sequence[str]) -> list[Problem]:
        problems: list[Problem] = []
        for n, row in enumerate(rows):
            if any(not row.text.get(lang, "").strip() for lang in languages):
                problems.append((f"rows-{n}-text", BOTH, {}))
            if _weight(row.weight, self.default_weight) is None:
                problems.append((f"rows-{n}-weight", NOT_A_WEIGHT, {}))
        return problems


class SingleEditor(_AnswersEditor):
    name = "single"

    def check(self, rows: Sequence[Row], languages: Sequence[str]) -> list[Problem]:
        problems = super().check(rows, languages)
        weights = [_weight(row.weight, 0.0) for row in rows]
        if len(rows) < 2:
            problems.append(("rows", N_("Give at least 2 answers."), {}))
        elif weights.count(1.0) != 1 and None not in weights:
            problems.append(("rows", N_("Mark exactly one answer right: give it 100%."), {}))
        return problems


class MultiEditor(_AnswersEditor):
    name = "multi"

    def check(self, rows: Sequence[Row], languages: Sequence[str]) -> list[Problem]:
        problems = super().check(rows, languages)
        weights = [_weight(row.weight, 0.0) for row in rows]
        if len(rows) < 2:
            problems.append(("rows", N_("Give at least 2 answers."), {}))
        elif None not in weights:
            total = math.fsum(w for w in weights if w is not None and w > 0)
            if abs(total - 1.0) > 0.005:
                problems.append(
                    (
                        "rows",
                        N_(
                            "The weights of the right answers add up to %(total)s%%: make them "
                            "100%%, and give the wrong ones a negative weight."
                        ),
                        {"total": _percent(total)},
                    )
                )
        return problems


class ShortEditor(_AnswersEditor):
    """Accepted answers; a weight below 100 gives part of the mark."""

    name = "short"
    default_weight = 1.0

    def check(self, rows: Sequence[Row], languages: Sequence[str]) -> list[Problem]:
        problems = super().check(rows, languages)
        if not rows:
            problems.append(("rows", N_("Give at least one accepted answer."), {}))
        elif all(_weight(row.weight, 1.0) != 1.0 for row in rows):
            problems.append(("rows", N_("At least one accepted answer needs 100%."), {}))
        for n, row in enumerate(rows):
            if any("->" in row.text.get(lang, "") for lang in languages):
                problems.append(
                    (f"rows-{n}-text", N_("An accepted answer cannot contain '->'."), {})
                )
        return problems


class NumericalEditor(KindEditor):
    name = "numerical"
    row_fields = ("value", "tolerance", "feedback", "weight")
    general_feedback = True

    def rows(self, questions: Mapping[str, gift.Question]) -> list[Row]:
        first = next(iter(questions.values()))
        return [
            Row(
                feedback={lang: q.answers[i].feedback for lang, q in questions.items()},
                weight=_percent(answer.fraction),
                value=answer.text,
                tolerance=f"{answer.tolerance:g}" if answer.tolerance else "",
            )
            for i, answer in enumerate(first.answers)
        ]

    @staticmethod
    def _spec(row: Row) -> tuple[str, float | None] | None:
        raw = row.value.strip()
        if raw == gift.ANY_NUMBER:
            return raw, None
        low, sep, high = raw.partition("..")
        if sep:
            ends = _number(low), _number(high)
            return (f"{ends[0]}..{ends[1]}", None) if None not in ends else None
        value = _number(raw)
        if value is None:
            return None
        tolerance = row.tolerance.strip().replace(",", ".") or "0"
        try:
            amount = float(tolerance)
        except ValueError:
            return value, -1.0
        return value, amount if math.isfinite(amount) else -1.0

    def answers(self, rows: Sequence[Row], lang: str) -> tuple[gift.Answer, ...]:
        answers = []
        for row in rows:
            text, tolerance = self._spec(row) or (row.value.strip(), None)
            answers.append(
                gift.Answer(
                    text,
                    _weight(row.weight, 1.0) or 0.0,
                    row.feedback.get(lang, "").strip(),
                    tolerance=tolerance,
                )
            )
        return tuple(answers)

    def check(self, rows: Sequence[Row], languages: Sequence[str]) -> list[Problem]:
        problems: list[Problem] = []
        if not rows:
            problems.append(("rows", N_("Give the right number."), {}))
        for n, row in enumerate(rows):
            spec = self._spec(row)
            if spec is None:
                problems.append((f"rows-{n}-value", NOT_A_NUMBER, {}))
            elif spec[1] is not None and spec[1] < 0:
                problems.append((f"rows-{n}-tolerance", NOT_A_TOLERANCE, {}))
            if _weight(row.weight, 1.0) is None:
                problems.append((f"rows-{n}-weight", NOT_A_WEIGHT, {}))
        if rows and all(_weight(row.weight, 1.0) != 1.0 for row in rows):
            problems.append(("rows", N_("At least one answer needs 100%."), {}))
        return problems


class MatchingEditor(KindEditor):
    """Pairs: an item and its match in each language; a pair without an item adds its
    match as a distractor."""

    name = "matching"
    row_fields = ("text", "match")
    general_feedback = True

    def rows(self, questions: Mapping[str, gift.Question]) -> list[Row]:
        first = next(iter(questions.values()))
        return [
            Row(
                text={lang: q.answers[i].text for lang, q in questions.items()},
                match={lang: q.answers[i].match or "" for lang, q in questions.items()},
            )
            for i in range(len(first.answers))
        ]

    def answers(self, rows: Sequence[Row], lang: str) -> tuple[gift.Answer, ...]:
        return tuple(
            gift.Answer(
                text := row.text.get(lang, "").strip(),
                1.0 if text else 0.0,
                match=row.match.get(lang, "").strip(),
            )
            for row in rows
        )

    def check(self, rows: Sequence[Row], languages: Sequence[str]) -> list[Problem]:
        problems: list[Problem] = []
        for n, row in enumerate(rows):
            if any(not row.match.get(lang, "").strip() for lang in languages):
                problems.append((f"rows-{n}-match", BOTH, {}))
            items = [bool(row.text.get(lang, "").strip()) for lang in languages]
            if any(items) and not all(items):
                problems.append((f"rows-{n}-text", BOTH, {}))
        pairs = sum(1 for row in rows if row.text.get(languages[0], "").strip())
        if pairs < 2:
            problems.append(("rows", N_("Give at least 2 pairs of an item and its match."), {}))
        return problems


class TrueFalseEditor(KindEditor):
    """A statement, true or false, with the feedback for each answer (TRUE, FALSE)."""

    name = "truefalse"
    row_fields = ("feedback",)
    general_feedback = True

    def rows(self, questions: Mapping[str, gift.Question]) -> list[Row]:
        return [
            Row(feedback={lang: q.answers[i].feedback for lang, q in questions.items()})
            for i in range(2)
        ]

    def fields(self, questions: Mapping[str, gift.Question]) -> Fields:
        found = super().fields(questions)
        found.truth = next(iter(questions.values())).answers[0].fraction == 1.0
        return found

    def answers(self, rows: Sequence[Row], lang: str) -> tuple[gift.Answer, ...]:
        raise NotImplementedError  # needs the truth: see build()

    def truefalse(self, rows: Sequence[Row], lang: str, truth: bool) -> tuple[gift.Answer, ...]:
        rows = [*rows, Row(), Row()][:2]
        return (
            gift.Answer(gift.TRUE, 1.0 if truth else 0.0, rows[0].feedback.get(lang, "").strip()),
            gift.Answer(gift.FALSE, 0.0 if truth else 1.0, rows[1].feedback.get(lang, "").strip()),
        )


EDITORS: dict[str, KindEditor] = {
    editor.name: editor
    for editor in (
        SingleEditor(),
        MultiEditor(),
        TrueFalseEditor(),
        ShortEditor(),
        NumericalEditor(),
        MatchingEditor(),
        EssayEditor(),
        KindEditor(),
    )
}


def fields_of(questions: Mapping[str, gift.Question]) -> Fields:
    """The editor's fields for a question given in each language (same kind in all)."""
    kind = next(iter(questions.values())).kind
    return EDITORS[kind].fields(questions)


def blank_question(kind: str, title: str, languages: Sequence[str]) -> dict[str, gift.Question]:
    """A new question of ``kind`` with nothing written yet, to start the editor with."""
    answers: tuple[gift.Answer, ...] = ()
    if kind == "truefalse":
        answers = (gift.Answer(gift.TRUE, 1.0), gift.Answer(gift.FALSE, 0.0))
    return {lang: gift.Question(title, kind, "", answers) for lang in languages}


def _keep_formats(new: gift.Question, old: gift.Question | None) -> gift.Question:
    """``new`` with the formats, ID number, tags and text after a blank of ``old``, the
    question edited, where the editor does not show them."""
    if old is None or old.kind != new.kind:
        return new
    answers = tuple(
        replace(a, format=old.answers[i].format, feedback_format=old.answers[i].feedback_format)
        if i < len(old.answers)
        else a
        for i, a in enumerate(new.answers)
    )
    return replace(
        new,
        answers=answers,
        format=old.format,
        general_feedback_format=old.general_feedback_format,
        idnumber=old.idnumber,
        tags=old.tags,
        text_after=old.text_after,
    )


def build(
    kind: str,
    title: str,
    category: str,
    fields: Fields,
    languages: Sequence[str],
    originals: Mapping[str, gift.Question] | None = None,
) -> tuple[dict[str, gift.Question], list[Problem]]:
    """The question in each language from the editor's fields, and the problems that keep
    it from being saved, by field. Blank answer rows are left out. The questions are also
    checked by the GIFT writer's rules (app.quizzes.gift.rules)."""
    editor = EDITORS[kind]
    if kind == "truefalse":  # its two rows are TRUE's and FALSE's, even left blank
        kept = list(enumerate(fields.rows[:2]))
    else:
        kept = [(n, row) for n, row in enumerate(fields.rows) if not row.blank()]
    rows = [row for _n, row in kept]
    problems: list[Problem] = []
    if any(not fields.text.get(lang, "").strip() for lang in languages):
        problems.append(("text", NO_TEXT, {}))
    for name, template, params in editor.check(rows, languages):
        if name.startswith("rows-"):  # numbered among the rows kept: renumber as shown
            _rows, n, part = name.split("-")
            name = f"rows-{kept[int(n)][0]}-{part}"
        problems.append((name, template, params))
    questions = {}
    for lang in languages:
        if isinstance(editor, TrueFalseEditor):
            answers = editor.truefalse(rows, lang, fields.truth)
        else:
            answers = editor.answers(rows, lang)
        question = gift.Question(
            title,
            kind,
            fields.text.get(lang, "").strip(),
            answers,
            general_feedback=fields.general_feedback.get(lang, "").strip()
            if editor.general_feedback
            else "",
            category=category,
        )
        questions[lang] = _keep_formats(question, (originals or {}).get(lang))
    if not problems:
        for question in questions.values():
            problems += [("rows", template, params) for template, params in gift.rules(question)]
    return questions, problems
