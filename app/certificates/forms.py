from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from app.certificates import codes
from app.forms import CHOSEN_OR_EMPTY, BaseForm, choices


class VerifyForm(BaseForm):
    """A code typed from a printed certificate (a GET form)."""

    class Meta:
        csrf = False

    code = StringField(
        _l("Certificate code"),
        description=_l("As printed on the certificate, e.g. K7QX-4M9P-2RTA."),
        validators=[DataRequired(), Length(max=40)],
    )
    submit = SubmitField(_l("Verify"))

    def validate_code(self, field):
        if codes.normalise(field.data or "") is None:
            raise ValidationError(
                _l("A code has 12 letters and digits, e.g. K7QX-4M9P-2RTA: check what you typed.")
            )


class RevokeForm(BaseForm):
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Shown on the public verify page."),
        validators=[DataRequired(), Length(max=500)],
    )
    submit = SubmitField(_l("Revoke the certificate"))


class ReissueForm(BaseForm):
    submit = SubmitField(_l("Re-issue in the holder's current name"))


class IssueForm(BaseForm):
    """An administrator issues a certificate by hand."""

    email = EmailField(_l("The learner's email"), validators=[DataRequired(), Email(),
                                                              Length(max=254)])  # fmt: skip
    module = SelectField(_l("Module"), coerce=str, validators=[CHOSEN_OR_EMPTY])
    programme = SelectField(_l("Or a programme"), coerce=str, validators=[CHOSEN_OR_EMPTY])
    reason = TextAreaField(
        _l("Reason"),
        description=_l("For example: the training took place offline, in Đà Nẵng, on 12 May."),
        validators=[DataRequired(), Length(max=500)],
    )
    submit = SubmitField(_l("Issue the certificate"))

    def set_choices(self, modules, programmes, locale: str) -> None:
        self.module.choices = choices(
            [("", _l("None")), *((str(m.id), m.text(locale).title) for m in modules)]
        )
        self.programme.choices = choices(
            [("", _l("None")), *((str(p.id), p.name(locale)) for p in programmes)]
        )
