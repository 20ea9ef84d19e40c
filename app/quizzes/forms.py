"""Forms of the quiz pages.

The answers of a quiz are plain inputs named after their question (``q<id>``, and
``q<id>-<n>`` for the n-th item of a matching question); their values are positions in
the order the page shows, never indices in the GIFT file, so that the page does not
reveal which answer the author wrote first. `read_answers` turns them into the stored
form (see app.quizzes.services) and `form_values` does the reverse.
"""

import unicodedata
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired, ValidationError

from app.forms import BaseForm
from app.quizzes.grading import parse_number
from app.quizzes.pool import Pool

MAX_TEXT = {"short": 200, "numerical": 50, "essay": 5000}
MAX_UPLOAD = 512 * 1024


class QuizAnswerForm(BaseForm):
    """The two buttons under a quiz; the answers are read by `read_answers`."""

    save = SubmitField(_l("Save answers"))
    submit = SubmitField(_l("Submit answers"))


def field_name(question_id: int, item: int | None = None) -> str:
    return f"q{question_id}" if item is None else f"q{question_id}-{item}"


def _position(raw: str, size: int) -> int | None:
    return int(raw) if raw.isdigit() and int(raw) < size else None


def read_answers(
    formdata, layout: list[dict[str, Any]], pool: Pool
) -> tuple[dict[str, Any], dict[int, str]]:
    """The answers in a submitted quiz form, as stored on the attempt, and a message per
    question whose input cannot be right (a value the page did not offer, a text too
    long, a number that is not one). Unanswered questions are left out."""
    answers: dict[str, Any] = {}
    errors: dict[int, str] = {}
    offered = _("Choose one of the answers shown.")
    for entry in layout:
        question = pool.by_id.get(entry["id"])
        if question is None or not question.scored:
            continue
        qid, order, kind = entry["id"], entry["order"], question.kind
        name = field_name(qid)
        if kind in ("single", "multi"):
            raw = formdata.getlist(name)
            positions = [_position(value, len(order)) for value in raw]
            if None in positions or (kind == "single" and len(positions) > 1):
                errors[qid] = offered
            elif positions:
                chosen = [order[p] for p in positions]
                answers[str(qid)] = chosen[0] if kind == "single" else sorted(set(chosen))
        elif kind == "truefalse":
            raw = formdata.get(name, "")
            if raw in ("true", "false"):
                answers[str(qid)] = raw == "true"
            elif raw:
                errors[qid] = offered
        elif kind == "matching":
            chosen = {}
            for n, item in enumerate(order):
                raw = formdata.get(field_name(qid, n), "")
                position = _position(raw, len(entry["choices"]))
                if raw and position is None:
                    errors[qid] = offered
                elif position is not None:
                    chosen[str(item)] = entry["choices"][position]
            if chosen:
                answers[str(qid)] = chosen
        else:  # short, numerical, essay
            text = unicodedata.normalize("NFC", formdata.get(name, "")).strip()
            limit = MAX_TEXT.get(kind, 200)
            if len(text) > limit:
                errors[qid] = _("Keep your answer under %(max)s characters.", max=limit)
            elif kind == "numerical" and text and parse_number(text) is None:
                errors[qid] = _("Enter a number, such as 1200 or 2,5.")
            elif text:
                answers[str(qid)] = text
    return answers, errors


def form_values(layout: list[dict[str, Any]], responses: Mapping[str, Any]) -> dict[str, list[str]]:
    """Stored answers as the values of the quiz form's inputs, to show them again."""
    values: dict[str, list[str]] = {}
    for entry in layout:
        qid, order = entry["id"], entry["order"]
        stored = responses.get(str(qid))
        if stored is None:
            continue
        if isinstance(stored, bool):
            values[field_name(qid)] = ["true" if stored else "false"]
        elif isinstance(stored, int):
            values[field_name(qid)] = [str(order.index(stored))] if stored in order else []
        elif isinstance(stored, list):
            values[field_name(qid)] = [str(order.index(i)) for i in stored if i in order]
        elif isinstance(stored, dict):
            for n, item in enumerate(order):
                choice = stored.get(str(item))
                if choice in entry["choices"]:
                    values[field_name(qid, n)] = [str(entry["choices"].index(choice))]
        else:
            values[field_name(qid)] = [str(stored)]
    return values


class GiftFileField(FileField):
    """An uploaded GIFT file: UTF-8 text, at most MAX_UPLOAD bytes; its text in `.text`."""

    text: str | None = None

    def pre_validate(self, form):
        self.text = None
        if not self.data or not hasattr(self.data, "read"):
            return
        raw = self.data.read(MAX_UPLOAD + 1)
        if len(raw) > MAX_UPLOAD:
            raise ValidationError(
                _("The file is larger than %(size)s KB.", size=MAX_UPLOAD // 1024)
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(
                _("The file is not UTF-8 text. Save it as UTF-8 and try again.")
            ) from None
        self.text = unicodedata.normalize("NFC", text)


class QuizImportForm(BaseForm):
    vi = GiftFileField(
        _l("Vietnamese GIFT file"),
        validators=[FileRequired(_l("Choose the Vietnamese file."))],
        description=_l("The questions in Vietnamese, for example 01-foundations.vi.gift."),
    )
    en = GiftFileField(
        _l("English GIFT file"),
        validators=[FileRequired(_l("Choose the English file."))],
        description=_l("The same questions in English, with the same titles."),
    )
    submit = SubmitField(_l("Preview the changes"))


class QuizImportConfirmForm(BaseForm):
    #: the previewed files, signed (see app.quizzes.routes)
    token = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Import these questions"))
