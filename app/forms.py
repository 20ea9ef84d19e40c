"""The base of every form: WTForms' own messages go through the application's catalogue
(WTForms ships no Vietnamese), so "This field is required." is translated like the rest."""

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.errors import DomainError
from app.extensions import db


class _BabelTranslations:
    """The catalogue's texts for WTForms, which fills in their placeholders itself."""

    def gettext(self, string):
        return get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


#: for a choice that may be left empty: one of only spaces is a choice not offered (plain
#: Optional() would take it for empty, and let it through unchecked)
CHOSEN_OR_EMPTY = Optional(strip_whitespace=False)


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class ModuleChoices(SelectMultipleField):
    """Checkboxes, one per module."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _BabelTranslations()


# WTForms' messages that our forms can show; listed so that they are extracted.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid email address."),
    _l("Field must be equal to %(other_name)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _ln(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    ),
    _ln(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    ),
    _ln(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
        1,
    ),
    _ln(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    ),
)


def refuse(form: FlaskForm, error: DomainError) -> None:
    """A service refused the form's change: undo what it wrote, and show its message
    next to the field it names."""
    db.session.rollback()
    getattr(form, error.field).errors.append(error.message)
