"""The trainers' studio under /studio/: every lesson's state in each language, and the
lesson editor (draft, preview, publish), which works without JavaScript."""

from datetime import UTC
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from app.access import trainer_required
from app.content.catalogue import get_catalogue
from app.content.files import TRACKS, QuizSettings
from app.content.models import GlossaryTerm, Lesson, LessonRevision, Module
from app.content.services import list_media
from app.db_types import utcnow
from app.errors import DomainError
from app.extensions import db
from app.forms import BaseForm, refuse
from app.i18n import current_locale
from app.languages import LANGUAGE_NAMES, LANGUAGES, N_
from app.quizzes.services.analysis import flagged_questions
from app.studio import services
from app.studio.diff import merge, word_diff
from app.studio.forms import (
    BothForm,
    LessonForm,
    ModuleForm,
    NewLessonForm,
    NewModuleForm,
    RenameForm,
    RevisionForm,
    ScheduleForm,
    TermForm,
)

bp = Blueprint("studio", __name__, url_prefix="/studio")


@bp.context_processor
def _helpers():
    return {"lesson_title": services.title}


@bp.get("/")
@trainer_required
def home():
    modules = services.modules()
    return render_template(
        "studio/home.html",
        modules=modules,
        states=services.states([module.id for module in modules]),
        changes=services.recent_changes(),
        flagged=_by_module(flagged_questions()),
        languages=LANGUAGES,
        language_names=LANGUAGE_NAMES,
    )


def _by_module(flagged):
    grouped = {}
    for question in flagged:
        grouped.setdefault(question.module_id, []).append(question)
    return grouped


def _lesson(lesson_id: int, lang: str) -> Lesson:
    if lang not in LANGUAGES:
        abort(404)
    return db.get_or_404(Lesson, lesson_id)


def _editor(
    lesson, lang, form=None, preview=None, problems=(), stale=None, merged=False,
    schedule_form=None, status=200,
):  # fmt: skip
    newest = services.latest(lesson.id, lang)
    if form is None:
        form = LessonForm(formdata=None, source=newest.source if newest else "",
                          base=newest.id if newest else None)  # fmt: skip
    other = services.other_language(lang)
    return render_template(
        "studio/lesson.html",
        lesson=lesson,
        lang=lang,
        other=other,
        other_text=services.latest(lesson.id, other),
        language_names=LANGUAGE_NAMES,
        newest=newest,
        published=lesson.translations.get(lang),
        form=form,
        preview=preview,
        problems=problems,
        stale=stale,
        merged=merged,
        revision_form=RevisionForm(formdata=None),
        schedule_form=schedule_form or ScheduleForm(formdata=None),
        base=BaseForm(),
        media=list_media(lesson.module_id),
        terms=services.term_texts(lang),
    ), status


@bp.get("/lessons/<int:lesson_id>/<lang>")
@trainer_required
def lesson(lesson_id, lang):
    return _editor(_lesson(lesson_id, lang), lang)


@bp.post("/lessons/<int:lesson_id>/<lang>")
@trainer_required
def edit_lesson(lesson_id, lang):
    """Preview the text (nothing is saved), or save it as the draft."""
    lesson = _lesson(lesson_id, lang)
    form = LessonForm()
    if not form.validate_on_submit():
        return _editor(lesson, lang, form=form, status=400)
    text = services.normalised(form.source.data)
    if form.preview.data:
        rendered, problems = services.preview(lesson, text)
        return _editor(lesson, lang, form=form, preview=rendered, problems=problems)
    try:
        services.save(lesson, lang, text, form.base.data, current_user, form.message.data or "")
    except services.NotSaved as refused:
        return _editor(lesson, lang, form=form, preview=services.preview(lesson, text)[0],
                       problems=refused.problems, status=400)  # fmt: skip
    except services.StaleRevision as stale:
        db.session.rollback()
        lesson = _lesson(lesson_id, lang)
        base = db.session.get(LessonRevision, form.base.data) if form.base.data else None
        merged = None
        if base is not None and base.lesson_id == lesson.id and base.locale == lang:
            merged = merge(base.source, text, stale.latest.source)
        if merged is not None:
            form.source.data = merged  # both edits, for the trainer to read and save
        return _editor(lesson, lang, form=form, stale=stale.latest, merged=merged is not None,
                       status=409)  # fmt: skip
    db.session.commit()
    return _done(lesson_id, lang, _("The draft is saved; learners still read the published text."))


@bp.post("/lessons/<int:lesson_id>/<lang>/preview")
@trainer_required
def live_preview(lesson_id, lang):
    """The preview alone, for the editor's script to show beside the text."""
    lesson = _lesson(lesson_id, lang)
    form = LessonForm()
    if not form.validate_on_submit():
        abort(400)
    rendered, problems = services.preview(lesson, services.normalised(form.source.data))
    return render_template("studio/_preview.html", preview=rendered, problems=problems)


@bp.post("/lessons/<int:lesson_id>/<lang>/publish")
@trainer_required
def publish(lesson_id, lang):
    revision = _posted(lesson_id, lang)
    if revision.published_at is None:
        services.publish(revision, current_user)
        db.session.commit()
    return _done(lesson_id, lang, _("Published: learners now read this text."))


@bp.post("/lessons/<int:lesson_id>/<lang>/publish-both")
@trainer_required
def publish_both(lesson_id, lang):
    """Publish this language's draft and the other's together, as the trainer saw them:
    refused when either is no longer the newest."""
    lesson = _lesson(lesson_id, lang)
    form = BothForm()
    if not form.validate_on_submit():
        abort(400)
    other = services.other_language(lang)
    drafts = [_draft(lesson, lang, form.revision.data), _draft(lesson, other, form.other.data)]
    if any(services.latest(lesson.id, draft.locale).id != draft.id for draft in drafts):
        flash(_("A newer draft was saved meanwhile: read it, then publish."), "error")
        return redirect(url_for("studio.lesson", lesson_id=lesson_id, lang=lang))
    for draft in drafts:
        services.publish(draft, current_user)
    db.session.commit()
    return _done(lesson_id, lang, _("Published in both languages."))


def _revision(lesson: Lesson, lang: str, revision_id: int | None) -> LessonRevision:
    revision = db.session.get(LessonRevision, revision_id) if revision_id else None
    if revision is None or revision.lesson_id != lesson.id or revision.locale != lang:
        abort(404)
    return revision


def _posted(lesson_id: int, lang: str, draft: bool = False) -> LessonRevision:
    """The lesson's revision that a one-button form names (a draft, with ``draft``),
    once the form's token is checked; 400, 404 or 409 otherwise."""
    lesson = _lesson(lesson_id, lang)
    form = RevisionForm()
    if not form.validate_on_submit():
        abort(400)
    return (_draft if draft else _revision)(lesson, lang, form.revision.data)


def _done(lesson_id: int, lang: str, message: str):
    """Back to the lesson's editor, saying what was done."""
    flash(message, "success")
    return redirect(url_for("studio.lesson", lesson_id=lesson_id, lang=lang))


@bp.get("/lessons/<int:lesson_id>/<lang>/history")
@trainer_required
def history(lesson_id, lang):
    """Every revision, and what changed between two of them (by default, the newest and
    the one before it)."""
    lesson = _lesson(lesson_id, lang)
    revisions = services.history(lesson.id, lang)
    by_id = {revision.id: revision for revision in revisions}
    newer = by_id.get(request.args.get("b", type=int) or 0, revisions[0] if revisions else None)
    older_default = revisions[1] if len(revisions) > 1 else newer
    older = by_id.get(request.args.get("a", type=int) or 0, older_default)
    runs = word_diff(older.source, newer.source) if older and newer else []
    return render_template(
        "studio/history.html", lesson=lesson, lang=lang, revisions=revisions, older=older,
        newer=newer, runs=runs, language_names=LANGUAGE_NAMES, form=RevisionForm(formdata=None),
    )  # fmt: skip


@bp.post("/lessons/<int:lesson_id>/<lang>/restore")
@trainer_required
def restore(lesson_id, lang):
    revision = _posted(lesson_id, lang)
    try:
        services.restore(revision, current_user)
    except services.NotSaved:  # a text from before today's checks
        flash(_("This revision has problems that today's checks refuse: copy what you need"
                " from it into the editor instead."), "error")  # fmt: skip
        return redirect(url_for("studio.history", lesson_id=lesson_id, lang=lang))
    db.session.commit()
    message = _("The revision is the newest draft again; publish it when it is right.")
    return _done(lesson_id, lang, message)


@bp.post("/lessons/<int:lesson_id>/<lang>/review")
@trainer_required
def request_review(lesson_id, lang):
    services.request_review(_posted(lesson_id, lang, draft=True), current_user)
    db.session.commit()
    return _done(lesson_id, lang, _("Marked ready for review: another trainer can read what"
                                    " changed and publish it."))  # fmt: skip


@bp.post("/lessons/<int:lesson_id>/<lang>/schedule")
@trainer_required
def schedule(lesson_id, lang):
    lesson = _lesson(lesson_id, lang)
    form = ScheduleForm()
    if not form.validate_on_submit():
        return _editor(lesson, lang, schedule_form=form, status=400)
    when = form.when.data.replace(tzinfo=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    if when <= utcnow():
        form.when.errors.append(_("Choose a moment still to come."))
        return _editor(lesson, lang, schedule_form=form, status=400)
    services.schedule(_draft(lesson, lang, form.revision.data), when.astimezone(UTC),
                      current_user)  # fmt: skip
    db.session.commit()
    return _done(lesson_id, lang, _("It will be published by itself on %(when)s.",
                                    when=format_datetime(when, "short")))  # fmt: skip


@bp.post("/lessons/<int:lesson_id>/<lang>/unschedule")
@trainer_required
def unschedule(lesson_id, lang):
    services.schedule(_posted(lesson_id, lang, draft=True), None, current_user)
    db.session.commit()
    return _done(lesson_id, lang, _("It will no longer be published by itself."))


def _draft(lesson: Lesson, lang: str, revision_id: int | None) -> LessonRevision:
    """The lesson's revision ``revision_id`` in ``lang``, which must be a draft."""
    revision = _revision(lesson, lang, revision_id)
    if revision.published_at is not None:
        abort(409)
    return revision


@bp.post("/lessons/<int:lesson_id>/<lang>/confirm")
@trainer_required
def confirm(lesson_id, lang):
    lesson = _lesson(lesson_id, lang)
    if not BaseForm().validate_on_submit():
        abort(400)
    services.confirm(lesson, lang)
    db.session.commit()
    return _done(lesson_id, lang, _("Marked as up to date with the other language."))


# -- the glossary --------------------------------------------------------------------------


def _term_form(form: TermForm) -> TermForm:
    form.set_modules(get_catalogue(current_locale()).modules)
    return form


def _term_data(form: TermForm, slug: str) -> services.TermData:
    return services.TermData(
        slug=slug,
        term={"vi": form.term_vi.data, "en": form.term_en.data},
        definition={"vi": form.definition_vi.data, "en": form.definition_en.data},
        modules=form.modules.data or [],
        retired=form.retired.data,
    )


@bp.route("/glossary", methods=["GET", "POST"])
@trainer_required
def glossary():
    """Every term, and the form for a new one."""
    form = _term_form(TermForm())
    if form.validate_on_submit():
        try:
            row = services.save_term(None, _term_data(form, form.slug.data), current_user)
        except DomainError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(_("Saved: learners see it at once."), "success")
            return redirect(url_for("studio.term", term_id=row.id))
    return render_template("studio/glossary.html", terms=services.terms(), form=form), (
        400 if form.is_submitted() else 200
    )


@bp.route("/glossary/<int:term_id>", methods=["GET", "POST"])
@trainer_required
def term(term_id):
    row = db.get_or_404(GlossaryTerm, term_id)
    if request.method == "GET":
        form = _term_form(TermForm(formdata=None, slug=row.slug, modules=row.modules,
                                   retired=row.retired,
                                   term_vi=row.translations["vi"].term,
                                   term_en=row.translations["en"].term,
                                   definition_vi=row.translations["vi"].definition,
                                   definition_en=row.translations["en"].definition))  # fmt: skip
        return render_template("studio/term.html", row=row, form=form)
    form = _term_form(TermForm(data={"slug": row.slug}))
    form.slug.data = row.slug  # an identifier does not change
    if not form.validate_on_submit():
        return render_template("studio/term.html", row=row, form=form), 400
    services.save_term(row, _term_data(form, row.slug), current_user)
    db.session.commit()
    flash(_("Saved: learners see it at once."), "success")
    return redirect(url_for("studio.term", term_id=row.id))


# -- modules -------------------------------------------------------------------------------

TRACK_NAMES = {"foundations": N_("Foundations"), "ladder": N_("The 7-step ladder"),
               "crm": N_("Customer relationship management (CRM)")}  # fmt: skip


def _module_form(module: Module | None, form: ModuleForm) -> ModuleForm:
    others = [(row.slug, row.text(current_locale()).title)
              for row in services.modules() if module is None or row.id != module.id]  # fmt: skip
    form.set_choices(
        [(track, _(TRACK_NAMES[track])) for track in TRACKS],
        [("", _("None"))] + [(str(step), _("Step %(n)s", n=step)) for step in range(1, 8)],
        others,
    )
    return form


def _module_data(form: ModuleForm) -> services.ModuleData:
    return services.ModuleData(
        title={"vi": form.title_vi.data, "en": form.title_en.data},
        summary={"vi": form.summary_vi.data, "en": form.summary_en.data},
        outcomes={
            "vi": form.outcomes_vi.data.splitlines(),
            "en": form.outcomes_en.data.splitlines(),
        },  # fmt: skip
        minutes=form.minutes.data,
        track=form.track.data,
        step=int(form.step.data) if form.step.data else None,
        prerequisites=form.prerequisites.data or [],
        pass_mark=form.pass_mark.data,
        quiz_questions=form.quiz_questions.data,
        quiz_attempts=form.quiz_attempts.data,
        quiz_shuffle=form.quiz_shuffle.data,
        quiz_answers=form.quiz_answers.data,
    )


def _settings_of(row: Module) -> ModuleForm:
    vi, en = row.translations["vi"], row.translations["en"]
    return _module_form(row, ModuleForm(
        formdata=None, title_vi=vi.title, title_en=en.title, summary_vi=vi.summary,
        summary_en=en.summary, outcomes_vi="\n".join(vi.outcomes),
        outcomes_en="\n".join(en.outcomes), minutes=row.minutes, track=row.track,
        step=str(row.step or ""), prerequisites=[p.slug for p in row.prerequisites],
        pass_mark=row.pass_mark, quiz_questions=row.quiz_questions,
        quiz_attempts=row.quiz_attempts, quiz_shuffle=row.quiz_shuffle,
        quiz_answers=row.quiz_answers,
    ))  # fmt: skip


def _module_page(row: Module, form=None, new_lesson=None, rename=None, status=200):
    return render_template(
        "studio/module.html", row=row, form=form or _settings_of(row), base=BaseForm(),
        new_lesson=new_lesson or NewLessonForm(formdata=None),
        rename=rename or RenameForm(formdata=None, slug=row.slug),
    ), status  # fmt: skip


@bp.route("/modules/new", methods=["GET", "POST"])
@trainer_required
def new_module():
    """A new module: its settings first, then its lessons."""
    defaults = QuizSettings()
    form = _module_form(None, NewModuleForm() if request.method == "POST" else NewModuleForm(
        formdata=None, minutes=30, pass_mark=defaults.pass_mark,
        quiz_questions=defaults.questions, quiz_attempts=defaults.attempts,
        quiz_shuffle=defaults.shuffle, quiz_answers=defaults.answers,
    ))  # fmt: skip
    if form.validate_on_submit():
        try:
            row = services.create_module(form.slug.data, _module_data(form), current_user)
        except DomainError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(_("The module is created: add its lessons. Learners see it once one is"
                    " published."), "success")  # fmt: skip
            return redirect(url_for("studio.module", module_id=row.id, _anchor="lessons"))
    return render_template("studio/new_module.html", form=form), (
        400 if form.is_submitted() else 200
    )


@bp.post("/modules/<int:module_id>/rename")
@trainer_required
def rename_module(module_id):
    row = db.get_or_404(Module, module_id)
    form = RenameForm()
    if form.validate_on_submit():
        try:
            services.rename_module(row, form.slug.data, current_user)
        except DomainError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(_("Renamed: the old address leads here too."), "success")
            return redirect(url_for("studio.module", module_id=module_id))
    return _module_page(db.get_or_404(Module, module_id), rename=form, status=400)


@bp.post("/modules/<int:module_id>/<any(retire, restore):action>")
@trainer_required
def retire_module(module_id, action):
    row = db.get_or_404(Module, module_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    services.retire_module(row, current_user, retired=action == "retire")
    db.session.commit()
    flash(_("Retired: learners no longer see it; what they did in it is kept.")
          if action == "retire" else _("Back in the catalogue."), "success")  # fmt: skip
    return redirect(url_for("studio.module", module_id=module_id))


@bp.route("/modules/<int:module_id>", methods=["GET", "POST"])
@trainer_required
def module(module_id):
    """A module's settings, and the order of its lessons."""
    row = db.get_or_404(Module, module_id)
    if request.method == "GET":
        return _module_page(row)
    form = _module_form(row, ModuleForm())
    if form.validate_on_submit():
        try:
            services.save_module(row, _module_data(form), current_user)
        except DomainError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(_("Saved: learners see it at once."), "success")
            return redirect(url_for("studio.module", module_id=module_id))
    return _module_page(db.get_or_404(Module, module_id), form=form, status=400)


@bp.post("/modules/<int:module_id>/lessons")
@trainer_required
def add_lesson(module_id):
    row = db.get_or_404(Module, module_id)
    form = NewLessonForm()
    if form.validate_on_submit():
        titles = {"vi": form.title_vi.data, "en": form.title_en.data}
        try:
            lesson = services.add_lesson(row, form.slug.data, titles, current_user)
        except DomainError as error:
            refuse(form, error)
        else:
            db.session.commit()
            message = _("The lesson is added as a draft: write it, then publish it.")
            return _done(lesson.id, "vi", message)
    return _module_page(db.get_or_404(Module, module_id), new_lesson=form, status=400)


@bp.post("/lessons/<int:lesson_id>/move/<any(up, down):direction>")
@trainer_required
def move_lesson(lesson_id, direction):
    lesson = db.get_or_404(Lesson, lesson_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    services.move_lesson(lesson, current_user, up=direction == "up")
    db.session.commit()
    return redirect(url_for("studio.module", module_id=lesson.module_id, _anchor="lessons"))


from app.studio import media_routes  # noqa: E402, F401  (its routes, on this blueprint)
