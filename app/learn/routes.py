from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.i18n import current_locale
from app.learn import services
from app.learn.forms import LessonCompleteForm

bp = Blueprint("learn", __name__)


def _load(slug: str, lesson_slug: str | None = None):
    module = services.get_module(slug) or abort(404)
    if lesson_slug is None:
        return module, None
    lesson = services.get_lesson(module, lesson_slug) or abort(404)
    return module, lesson


@bp.get("/ping")
def ping():
    """A trivial route: the baseline of the benchmark and a health check."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/")
def home():
    modules = services.list_catalogue()
    user = current_user if current_user.is_authenticated else None
    progress = services.progress_by_module(user)
    return render_template(
        "learn/home.html",
        tracks=services.group_by_track(modules),
        progress=progress,
        overall=services.overall_progress(progress) if user else None,
        continue_lesson=services.next_lesson_for(user) if user else None,
        locale=current_locale(),
    )


@bp.get("/modules/<slug>")
def module(slug):
    module, _lesson = _load(slug)
    user = current_user if current_user.is_authenticated else None
    completed = services.completed_lesson_ids(user, module) if user else set()
    return render_template(
        "learn/module.html",
        module=module,
        lessons=services.list_lesson_outline(module),
        completed=completed,
        progress=services.progress_by_module(user).get(module.id, services.Progress(0, 0)),
        locale=current_locale(),
    )


@bp.get("/modules/<slug>/<lesson_slug>")
@login_required
def lesson(slug, lesson_slug):
    module, lesson = _load(slug, lesson_slug)
    progress = services.open_lesson(current_user, lesson)
    db.session.commit()
    outline = services.list_lesson_outline(module)
    index = [item.id for item in outline].index(lesson.id)
    completed = services.completed_lesson_ids(current_user, module)
    return render_template(
        "learn/lesson.html",
        module=module,
        lesson=lesson,
        outline=outline,
        number=index + 1,
        previous=outline[index - 1] if index > 0 else None,
        next=outline[index + 1] if index + 1 < len(outline) else None,
        completed=completed,
        is_complete=progress.completed_at is not None,
        module_progress=services.Progress(len(completed), len(outline)),
        form=LessonCompleteForm(),
        locale=current_locale(),
    )


@bp.post("/modules/<slug>/<lesson_slug>/complete")
@login_required
def complete(slug, lesson_slug):
    module, lesson = _load(slug, lesson_slug)
    if not LessonCompleteForm().validate_on_submit():
        abort(400)
    services.complete_lesson(current_user, lesson)
    db.session.commit()
    flash(_("Lesson completed."), "success")
    return redirect(url_for("learn.lesson", slug=slug, lesson_slug=lesson_slug))


@bp.get("/progress")
@login_required
def progress():
    modules = services.list_catalogue()
    by_module = services.progress_by_module(current_user)
    return render_template(
        "learn/progress.html",
        tracks=services.group_by_track(modules),
        progress=by_module,
        overall=services.overall_progress(by_module),
        continue_lesson=services.next_lesson_for(current_user),
        locale=current_locale(),
    )
