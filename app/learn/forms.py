from flask_babel import lazy_gettext as _l
from wtforms import SubmitField

from app.forms import BaseForm


class LessonCompleteForm(BaseForm):
    submit = SubmitField(_l("Mark as complete"))
