from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.assessment import services as assessment_services
from app.content.catalogue import get_catalogue
from app.extensions import db
from app.i18n import current_locale
from app.learn import services
from app.learn.forms import LessonCompleteForm
from app.quizzes import services as quiz_services
from app.quizzes.pool import get_pool, quiz_sizes

bp = Blueprint("learn", __name__)


def _progress():
    if not current_user.is_authenticated:
        return {}
    return services.list_progress(current_user)


@bp.get("/ping")
def ping():
    """A trivial route: the baseline of the benchmark and a health check."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


def _quiz_statuses(catalogue, by_module) -> dict:
    """Each module's quiz result and completion, by module id, for a signed-in learner."""
    if not current_user.is_authenticated:
        return {}
    done = {module_id: p.complete for module_id, p in by_module.items()}
    return quiz_services.module_statuses(current_user.id, done, quiz_sizes(catalogue))


def _recommended(catalogue, progress) -> dict:
    """The learner's recommended modules from their latest assessment, by slug, in order."""
    instrument = assessment_services.get_instrument()
    if not current_user.is_authenticated or instrument is None:
        return {}
    completed = services.completed_module_slugs(catalogue, progress, current_user.id)
    found = assessment_services.recommendations_for(
        current_user, instrument, completed, catalogue.locale
    )
    return {item.module: item for item in found if item.module in catalogue.by_slug}


@bp.get("/")
def home():
    catalogue = get_catalogue(current_locale())
    progress = _progress()
    by_module = services.progress_by_module(catalogue, services.completed_ids(progress))
    recommended = _recommended(catalogue, progress)
    return render_template(
        "learn/home.html",
        tracks=services.group_by_track(catalogue.modules),
        recommended=recommended,
        recommended_modules=[catalogue.by_slug[slug] for slug in recommended],
        progress=by_module,
        quiz_status=_quiz_statuses(catalogue, by_module),
        overall=services.overall_progress(by_module),
        continue_lesson=services.next_lesson_for(progress, catalogue.lessons),
    )


@bp.get("/modules/<slug>")
def module(slug):
    catalogue = get_catalogue(current_locale())
    module = catalogue.by_slug.get(slug) or abort(404)
    completed = services.completed_ids(_progress())
    pool = get_pool(catalogue, module.id)
    has_quiz = bool(pool and pool.size)
    return render_template(
        "learn/module.html",
        module=module,
        prerequisites=[catalogue.by_slug[s] for s in module.prerequisites],
        completed=completed,
        progress=services.module_progress(module, completed),
        quiz_pool=pool if has_quiz else None,
        quiz_summary=quiz_services.get_summary(current_user.id, module.id)
        if has_quiz and current_user.is_authenticated
        else None,
    )


@bp.get("/modules/<slug>/<lesson_slug>")
@login_required
def lesson(slug, lesson_slug):
    catalogue = get_catalogue(current_locale())
    module = catalogue.by_slug.get(slug) or abort(404)
    index = module.lesson_index(lesson_slug)
    if index is None:
        abort(404)
    lesson = module.lessons[index]
    progress = services.list_progress(current_user)
    if lesson.id not in progress:
        progress[lesson.id] = services.open_lesson(current_user, lesson.id)
        db.session.commit()
    completed = services.completed_ids(progress)
    return render_template(
        "learn/lesson.html",
        module=module,
        lesson=lesson,
        body=catalogue.body(lesson),
        number=index + 1,
        previous=module.lessons[index - 1] if index > 0 else None,
        next=module.lessons[index + 1] if index + 1 < len(module.lessons) else None,
        is_complete=lesson.id in completed,
        module_progress=services.module_progress(module, completed),
        has_quiz=bool(quiz_sizes(catalogue).get(module.id)),
    )


@bp.post("/modules/<slug>/<lesson_slug>/complete")
@login_required
def complete(slug, lesson_slug):
    module = get_catalogue(current_locale()).by_slug.get(slug) or abort(404)
    index = module.lesson_index(lesson_slug)
    if index is None:
        abort(404)
    if not LessonCompleteForm().validate_on_submit():
        abort(400)
    services.complete_lesson(current_user, module.lessons[index].id)
    db.session.commit()
    flash(_("Lesson completed."), "success")
    return redirect(url_for("learn.lesson", slug=slug, lesson_slug=lesson_slug))


@bp.get("/progress")
@login_required
def progress():
    catalogue = get_catalogue(current_locale())
    progress = services.list_progress(current_user)
    by_module = services.progress_by_module(catalogue, services.completed_ids(progress))
    return render_template(
        "learn/progress.html",
        tracks=services.group_by_track(catalogue.modules),
        progress=by_module,
        quiz_status=_quiz_statuses(catalogue, by_module),
        overall=services.overall_progress(by_module),
        continue_lesson=services.next_lesson_for(progress, catalogue.lessons),
    )


@bp.get("/glossary")
def glossary():
    """Every term in the learner's language; filter by words and by module (no JS)."""
    catalogue = get_catalogue(current_locale())
    query = request.args.get("q", "").strip()[:100]
    module = catalogue.by_slug.get(request.args.get("module", ""))
    entries = services.filter_glossary(catalogue.glossary, query, module.slug if module else None)
    return render_template(
        "learn/glossary.html",
        entries=entries,
        query=query,
        module=module,
        modules=catalogue.modules,
        titles={m.slug: m.title for m in catalogue.modules},
    )
