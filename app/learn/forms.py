from flask_babel import lazy_gettext as _l
from wtforms import SubmitField
from wtforms.fields import HiddenField
from wtforms.validators import AnyOf, Optional

from app.forms import BaseForm


class LessonCompleteForm(BaseForm):
    submit = SubmitField(_l("Mark as complete"))
    #: where to go once it is marked: on to the next lesson (or the quiz after the last),
    #: or back to the end of this one
    then = HiddenField(validators=[Optional(), AnyOf(["next", "stay"])])
