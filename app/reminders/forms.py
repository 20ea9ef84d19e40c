from wtforms import HiddenField
from wtforms.validators import AnyOf, InputRequired

from app.forms import BaseForm


class ReminderSettingForm(BaseForm):
    """The account page's button that turns the weekly reminders on or off."""

    reminders = HiddenField(validators=[InputRequired(), AnyOf(("on", "off"))])
