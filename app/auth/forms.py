from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as InvalidNumber
from stdnum.vn import mst
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from app.auth.choices import PROVINCES, SECTORS, SIZE_BANDS
from app.auth.passwords import MIN_LENGTH, password_problem
from app.auth.services import NewCompany
from app.forms import CHOSEN_OR_EMPTY, BaseForm, choices


class TaxCode:
    """A Vietnamese tax code: 10 digits with a check digit, or 13 for a branch; dots,
    spaces and the dash before a branch's suffix are allowed (python-stdnum's rules).
    ``field.data`` becomes the digits alone."""

    def __call__(self, form, field):
        try:
            field.data = mst.validate(field.data)
        except InvalidChecksum:
            raise ValidationError(
                _("The last digit of this tax code does not match the others: check it.")
            ) from None
        except InvalidNumber:  # its length or its characters
            raise ValidationError(
                _("A tax code has 10 digits, or 13 for a branch (0312345678-001).")
            ) from None


class NewPassword:
    """A password that meets the rules of app.auth.passwords; ``owner(form)`` gives the
    email and the name it must not be."""

    def __init__(self, owner):
        self.owner = owner

    def __call__(self, form, field):
        problem = password_problem(field.data or "", *self.owner(form))
        if problem is not None:
            message, params = problem
            raise ValidationError(_(message, **params))


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _one_line(value):
    """A name on one line, its spaces as typed but never two in a row: it goes into
    e-mail subjects and table cells."""
    return " ".join(value.split()) if isinstance(value, str) else value


class LoginForm(BaseForm):
    email = EmailField(_l("Email"), filters=[_strip], validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired()])
    submit = SubmitField(_l("Log in"))


PASSWORD_HINT = _l(
    "At least %(n)s characters; not a common password, your email or your name.", n=MIN_LENGTH
)


def name_field() -> StringField:
    return StringField(
        _l("Your full name"), filters=[_one_line], validators=[DataRequired(), Length(max=120)]
    )


def email_field(description: str = "") -> EmailField:
    return EmailField(
        _l("Email"),
        filters=[_strip],
        validators=[
            DataRequired(),
            Email(message=_l("Enter a valid email address.")),
            Length(max=254),
        ],
        description=description,
    )


def company_name_field() -> StringField:
    return StringField(
        _l("Company name"), filters=[_one_line], validators=[Optional(), Length(max=200)]
    )


def province_field() -> SelectField:
    return SelectField(
        _l("Province or city"),
        choices=choices([("", _l("Choose…")), *((p, p) for p in PROVINCES)]),
        validators=[CHOSEN_OR_EMPTY],
    )


def tax_code_field() -> StringField:
    return StringField(
        _l("Tax code (optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=20), TaxCode()],
        description=_l("Mã số thuế: 10 digits, or 13 for a branch (0312345678-001)."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )


def sector_field() -> SelectField:
    return SelectField(
        _l("Sector"),
        choices=choices([("", _l("Choose…")), *SECTORS.items()]),
        validators=[CHOSEN_OR_EMPTY],
    )


def size_band_field() -> SelectField:
    return SelectField(
        _l("Size"),
        choices=choices([("", _l("Choose…")), *SIZE_BANDS.items()]),
        validators=[CHOSEN_OR_EMPTY],
    )


class NewAccountForm(BaseForm):
    """An account for someone invited to a company: the invitation says which."""

    name = name_field()
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(), NewPassword(lambda form: (form.email.data, form.name.data))],
        description=PASSWORD_HINT,
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Create my account"))


class RegisterForm(NewAccountForm):
    company_choice = RadioField(
        _l("Your company"),
        choices=choices(
            [
                ("new", _l("Register my company")),
                ("existing", _l("My company is already registered: ask to join it")),
            ]
        ),
        default="new",
        validators=[InputRequired()],
    )
    company_name = company_name_field()
    province = province_field()
    tax_code = tax_code_field()
    sector = sector_field()
    size_band = size_band_field()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.company_choice.data == "new":
            return company_is_complete(self) and valid
        if self.company_choice.data == "existing":
            return company_is_named(self) and valid
        return valid


class CompanyForm(BaseForm):
    """Register a company, or ask to join it when it is registered already."""

    company_name = company_name_field()
    province = province_field()
    tax_code = tax_code_field()
    sector = sector_field()
    size_band = size_band_field()
    submit = SubmitField(_l("Register the company"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return company_is_complete(self) and valid


class FindCompanyForm(BaseForm):
    """Ask to join a registered company found by its tax code, or its name and province."""

    company_name = company_name_field()
    province = province_field()
    tax_code = tax_code_field()
    submit = SubmitField(_l("Ask to join"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return company_is_named(self) and valid


def _require(*fields) -> bool:
    missing = [field for field in fields if not field.data]
    for field in missing:
        field.errors = [*field.errors, _l("This field is required.")]
    return not missing


def company_is_complete(form) -> bool:
    """A new company needs its name, sector, size and province."""
    return _require(form.company_name, form.sector, form.size_band, form.province)


def company_is_named(form) -> bool:
    """A registered company is found by its tax code, or by its name and province."""
    return bool(form.tax_code.data) or _require(form.company_name, form.province)


def company_of(form):
    """The company as the form's fields give it (app.auth.services.NewCompany)."""
    return NewCompany(
        name=form.company_name.data or "",
        sector=form.sector.data if "sector" in form else "",
        size_band=form.size_band.data if "size_band" in form else "",
        province=form.province.data or "",
        tax_code=form.tax_code.data or None,
    )


class NewPasswordForm(BaseForm):
    """A new password for ``user``, typed twice (it cannot be their email or name)."""

    new_password = PasswordField(
        _l("New password"),
        validators=[InputRequired(), NewPassword(lambda form: (form.user.email, form.user.name))],
        description=PASSWORD_HINT,
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user


class PasswordChangeForm(NewPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired()])
    submit = SubmitField(_l("Change password"))


class LanguageForm(BaseForm):
    locale = RadioField(
        _l("Language"),
        choices=choices([("vi", "Tiếng Việt"), ("en", "English")]),
        validators=[InputRequired()],
    )
    submit = SubmitField(_l("Save language"))


class LocaleSwitchForm(BaseForm):
    """The language switch in the page header: one button per language."""

    locale = HiddenField(validators=[InputRequired()])
    next = HiddenField()


class ForgotPasswordForm(BaseForm):
    email = EmailField(_l("Email"), filters=[_strip], validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(NewPasswordForm):
    submit = SubmitField(_l("Set the new password"))


class DetailsForm(BaseForm):
    name = name_field()
    email = email_field(_l("A new email is confirmed by a link sent to it."))
    submit = SubmitField(_l("Save my details"))


class DeleteAccountForm(BaseForm):
    password = PasswordField(_l("Your password"), validators=[InputRequired()])
    understood = BooleanField(
        _l("I understand that my account, my progress and my answers are deleted for good."),
        validators=[DataRequired(_l("Tick the box to say you understand."))],
    )
    submit = SubmitField(_l("Delete my account"))
