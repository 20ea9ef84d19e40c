from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from app.content.markdown import MAX_LESSON
from app.content.media import MAX_BYTES
from app.forms import BaseForm, ModuleChoices, choices
from app.security import MAX_ID

#: an identifier: part of an address, and of a file's name
SLUG = [
    DataRequired(),
    Length(max=80),
    Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$",
           message=_l("Small letters without accents, digits and hyphens.")),
]  # fmt: skip


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


class TermForm(BaseForm):
    """A glossary term in both languages."""

    slug = StringField(
        _l("Identifier"),
        validators=SLUG,
        description=_l("The anchor on the glossary page, e.g. customer-lifetime-value; it does"
                       " not change once the term exists."),
    )  # fmt: skip
    term_vi = StringField(_l("Term in Vietnamese"), validators=[DataRequired(), Length(max=200)])
    term_en = StringField(_l("Term in English"), validators=[DataRequired(), Length(max=200)])
    definition_vi = TextAreaField(_l("Definition in Vietnamese"),
                                  validators=[DataRequired(), Length(max=2000)],
                                  render_kw={"rows": 4})  # fmt: skip
    definition_en = TextAreaField(_l("Definition in English"),
                                  validators=[DataRequired(), Length(max=2000)],
                                  render_kw={"rows": 4})  # fmt: skip
    modules = ModuleChoices(_l("Modules whose lessons use it"), validators=[Optional()])
    retired = BooleanField(_l("Retired: no longer shown to learners"))
    submit = SubmitField(_l("Save the term"))

    def set_modules(self, modules) -> None:
        self.modules.choices = choices((module.slug, module.title) for module in modules)


class ModuleForm(BaseForm):
    """Every setting of a module that module.toml holds, both languages side by side."""

    title_vi = StringField(_l("Title in Vietnamese"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(), Length(max=200)])
    summary_vi = TextAreaField(_l("Summary in Vietnamese"),
                               validators=[DataRequired(), Length(max=2000)],
                               render_kw={"rows": 4})  # fmt: skip
    summary_en = TextAreaField(_l("Summary in English"),
                               validators=[DataRequired(), Length(max=2000)],
                               render_kw={"rows": 4})  # fmt: skip
    outcomes_vi = TextAreaField(_l("Outcomes in Vietnamese, one a line"),
                                validators=[DataRequired(), Length(max=4000)],
                                render_kw={"rows": 5})  # fmt: skip
    outcomes_en = TextAreaField(_l("Outcomes in English, one a line"),
                                validators=[DataRequired(), Length(max=4000)],
                                render_kw={"rows": 5})  # fmt: skip
    minutes = IntegerField(_l("Minutes to study it"), validators=[InputRequired(),
                                                                 NumberRange(1, 6000)])  # fmt: skip
    track = SelectField(_l("Track"), validators=[DataRequired()])
    step = SelectField(_l("Ladder step"), validators=[Optional()])
    prerequisites = ModuleChoices(_l("Modules to complete first"), validators=[Optional()])
    pass_mark = IntegerField(
        _l("Quiz pass mark (%)"), validators=[InputRequired(), NumberRange(0, 100)]
    )
    quiz_questions = IntegerField(_l("Questions in an attempt"),
                                  validators=[InputRequired(), NumberRange(0, 500)])  # fmt: skip
    quiz_attempts = IntegerField(_l("Attempts allowed (0: any number)"),
                                 validators=[InputRequired(), NumberRange(0, 100)])  # fmt: skip
    quiz_shuffle = BooleanField(_l("Shuffle the questions and answers"))
    quiz_answers = SelectField(
        _l("Learners see the right answers"),
        choices=choices([
            ("after-attempt", _l("after each attempt")),
            ("once-passed", _l("only once they have passed")),
            ("after-last-attempt", _l("after the last attempt allowed (or once passed)")),
        ]),
        validators=[DataRequired()],
        description=_l("Until then, the review shows whether each answer was right, but"
                       " not the right answer nor the explanations."),
    )  # fmt: skip
    submit = SubmitField(_l("Save the module"))

    def set_choices(self, tracks, steps, modules) -> None:
        self.track.choices = choices(tracks)
        self.step.choices = choices(steps)
        self.prerequisites.choices = choices(modules)


class NewModuleForm(ModuleForm):
    slug = StringField(
        _l("Identifier"), validators=SLUG, description=_l("The module's address, e.g. crm-basics.")
    )
    submit = SubmitField(_l("Create the module"))


class RenameForm(BaseForm):
    slug = StringField(
        _l("New identifier"),
        validators=SLUG,
        description=_l("Its addresses under the old identifier keep working."),
    )
    submit = SubmitField(_l("Rename"))


class BothForm(RevisionForm):
    """Publish a draft in each language at once."""

    other = IntegerField(widget=HiddenField.widget, validators=[NumberRange(1, MAX_ID)])


class NewLessonForm(BaseForm):
    slug = StringField(
        _l("Identifier"),
        validators=SLUG,
        description=_l("Part of the lesson's address, e.g. measuring-step-1."),
    )  # fmt: skip
    title_vi = StringField(_l("Title in Vietnamese"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Add the lesson"))


class MediaUploadForm(BaseForm):
    """An image or a downloadable file for a module's lessons."""

    file = FileField(
        _l("File"),
        validators=[FileRequired(message=_l("Choose a file to upload."))],
        description=_l("An image (PNG, JPEG or WebP) or a file for learners to download (PDF,"
                       " XLSX or CSV), at most %(most)s MB.", most=MAX_BYTES // (1024 * 1024)),
    )  # fmt: skip
    alt_vi = StringField(
        _l("For an image: what it shows, in Vietnamese"),
        validators=[Optional(), Length(max=300)],
        description=_l("Read aloud to those who cannot see it, and shown if it does not load."),
    )
    alt_en = StringField(
        _l("For an image: what it shows, in English"), validators=[Optional(), Length(max=300)]
    )
    submit = SubmitField(_l("Upload"))
