"""The studio's question editor form: the question's texts in both languages side by
side, its answers as rows (texts and feedback per language, and what the languages share),
and the fields of app.quizzes.editing.Fields."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.forms import BaseForm, choices
from app.languages import LANGUAGES
from app.quizzes import editing, gift
from app.security import MAX_ID

#: answer rows shown at least, blank ones to add answers; and at most
ROWS = 6
MAX_ROWS = 20
_TEXT = [Optional(), Length(max=gift.MAX_TEXT)]


class AnswerRowForm(Form):
    """One answer: its text, feedback and match per language, and what they share."""

    text_vi = StringField(_l("Answer in Vietnamese"), validators=_TEXT)
    text_en = StringField(_l("Answer in English"), validators=_TEXT)
    feedback_vi = StringField(_l("Feedback in Vietnamese"), validators=_TEXT)
    feedback_en = StringField(_l("Feedback in English"), validators=_TEXT)
    match_vi = StringField(_l("Match in Vietnamese"), validators=_TEXT)
    match_en = StringField(_l("Match in English"), validators=_TEXT)
    weight = StringField(_l("Weight (%)"), validators=[Optional(), Length(max=12)])
    value = StringField(_l("Number, or range min..max"), validators=[Optional(), Length(max=40)])
    tolerance = StringField(_l("Tolerance (±)"), validators=[Optional(), Length(max=40)])


class QuestionForm(BaseForm):
    text_vi = TextAreaField(_l("Question in Vietnamese"), validators=_TEXT, render_kw={"rows": 4})
    text_en = TextAreaField(_l("Question in English"), validators=_TEXT, render_kw={"rows": 4})
    general_feedback_vi = TextAreaField(
        _l("General feedback in Vietnamese"), validators=_TEXT, render_kw={"rows": 2}
    )
    general_feedback_en = TextAreaField(
        _l("General feedback in English"), validators=_TEXT, render_kw={"rows": 2}
    )
    truth = SelectField(
        _l("The statement is"),
        choices=choices([("true", _l("True")), ("false", _l("False"))]),
        validators=[Optional()],
    )
    lesson = SelectField(_l("Lesson it tests"), validators=[Optional()])
    rows = FieldList(FormField(AnswerRowForm), min_entries=ROWS, max_entries=MAX_ROWS)
    message = StringField(_l("What changed (optional)"), validators=[Optional(), Length(max=200)])
    #: the version the editor was opened on (0 for a new question)
    base = IntegerField(
        widget=HiddenField.widget, validators=[InputRequired(), NumberRange(0, MAX_ID)]
    )
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save the question"))

    def set_lessons(self, lessons: list[tuple[str, str]]) -> None:
        self.lesson.choices = choices([("", _l("The whole module")), *lessons])

    def fields(self) -> editing.Fields:
        """The form's values as the editor's fields."""

        def by_lang(form, name: str) -> dict[str, str]:
            return {lang: form[f"{name}_{lang}"].data or "" for lang in LANGUAGES}

        return editing.Fields(
            text=by_lang(self, "text"),
            general_feedback=by_lang(self, "general_feedback"),
            rows=[
                editing.Row(
                    text=by_lang(row.form, "text"),
                    feedback=by_lang(row.form, "feedback"),
                    match=by_lang(row.form, "match"),
                    weight=row.form.weight.data or "",
                    value=row.form.value.data or "",
                    tolerance=row.form.tolerance.data or "",
                )
                for row in self.rows
            ],
            truth=self.truth.data != "false",
        )

    def place(self, problems: list[editing.Problem], gettext) -> list[str]:
        """Put each problem next to its field; the problems of the answers as a whole
        are returned, to show above them."""
        general = []
        for name, template, params in problems:
            message = gettext(template, **params)
            if name.startswith("rows-"):
                _rows, n, field = name.split("-")
                row = self.rows[int(n)].form
                target = row[field if field in ("weight", "value", "tolerance") else f"{field}_vi"]
                target.errors = [*target.errors, message]
            elif name == "text":
                self.text_vi.errors = [*self.text_vi.errors, message]
            else:
                general.append(message)
        return general


def data_of(fields: editing.Fields, lesson: str | None, base: int) -> dict:
    """The form's data from the editor's fields (with blank rows to add answers)."""
    rows = [
        {
            **{f"text_{lang}": row.text.get(lang, "") for lang in LANGUAGES},
            **{f"feedback_{lang}": row.feedback.get(lang, "") for lang in LANGUAGES},
            **{f"match_{lang}": row.match.get(lang, "") for lang in LANGUAGES},
            "weight": row.weight,
            "value": row.value,
            "tolerance": row.tolerance,
        }
        for row in fields.rows
    ]
    rows += [{}] * max(2, ROWS - len(rows))
    return {
        **{f"text_{lang}": fields.text.get(lang, "") for lang in LANGUAGES},
        **{f"general_feedback_{lang}": fields.general_feedback.get(lang, "") for lang in LANGUAGES},
        "truth": "true" if fields.truth else "false",
        "lesson": lesson or "",
        "rows": rows[:MAX_ROWS],
        "base": base,
    }
