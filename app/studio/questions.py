"""The studio's question editor: a module's questions, and an editor per kind with both
languages side by side, the learner's view as preview, and every version kept."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import trainer_required
from app.content.models import Module
from app.extensions import db
from app.forms import BaseForm
from app.i18n import current_locale
from app.languages import LANGUAGE_NAMES, LANGUAGES
from app.quizzes import editing
from app.quizzes.kinds import KINDS
from app.quizzes.models import QuizQuestion
from app.quizzes.pool import preview_question
from app.quizzes.services.versions import list_versions
from app.studio import question_services as services
from app.studio.question_forms import QuestionForm, data_of
from app.studio.routes import bp
from app.studio.services import title


def _form(module: Module, form: QuestionForm) -> QuestionForm:
    locale = current_locale()
    form.set_lessons([(lesson.slug, title(lesson, locale)) for lesson in module.lessons])
    return form


def _preview(questions):
    """The question as the quiz page shows it, in the page's language."""
    question = preview_question(questions[current_locale()])
    order, choices = question.kind_class.layout(question.question, 0, False)
    return question, {"order": order, "choices": choices}


def _page(module, kind, form, row=None, problems=(), quiz_problems=(), preview=None,
          stale=None, status=200):  # fmt: skip
    return render_template(
        "studio/question.html", module=module, kind=KINDS[kind], editor=editing.EDITORS[kind],
        row=row, form=form, problems=problems, quiz_problems=quiz_problems, preview=preview,
        stale=stale, versions=list_versions(row.id) if row is not None else [],
        languages=LANGUAGES, language_names=LANGUAGE_NAMES,
    ), status  # fmt: skip


@bp.get("/modules/<int:module_id>/questions")
@trainer_required
def questions(module_id):
    module = db.get_or_404(Module, module_id)
    rows = services.pool_questions(module.id)
    return render_template(
        "studio/questions.html", module=module, rows=rows, kinds=KINDS, base=BaseForm(),
        lessons={lesson.slug: lesson for lesson in module.lessons},
        texts={row.id: services.parsed(row).get(current_locale()) for row in rows},
    )  # fmt: skip


def _submit(module, kind, row):
    """Preview or save the editor's form: a new question when ``row`` is None."""
    form = _form(module, QuestionForm())
    if not form.validate_on_submit():
        return _page(module, kind, form, row, status=400)
    edit = services.QuestionEdit(form.fields(), form.lesson.data or None, form.base.data,
                                 form.message.data or "")  # fmt: skip
    try:
        questions = services.build(row, kind, row.title if row else "", edit)
        if form.preview.data:
            return _page(module, kind, form, row, preview=_preview(questions))
        if row is None:
            row = services.create_question(module, kind, edit, current_user)
            saved = True
        else:
            saved = services.save_question(row, edit, current_user)
    except services.NotSaved as refused:
        db.session.rollback()
        row = db.session.get(QuizQuestion, row.id) if row is not None and row.id else None
        general = form.place(refused.problems, _)
        quiz = [(p.lang, p.line, p.translated(_)) for p in refused.quiz]
        return _page(module, kind, form, row, problems=general, quiz_problems=quiz, status=400)
    except services.StaleVersion as stale:
        db.session.rollback()
        row = db.get_or_404(QuizQuestion, stale.question.id)
        return _page(module, kind, form, row, stale=row, status=409)
    if not saved:
        flash(_("Nothing changed: the question is as it was."), "info")
        return redirect(url_for("studio.question", question_id=row.id))
    db.session.commit()
    flash(_("Saved as version %(n)s: new attempts use it; attempts already started keep the "
            "version they started with.", n=row.version), "success")  # fmt: skip
    return redirect(url_for("studio.question", question_id=row.id))


@bp.route("/modules/<int:module_id>/questions/new", methods=["GET", "POST"])
@trainer_required
def new_question(module_id):
    module = db.get_or_404(Module, module_id)
    kind = request.args.get("kind", "")
    if kind not in KINDS:
        abort(404)
    if request.method == "POST":
        return _submit(module, kind, None)
    fields = editing.fields_of(editing.blank_question(kind, "", LANGUAGES))
    form = _form(module, QuestionForm(formdata=None, data=data_of(fields, None, 0)))
    return _page(module, kind, form)


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
@trainer_required
def question(question_id):
    row = db.get_or_404(QuizQuestion, question_id)
    module = db.get_or_404(Module, row.module_id)
    if request.method == "POST":
        return _submit(module, row.kind, row)
    fields = editing.fields_of(services.parsed(row))
    data = data_of(fields, row.lesson_slug, row.version)
    form = _form(module, QuestionForm(formdata=None, data=data))
    return _page(module, row.kind, form, row)


@bp.post("/questions/<int:question_id>/retire")
@trainer_required
def retire_question(question_id):
    row = db.get_or_404(QuizQuestion, question_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    try:
        services.retire_question(row)
    except services.NotSaved:
        db.session.rollback()
        flash(_("The quiz would not read as files without this question; nothing changed."),
              "error")  # fmt: skip
        return redirect(url_for("studio.question", question_id=question_id))
    db.session.commit()
    flash(_("Retired: new attempts no longer draw it; past results keep it."), "success")
    return redirect(url_for("studio.questions", module_id=row.module_id))
