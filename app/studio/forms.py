from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.content.markdown import MAX_LESSON
from app.forms import BaseForm
from app.security import MAX_ID


class LessonForm(BaseForm):
    source = TextAreaField(
        _l("Text (Markdown)"),
        validators=[DataRequired(), Length(max=MAX_LESSON)],
        description=_l("The first line is the title, as “# Title”."),
        render_kw={"rows": 24, "spellcheck": "true"},
    )
    message = StringField(_l("What changed (optional)"), validators=[Optional(), Length(max=200)])
    #: the revision the text was edited from
    base = IntegerField(widget=HiddenField.widget, validators=[Optional(), NumberRange(1, MAX_ID)])
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save the draft"))


class RevisionForm(BaseForm):
    """Publish a revision."""

    revision = IntegerField(widget=HiddenField.widget, validators=[NumberRange(1, MAX_ID)])


class ScheduleForm(RevisionForm):
    """Publish a draft by itself later (in the platform's time zone)."""

    when = DateTimeLocalField(_l("Publish on"), validators=[DataRequired()])
    submit = SubmitField(_l("Schedule"))
