"""The questionnaire's forms, built from the instrument: one per page (app.assessment.paging)."""

from babel.numbers import get_group_symbol
from flask_babel import gettext as _
from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.assessment.instrument import Instrument, Question
from app.forms import CHOSEN_OR_EMPTY, BaseForm, choices
from app.numbers import read_number

UNKNOWN = "unknown"


def field_name(question: Question) -> str:
    return "q_" + question.id.replace("-", "_")


class ChecklistField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def parse_number(text: str, group: str) -> float | None:
    """ "12", "2,5", "2.5" or "1.200" -> a number, reading a separator before three digits
    as the thousands separator ``group`` of the reader's language ("." in Vietnamese);
    "" -> None; anything else raises ValueError."""
    if not text.strip():
        return None
    value = read_number(text, group)
    if value is None:
        raise ValueError(text)
    return value


def _number_validator(question: Question, group: str):
    low, high = question.minimum, question.maximum

    def check(form, field):
        try:
            value = parse_number(field.data or "", group)
        except ValueError:
            raise ValidationError(_("Enter a number, such as 12 or 2,5.")) from None
        if value is None:
            return
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValidationError(
                _("Enter a number from %(low)s to %(high)s.", low=_fmt(low), high=_fmt(high))
            )

    return check


def _unknown_alone(unknown: str):
    """A checklist's "I don't know" cannot be ticked with any of its answers: the server
    would otherwise have to guess which of the two the person meant."""

    def check(form, field):
        ticked = set(field.data or ())
        if UNKNOWN in ticked and ticked - {UNKNOWN}:
            raise ValidationError(
                _("Tick either “%(unknown)s” or the answers that apply, not both.", unknown=unknown)
            )

    return check


def _fmt(value) -> str:
    if value is None:
        return "…"
    return str(int(value)) if float(value).is_integer() else str(value)


class AnswerPageForm(BaseForm):
    """Fields are added per page by page_form()."""

    def answers(self) -> dict:
        """The raw answers of this page, by question id (None for "I don't know")."""
        found = {}
        for question in self._questions:
            data = self[field_name(question)].data
            if question.kind == "yesno":
                found[question.id] = data if data in ("yes", "partly", "no") else None
            elif question.kind == "scale":
                found[question.id] = int(data) if data in self._levels else None
            elif question.kind == "checklist":
                ticked = list(data or [])
                found[question.id] = None if UNKNOWN in ticked else ticked
            else:
                found[question.id] = parse_number(data or "", self._group)
        return found


def page_form(
    instrument: Instrument, questions: list[Question], locale: str, saved: dict
) -> AnswerPageForm:
    """A form for ``questions`` in ``locale``, showing the ``saved`` answers."""
    labels = instrument.choices
    unknown = labels.unknown[locale]
    fields = {}
    data = {}
    for question in questions:
        text = question.text(locale)
        name = field_name(question)
        description = text.help or ""
        raw = saved.get(question.id, "")
        if question.kind == "yesno":
            options = list(zip(("yes", "partly", "no"), labels.yesno[locale], strict=True))
            fields[name] = RadioField(
                text.text, choices=choices([*options, (UNKNOWN, unknown)]),
                validators=[CHOSEN_OR_EMPTY], description=description,
            )  # fmt: skip
            data[name] = raw if raw else (UNKNOWN if question.id in saved else None)
        elif question.kind == "scale":
            levels = [(str(n), label) for n, label in enumerate(labels.scale[locale])]
            fields[name] = RadioField(
                text.text, choices=choices([*levels, (UNKNOWN, unknown)]),
                validators=[CHOSEN_OR_EMPTY], description=description,
            )  # fmt: skip
            data[name] = str(raw) if raw != "" and raw is not None else (
                UNKNOWN if question.id in saved else None
            )  # fmt: skip
        elif question.kind == "checklist":
            options = [(o.id, o.labels.get(locale) or o.labels["vi"]) for o in question.options]
            fields[name] = ChecklistField(
                text.text, choices=choices([*options, (UNKNOWN, unknown)]),
                validators=[CHOSEN_OR_EMPTY, _unknown_alone(unknown)], description=description,
            )  # fmt: skip
            data[name] = list(raw) if isinstance(raw, list) else (
                [UNKNOWN] if question.id in saved else []
            )  # fmt: skip
        else:
            fields[name] = StringField(
                text.text,
                validators=[Optional(), _number_validator(question, get_group_symbol(locale))],
                description=description,
                render_kw={"inputmode": "decimal"},
            )
            data[name] = "" if raw in ("", None) else _fmt(raw)
    form_class = type("AnswerPage", (AnswerPageForm,), fields)
    form = form_class(data=data)  # on a POST the submitted values take precedence
    form._questions = questions
    form._group = get_group_symbol(locale)  # how the reader's language groups thousands
    form._levels = {str(n) for n in range(len(labels.scale[locale]))}
    return form
