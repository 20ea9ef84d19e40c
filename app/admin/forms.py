from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from app.admin.services import STATUSES
from app.auth.choices import PROVINCES
from app.forms import CHOSEN_OR_EMPTY, BaseForm, choices

ROLE_NAMES = {"learner": _l("Learner"), "trainer": _l("Trainer"), "admin": _l("Administrator")}
STATUS_NAMES = {
    "active": _l("Active"),
    "unconfirmed": _l("Email not confirmed"),
    "deactivated": _l("Deactivated"),
}


class UserFilterForm(BaseForm):
    """The users list's search and filters, read from the address (a GET form)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or email"), validators=[Optional(), Length(max=200)])
    role = SelectField(
        _l("Role"),
        choices=choices([("", _l("Any")), *ROLE_NAMES.items()]),
        validators=[CHOSEN_OR_EMPTY],
    )
    province = SelectField(
        _l("Province or city"),
        choices=choices([("", _l("Any")), *((p, p) for p in PROVINCES)]),
        validators=[CHOSEN_OR_EMPTY],
    )
    status = SelectField(
        _l("Status"),
        choices=choices([("", _l("Any")), *((s, STATUS_NAMES[s]) for s in STATUSES)]),
        validators=[CHOSEN_OR_EMPTY],
    )
    company = HiddenField()
    submit = SubmitField(_l("Search"))


class RoleForm(BaseForm):
    role = SelectField(_l("Role"), choices=choices(ROLE_NAMES.items()))
    submit = SubmitField(_l("Change the role"))


class ActiveForm(BaseForm):
    """Deactivate (``active`` "0") or reactivate ("1") an account."""

    active = HiddenField(validators=[InputRequired(), AnyOf(["0", "1"])])
