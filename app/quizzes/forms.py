"""Forms of the quiz pages.

The answers of a quiz are plain inputs named after their question (``q<id>``, and
``q<id>-<n>`` for the n-th item of a matching question); their values are positions in
the order the page shows, never indices in the GIFT file, so that the page does not
reveal which answer the author wrote first. Each question's kind reads them into the
stored form (app.quizzes.kinds) and turns a stored response back into values.
"""

import unicodedata
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SubmitField
from wtforms.validators import DataRequired, ValidationError

from app.forms import BaseForm
from app.quizzes.kinds import Entry, FormData, InputError
from app.quizzes.pool import PoolQuestion

MAX_UPLOAD = 512 * 1024


class QuizAnswerForm(BaseForm):
    """The buttons of a quiz; the answers are read by `read_responses`. ``submit`` grades
    the answers when every question has one, and otherwise asks first (a review step, or
    with JavaScript a confirmation), whose ``submit_anyway`` grades them as they are."""

    save = SubmitField(_l("Save answers"))
    submit = SubmitField(_l("Submit answers"))
    submit_anyway = SubmitField(_l("Submit anyway"))


def read_responses(
    formdata: FormData, layout: list[Entry], questions: Mapping[int, PoolQuestion]
) -> tuple[dict[str, Any], dict[int, str]]:
    """The responses in a submitted quiz form, in their stored form by question id, and a
    message (in the user's language) per question whose input cannot be right.
    Unanswered questions are left out. ``questions`` are the attempt's, by id
    (app.quizzes.pool.attempt_questions)."""
    responses: dict[str, Any] = {}
    errors: dict[int, str] = {}
    for entry in layout:
        question = questions.get(entry["id"])
        if question is None or not question.scored:
            continue
        try:
            stored = question.kind_class.read(formdata, question.field_name, entry)
        except InputError as error:
            errors[question.id] = _(error.template, **error.params)
            continue
        if stored is not None:
            responses[str(question.id)] = stored
    return responses, errors


def unanswered(
    layout: list[Entry], responses: Mapping[str, Any], questions: Mapping[int, PoolQuestion]
) -> list[int]:
    """The ids of the attempt's questions without a response, in the order shown;
    descriptions ask nothing, and a question removed from the pool is not asked."""
    return [
        entry["id"]
        for entry in layout
        if (question := questions.get(entry["id"])) is not None
        and question.scored
        and str(entry["id"]) not in responses
    ]


def form_values(
    layout: list[Entry], responses: Mapping[str, Any], questions: Mapping[int, PoolQuestion]
) -> dict[str, list[str]]:
    """Stored responses as the values of the quiz form's inputs, to show them again."""
    values: dict[str, list[str]] = {}
    for entry in layout:
        question = questions.get(entry["id"])
        stored = responses.get(str(entry["id"]))
        if question is not None and stored is not None:
            values |= question.kind_class.form_values(stored, question.field_name, entry)
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
    keep_going = BooleanField(
        _l("Import the questions that have no problem, and list the others"),
        description=_l(
            "Unticked, a single problem stops the whole import (Moodle's “Stop on error”)."
        ),
    )
    submit = SubmitField(_l("Preview the changes"))


class QuizImportConfirmForm(BaseForm):
    #: the previewed files, signed (see app.quizzes.routes)
    token = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Import these questions"))
