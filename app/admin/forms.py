from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional

from app.admin.services import STATUSES
from app.auth.choices import PROVINCES, SECTORS, SIZE_BANDS
from app.auth.forms import CompanyForm
from app.companies.forms import InviteForm
from app.forms import CHOSEN_OR_EMPTY, BaseForm, ModuleChoices, choices
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
    programme = SelectField(_l("Programme"), coerce=str, validators=[CHOSEN_OR_EMPTY])
    company = HiddenField()
    submit = SubmitField(_l("Search"))

    def set_programmes(self, programmes, locale: str) -> None:
        self.programme.choices = choices(
            [("", _l("Any")), *((str(p.id), p.name(locale)) for p in programmes)]
        )


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

    q = StringField(_l("Company name"), validators=[Optional(), Length(max=200)])
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
    programme = SelectField(_l("Programme"), coerce=str, validators=[CHOSEN_OR_EMPTY])

    set_programmes = UserFilterForm.set_programmes


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


class ProgrammeForm(BaseForm):
    name_vi = StringField(_l("Name in Vietnamese"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)])
    starts_on = DateField(_l("Starts on"), validators=[Optional()])
    ends_on = DateField(_l("Ends on"), validators=[Optional()])
    modules = ModuleChoices(_l("Modules it requires"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Save the programme"))

    def set_modules(self, modules) -> None:
        self.modules.choices = [(module.id, module.title) for module in modules]


class EnrolCompaniesForm(BaseForm):
    companies = TextAreaField(
        _l("Companies"),
        validators=[DataRequired(), Length(max=20_000)],
        description=_l("Their numbers or tax codes, separated by commas or on separate lines."),
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Enrol the companies"))


class EnrolLearnersForm(BaseForm):
    emails = TextAreaField(
        _l("Learners' emails"),
        validators=[DataRequired(), Length(max=50_000)],
        description=_l("Separated by commas or on separate lines."),
        render_kw={"rows": 3},
    )
    invite = BooleanField(
        _l("Invite by e-mail the addresses that have no account yet"),
        description=_l("They are enrolled once they create their account and confirm it."),
    )
    submit = SubmitField(_l("Enrol the learners"))


class _ReportChoices(BaseForm):
    """A report's choices, read from the address (a GET form): how to group it, and
    which programme's learners or companies it counts."""

    class Meta:
        csrf = False

    programme = SelectField(_l("Programme"), coerce=str, validators=[CHOSEN_OR_EMPTY])

    set_programmes = UserFilterForm.set_programmes


def _grouped_by(groups: list, default: str) -> SelectField:
    return SelectField(
        _l("Grouped by"), choices=choices(groups), default=default, validators=[Optional()]
    )


class ReportForm(_ReportChoices):
    by = _grouped_by(
        [
            ("module", _l("Module")),
            ("company", _l("Company")),
            ("learner", _l("Learner")),
            ("province", _l("Province or city")),
            ("sector", _l("Sector and size")),
        ],
        "module",
    )
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To (included)"), validators=[Optional()])
    submit = SubmitField(_l("Show"))


class MaturityForm(_ReportChoices):
    by = _grouped_by(
        [("sector", _l("Sector")), ("size_band", _l("Size")), ("province", _l("Province or city"))],
        "sector",
    )


class WithdrawForm(BaseForm):
    """Withdraw a programme's invitation to an address."""

    email = HiddenField(validators=[DataRequired(), Length(max=254)])


class CertificateFilterForm(BaseForm):
    """The administrators' search of certificates (a GET form)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name, code or module"), validators=[Optional(), Length(max=200)])
    programme = SelectField(_l("Programme"), coerce=str, validators=[CHOSEN_OR_EMPTY])
    submit = SubmitField(_l("Search"))

    set_programmes = UserFilterForm.set_programmes
