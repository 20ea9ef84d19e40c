from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.auth.membership import MAX_INVITATIONS, split_addresses
from app.auth.services import is_email
from app.forms import BaseForm


class InviteForm(BaseForm):
    emails = TextAreaField(
        _l("Email addresses"),
        validators=[DataRequired(), Length(max=MAX_INVITATIONS * 260)],
        description=_l("One or more, separated by commas or on separate lines."),
        render_kw={"rows": 3, "autocomplete": "off", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Send the invitations"))

    def validate_emails(self, field):
        addresses = split_addresses(field.data)
        if len(addresses) > MAX_INVITATIONS:
            raise ValidationError(_l("At most %(n)s addresses at a time.", n=MAX_INVITATIONS))
        wrong = [address for address in addresses if not is_email(address)]
        if wrong:
            raise ValidationError(
                _l("These are not email addresses: %(wrong)s", wrong=", ".join(wrong[:5]))
            )
        field.addresses = addresses


class ManagerForm(BaseForm):
    """Appoint a member manager (``manager`` "1") or make a manager a member ("0")."""

    manager = HiddenField(validators=[DataRequired()])

    def validate_manager(self, field):
        if field.data not in ("0", "1"):
            raise ValidationError(_l("Not a valid choice."))


class DigestForm(BaseForm):
    digest = BooleanField(_l("Send me a weekly e-mail about the team's progress"))
    submit = SubmitField(_l("Save"))
