"""Quiz pages: taking a module's quiz and its result for learners; import, export, item
analysis and essays for trainers and administrators."""

from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.access import trainer_required
from app.content.catalogue import ModuleView, get_catalogue, module_or_404
from app.errors import DomainError
from app.extensions import db
from app.i18n import current_locale
from app.languages import LANGUAGES
from app.quizzes.analysis import SORTS, sort_key
from app.quizzes.forms import (
    QuizAnswerForm,
    QuizImportConfirmForm,
    QuizImportForm,
    form_values,
    read_responses,
    unanswered,
)
from app.quizzes.models import QuizAttempt
from app.quizzes.pool import Pool, PoolQuestion, attempt_questions, get_pool
from app.quizzes.services import attempts, files, results
from app.quizzes.services.analysis import item_analysis, list_essays
from app.security import requested_page

bp = Blueprint("quizzes", __name__)

IMPORT_TOKEN_AGE = 3600  # seconds between the preview and the confirmation


def _module(slug: str) -> ModuleView:
    return module_or_404(get_catalogue(current_locale()), slug)


def _module_by_id(module_id: int) -> ModuleView:
    return get_catalogue(current_locale()).module_by_id(module_id) or abort(404)


def _pool(module: ModuleView) -> Pool:
    return get_pool(module.id, current_locale()) or abort(404)


def _pools(module_id: int) -> list[Pool]:
    """The quiz in the learner's language first, then in the others (for grading)."""
    locale = current_locale()
    languages = [locale, *(lang for lang in LANGUAGES if lang != locale)]
    return [pool for lang in languages if (pool := get_pool(module_id, lang))]


def _can_review() -> bool:
    return current_user.role in ("trainer", "admin")


@bp.get("/modules/<slug>/quiz")
@login_required
def take(slug):
    """Start the learner's next attempt, or resume the unfinished one."""
    module = _module(slug)
    pool = _pool(module)
    attempt = attempts.unfinished_attempt(current_user.id, module.id)
    if attempt is None:
        try:
            attempt = attempts.start_or_resume(current_user.id, pool)
        except attempts.NoQuiz:
            abort(404)
        except attempts.AttemptsExhausted as error:
            flash(str(error.message), "warning")
            return redirect(url_for("learn.module", slug=slug))
        db.session.commit()
    questions = attempt_questions(attempt.layout, [pool])[0]
    values = form_values(attempt.layout, attempt.responses, questions)
    left = []
    if "review" in request.args:  # submitted with questions unanswered (see answer)
        left = unanswered(attempt.layout, attempt.responses, questions)
    return _take_page(module, pool, attempt, questions, values, {}, left=left)


@dataclass(frozen=True)
class Shown:
    """A question of an attempt as the page shows it (see app.quizzes.kinds.Entry)."""

    question: PoolQuestion
    order: tuple[int, ...]
    choices: tuple[int, ...]
    number: int
    #: whether the learner has an answer or an error here; a question without either is
    #: the same for every attempt laid out alike, and its inputs a shared fragment
    personal: bool


def _take_page(module, pool, attempt, questions, values, errors, status=200, left=()):
    """The quiz page; ``left`` are the ids of the questions the review step lists as
    unanswered."""
    shown, number = [], 0
    for entry in attempt.layout:
        question = questions.get(entry["id"])
        if question is None:
            continue
        number += question.scored
        name = question.field_name
        personal = question.id in errors or any(
            key == name or key.startswith(name + "-") for key in values
        )
        order, choices = tuple(entry["order"]), tuple(entry["choices"])
        shown.append(Shown(question, order, choices, number, personal))
    # Runs of questions: each run of questions nobody answered yet is one shared fragment.
    runs = [(personal, tuple(items)) for personal, items in groupby(shown, attrgetter("personal"))]
    return (
        render_template(
            "quizzes/take.html",
            module=module,
            pool=pool,
            attempt=attempt,
            runs=runs,
            total=number,
            values=values,
            errors=errors,
            unanswered=[item for item in shown if item.question.id in left],
        ),
        status,
    )


@bp.post("/attempts/<int:attempt_id>")
@login_required
def answer(attempt_id):
    """Save the answers, or submit them for grading (once)."""
    attempt = db.get_or_404(QuizAttempt, attempt_id)
    if attempt.user_id != current_user.id:
        abort(403)
    module = _module_by_id(attempt.module_id)
    if attempt.submitted:
        flash(str(attempts.AlreadySubmitted.message), "info")
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    form = QuizAnswerForm()
    if not form.validate_on_submit():
        abort(400)
    pools = _pools(attempt.module_id)
    questions = attempt_questions(attempt.layout, pools[:1])[0]
    responses, errors = read_responses(request.form, attempt.layout, questions)
    if errors:
        flash(_("Some answers need your attention; nothing was saved."), "error")
        values = request.form.to_dict(flat=False)
        return _take_page(module, pools[0], attempt, questions, values, errors, 400)
    left = unanswered(attempt.layout, responses, questions)
    if form.submit_anyway.data or (form.submit.data and not left):
        if attempts.submit_attempt(attempt, responses, pools):
            db.session.commit()
        else:
            flash(str(attempts.AlreadySubmitted.message), "info")
        return redirect(url_for("quizzes.result", attempt_id=attempt_id))
    try:
        attempts.save_responses(attempt, responses)
    except attempts.AlreadySubmitted as error:
        flash(str(error.message), "info")
        return redirect(url_for("quizzes.result", attempt_id=attempt_id))
    db.session.commit()
    if form.submit.data:
        # Questions left unanswered: nothing is graded yet, and the page lists them.
        return redirect(url_for("quizzes.take", slug=module.slug, review=1))
    if request.form.get("save") == "answer" and left:
        # "Go back to answer" on the review step: to the first question left.
        return redirect(url_for("quizzes.take", slug=module.slug, _anchor=f"question-{left[0]}"))
    flash(_("Your answers are saved. You can come back to them later."), "success")
    return redirect(url_for("quizzes.take", slug=module.slug))


@bp.get("/attempts/<int:attempt_id>")
@login_required
def result(attempt_id):
    """A submitted attempt: for its learner, and for trainers and administrators."""
    attempt = db.get_or_404(QuizAttempt, attempt_id)
    own = attempt.user_id == current_user.id
    if not own and not _can_review():
        abort(403)
    module = _module_by_id(attempt.module_id)
    if not attempt.submitted:
        if own:
            return redirect(url_for("quizzes.take", slug=module.slug))
        abort(404)
    pool = _pool(module)
    items = results.review(attempt, pool)
    lessons = {lesson.slug: lesson for lesson in module.lessons}
    review_lessons = [lessons.get(slug) for slug in results.lessons_to_review(items)]
    summary = results.get_summary(attempt.user_id, module.id) if own else None
    left = results.attempts_left(pool, summary.used) if summary else None
    return render_template(
        "quizzes/result.html",
        module=module,
        pool=pool,
        attempt=attempt,
        items=items,
        review_lessons=review_lessons,
        own=own,
        summary=summary,
        left=left,
        reveal=summary is None or results.answers_shown(pool, summary.passed, left),
    )


# --- trainers -------------------------------------------------------------------------


@bp.get("/modules/<slug>/quiz/manage")
@trainer_required
def manage(slug):
    module = _module(slug)
    pool = _pool(module)
    return render_template("quizzes/manage.html", module=module, pool=pool)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="quiz-import")


@bp.route("/modules/<slug>/quiz/import", methods=["GET", "POST"])
@trainer_required
def import_quiz(slug):
    """Upload both files, then see what would change before confirming."""
    module = _module(slug)
    form = QuizImportForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("quizzes/import.html", module=module, form=form), status
    texts = {"vi": form.vi.text, "en": form.en.text}
    lessons = {lesson.slug for lesson in module.lessons}
    keep_going = form.keep_going.data
    preview = files.preview_import(module.id, texts, lessons, keep_going)
    problems = [(p.lang, p.line, p.translated(_)) for p in preview.problems]
    if not preview.importable:
        return (
            render_template("quizzes/import.html", module=module, form=form, problems=problems),
            400,
        )
    confirm = QuizImportConfirmForm()
    confirm.token.data = _serializer().dumps(
        {"module": module.id, "texts": texts, "state": preview.state, "keep_going": keep_going}
    )
    return render_template(
        "quizzes/preview.html",
        module=module,
        preview=preview,
        problems=problems,
        confirm=confirm,
        new_questions={e.title: e.questions[current_locale()] for e in preview.entries},
        pool=_pool(module),
    )


@bp.post("/modules/<slug>/quiz/import/confirm")
@trainer_required
def confirm_import(slug):
    module = _module(slug)
    form = QuizImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        data = _serializer().loads(form.token.data, max_age=IMPORT_TOKEN_AGE)
    except BadSignature:
        data = None
    if not isinstance(data, dict) or data.get("module") != module.id:
        flash(_("The preview has expired. Upload the files again."), "error")
        return redirect(url_for("quizzes.import_quiz", slug=slug))
    lessons = {lesson.slug for lesson in module.lessons}
    try:
        changes = files.confirm_import(
            module.id, data["texts"], lessons, data["state"], bool(data.get("keep_going")),
            current_user.id,
        )  # fmt: skip
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("quizzes.import_quiz", slug=slug))
    db.session.commit()
    flash(
        _(
            "Quiz imported: %(added)s added, %(changed)s changed, %(removed)s removed.",
            added=len(changes.added),
            changed=len(changes.changed),
            removed=len(changes.removed),
        ),
        "success",
    )
    return redirect(url_for("quizzes.manage", slug=slug))


@bp.get("/modules/<slug>/quiz/<any(vi, en):lang>.gift")
@trainer_required
def export(slug, lang):
    module = _module(slug)
    text = files.quiz_texts(module.id).get(lang)
    if text is None:
        abort(404)
    filename = f"{module.position:02d}-{module.slug}.{lang}.gift"
    return Response(
        text,
        mimetype="text/plain",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/modules/<slug>/quiz/analysis")
@trainer_required
def analysis(slug):
    """Item analysis over each learner's first attempt, a page of questions at a time."""
    module = _module(slug)
    pool = _pool(module)
    first_attempts, reports = item_analysis(pool)
    sort = request.args.get("sort", "order")
    if sort not in SORTS:
        sort = "order"
    ranked = sorted(enumerate(reports), key=lambda pair: sort_key(pair[1].stats, sort, pair[0]))
    reports = [report for _, report in ranked]
    per_page = current_app.config["PER_PAGE"]
    page = requested_page()
    pages = max(1, -(-len(reports) // per_page))
    if not 1 <= page <= pages:
        abort(404)
    return render_template(
        "quizzes/analysis.html",
        module=module,
        pool=pool,
        attempts=first_attempts,
        summary=[(report, 1 + index // per_page) for index, report in enumerate(reports)],
        reports=reports[(page - 1) * per_page : page * per_page],
        page=page,
        pages=pages,
        sort=sort,
        flagged=sum(bool(r.stats.flags) for r in reports),
    )


@bp.get("/modules/<slug>/quiz/essays")
@trainer_required
def essays(slug):
    module = _module(slug)
    pool = _pool(module)
    page = db.paginate(
        list_essays(module.id), page=requested_page(), per_page=current_app.config["PER_PAGE"]
    )
    return render_template("quizzes/essays.html", module=module, pool=pool, page=page)
