"""The learner's reading: a module's page, its lessons, the learner's progress and the
glossary."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.content.catalogue import get_catalogue, lesson_body, module_or_404
from app.extensions import db, login_manager
from app.i18n import current_locale
from app.learn import services
from app.learn.forms import LessonCompleteForm
from app.quizzes.pool import get_pool, quiz_sizes
from app.quizzes.services.results import get_summary

bp = Blueprint("learn", __name__)


@bp.get("/modules/<slug>")
def module(slug):
    catalogue = get_catalogue(current_locale())
    module = module_or_404(catalogue, slug)
    signed_in = current_user.is_authenticated
    completed = services.completed_ids(services.list_progress(current_user)) if signed_in else set()
    pool = get_pool(module.id, catalogue.locale)
    has_quiz = bool(pool and pool.size)
    quiz_summary = get_summary(current_user.id, module.id) if has_quiz and signed_in else None
    progress = services.module_progress(module, completed) if signed_in else None
    done = (
        progress is not None
        and progress.complete
        and (not has_quiz or (quiz_summary is not None and quiz_summary.passed))
    )
    return render_template(
        "learn/module.html",
        module=module,
        prerequisites=tuple(catalogue.by_slug[s] for s in module.prerequisites),
        completed=tuple(sorted(lesson.id for lesson in module.lessons if lesson.id in completed)),
        progress=progress,
        rules=pool.rules if has_quiz else None,
        quiz_summary=quiz_summary,
        moment=services.completion_moment(current_user, module) if done else None,
    )


@bp.get("/modules/<slug>/<lesson_slug>")
def lesson(slug, lesson_slug):
    """A lesson; the first of each module is open to visitors, to read before signing up."""
    catalogue = get_catalogue(current_locale())
    module = module_or_404(catalogue, slug)
    index = module.lesson_index(lesson_slug)
    if index is None:
        abort(404)
    lesson = module.lessons[index]
    following = module.lessons[index + 1] if index + 1 < len(module.lessons) else None
    if not current_user.is_authenticated:
        if index > 0:
            return login_manager.unauthorized()
        return render_template(
            "learn/lesson.html", module=module, lesson=lesson, visitor=True,
            body=lesson_body(catalogue, lesson), number=1, previous=None, next=following,
        )  # fmt: skip
    progress = services.list_progress(current_user)
    if lesson.id not in progress:
        services.open_lesson(current_user, lesson.id)
        db.session.commit()
    completed = services.completed_ids(progress)
    return render_template(
        "learn/lesson.html",
        module=module,
        lesson=lesson,
        body=lesson_body(catalogue, lesson),
        number=index + 1,
        previous=module.lessons[index - 1] if index > 0 else None,
        next=following,
        is_complete=lesson.id in completed,
        module_progress=services.module_progress(module, completed),
        has_quiz=bool(quiz_sizes().get(module.id)),
    )


@bp.post("/modules/<slug>/<lesson_slug>/complete")
@login_required
def complete(slug, lesson_slug):
    module = module_or_404(get_catalogue(current_locale()), slug)
    index = module.lesson_index(lesson_slug)
    if index is None:
        abort(404)
    form = LessonCompleteForm()
    if not form.validate_on_submit():
        abort(400)
    services.complete_lesson(current_user, module.lessons[index].id)
    db.session.commit()
    flash(_("Lesson completed."), "success")
    if form.then.data != "next":  # back to where the reader was: the end of the lesson
        url = url_for("learn.lesson", slug=slug, lesson_slug=lesson_slug, _anchor="lesson-status")
    elif index + 1 < len(module.lessons):
        url = url_for("learn.lesson", slug=slug, lesson_slug=module.lessons[index + 1].slug)
    elif quiz_sizes().get(module.id):
        url = url_for("quizzes.take", slug=slug)
    else:
        url = url_for("learn.module", slug=slug)
    return redirect(url)


@bp.get("/progress")
@login_required
def progress():
    catalogue = get_catalogue(current_locale())
    progress = services.list_progress(current_user)
    statuses = services.module_statuses(current_user, catalogue, progress)
    return render_template(
        "learn/progress.html",
        tracks=tuple(
            (track, tuple((module, statuses[module.id]) for module in modules))
            for track, modules in services.group_by_track(catalogue.modules)
        ),
        overall=services.overall_progress(statuses),
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
        entries=tuple(entries),
        query=query,
        module=module,
        modules=catalogue.modules,
    )
