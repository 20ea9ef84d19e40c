from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional

from app.admin.services import STATUSES
from app.auth.choices import PROVINCES, SECTORS, SIZE_BANDS
from app.auth.forms import CompanyForm
from app.companies.forms import InviteForm
from app.forms import CHOSEN_OR_EMPTY, BaseForm, choices
from app.security import MAX_ID

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


STEP_CHOICES = [("", _l("Any")), ("0", _l("Not yet on the ladder"))] + [
    (str(n), _l("Step %(n)s", n=n)) for n in range(1, 8)
]


class CompanyFilterForm(BaseForm):
    """The companies list's filters, read from the address (a GET form)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    sector = SelectField(
        _l("Sector"),
        choices=choices([("", _l("Any")), *SECTORS.items()]),
        validators=[CHOSEN_OR_EMPTY],
    )
    size_band = SelectField(
        _l("Size"),
        choices=choices([("", _l("Any")), *SIZE_BANDS.items()]),
        validators=[CHOSEN_OR_EMPTY],
    )
    province = SelectField(
        _l("Province or city"),
        choices=choices([("", _l("Any")), *((p, p) for p in PROVINCES)]),
        validators=[CHOSEN_OR_EMPTY],
    )
    step = SelectField(_l("Step"), choices=choices(STEP_CHOICES), validators=[CHOSEN_OR_EMPTY])


class CompanyEditForm(CompanyForm):
    submit = SubmitField(_l("Save the company"))


class CompanyInviteForm(InviteForm):
    manager = BooleanField(_l("Invite them to manage the company"))


class MergeForm(BaseForm):
    into = IntegerField(
        _l("Merge it into the company number"),
        validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)],
        description=_l("The number is in the address of that company's page."),
    )
    submit = SubmitField(_l("Merge"))


class ImportForm(BaseForm):
    file = FileField(
        _l("File of learners (CSV or XLSX)"),
        validators=[
            FileRequired(_l("Choose the file.")),
            FileAllowed(["csv", "xlsx"], _l("A CSV or an XLSX file.")),
        ],
        description=_l(
            "Columns as Moodle's “Upload users”: firstname, lastname (or name), email,"
            " password, lang; and company, company_tax_code, province, sector, size_band,"
            " role, manager."
        ),
    )
    update = BooleanField(_l("Update the accounts whose email exists (else they are skipped)"))
    submit = SubmitField(_l("Check the file"))


class ImportConfirmForm(BaseForm):
    token = HiddenField(validators=[InputRequired()])
    submit = SubmitField(_l("Import now"))
