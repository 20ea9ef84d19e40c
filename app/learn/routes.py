from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.content.catalogue import get_catalogue
from app.extensions import db
from app.i18n import current_locale
from app.learn import services
from app.learn.forms import LessonCompleteForm

bp = Blueprint("learn", __name__)


def _progress():
    if not current_user.is_authenticated:
        return {}
    return services.list_progress(current_user)


@bp.get("/ping")
def ping():
    """A trivial route: the baseline of the benchmark and a health check."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/")
def home():
    catalogue = get_catalogue(current_locale())
    progress = _progress()
    by_module = services.progress_by_module(catalogue, services.completed_ids(progress))
    return render_template(
        "learn/home.html",
        tracks=services.group_by_track(catalogue.modules),
        progress=by_module,
        overall=services.overall_progress(by_module),
        continue_lesson=services.next_lesson_for(progress, catalogue.lessons),
    )


@bp.get("/modules/<slug>")
def module(slug):
    catalogue = get_catalogue(current_locale())
    module = catalogue.by_slug.get(slug) or abort(404)
    completed = services.completed_ids(_progress())
    return render_template(
        "learn/module.html",
        module=module,
        prerequisites=[catalogue.by_slug[s] for s in module.prerequisites],
        completed=completed,
        progress=services.module_progress(module, completed),
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
        form=LessonCompleteForm(),
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
