"""The maturity assessment: the questionnaire (open to visitors), a person's results,
and the company's combined view for its managers."""

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, user_logged_in

from app.assessment import explain, recommend, scoring, services
from app.assessment.forms import UNKNOWN, field_name, page_form
from app.assessment.models import Assessment
from app.auth.models import Company
from app.auth.routes import KEPT_ON_LOGIN
from app.cache import cached
from app.content.catalogue import get_catalogue
from app.extensions import db
from app.forms import BaseForm
from app.i18n import current_locale
from app.learn import services as learn_services
from app.transactions import committed

bp = Blueprint("assessment", __name__, url_prefix="/assessment")
bp.add_app_template_global(field_name)

#: a visitor's answers live in the signed session cookie until they log in or register
VISITOR_ANSWERS = KEPT_ON_LOGIN + "answers"


def _instrument():
    return services.get_instrument() or abort(404)


def _saved_answers() -> dict:
    """The answers so far: the draft, or for a re-take the last submitted answers."""
    if current_user.is_authenticated:
        draft = services.get_draft(current_user) or services.latest(current_user)
        return dict(draft.answers) if draft else {}
    return dict(session.get(VISITOR_ANSWERS, {}))


@user_logged_in.connect
def _adopt_visitor_answers(app, user, **extra):
    """Answers given before logging in become the person's draft (the view commits)."""
    answers = session.pop(VISITOR_ANSWERS, None)
    instrument = services.get_instrument()
    if answers and instrument is not None:
        services.save_answers(user, services.clean_answers(instrument, answers))


def _completed_modules(catalogue) -> set[str]:
    progress = learn_services.list_progress(current_user)
    statuses = learn_services.module_statuses(current_user, catalogue, progress)
    return learn_services.completed_modules(catalogue, statuses)


@bp.get("/")
def start():
    instrument = _instrument()
    pages = services.pages(instrument)
    saved = _saved_answers()
    history = services.list_history(current_user) if current_user.is_authenticated else []
    return render_template(
        "assessment/start.html",
        instrument=instrument,
        first_page=pages[0].id,
        page_count=len(pages),
        answered=len(saved),
        history=history,
    )


@bp.route("/page/<page>", methods=["GET", "POST"])
def page(page):
    instrument = _instrument()
    pages = services.pages(instrument)
    index = next((n for n, shown in enumerate(pages) if shown.id == page), None)
    if index is None:
        abort(404)
    locale = current_locale()
    questions = services.questions_on(instrument, pages[index])
    form = page_form(instrument, questions, locale, _saved_answers())
    if request.method == "POST":
        if not form.validate_on_submit():
            return _render_page(instrument, form, pages, index, questions), 400
        answers = form.answers()
        if current_user.is_authenticated:
            user = current_user._get_current_object()
            committed(lambda: services.save_answers(user, answers))
        else:
            session[VISITOR_ANSWERS] = {**session.get(VISITOR_ANSWERS, {}), **answers}
        if request.form.get("action") == "back" and index > 0:
            return redirect(url_for("assessment.page", page=pages[index - 1].id))
        if index + 1 < len(pages):
            return redirect(url_for("assessment.page", page=pages[index + 1].id))
        return redirect(url_for("assessment.review"))
    return _render_page(instrument, form, pages, index, questions)


def _page_title(instrument, page, locale: str) -> str:
    """The dimension's name, and which part of it a page is when it has several."""
    name = next(d for d in instrument.dimensions if d.id == page.dimension).labels[locale]
    return f"{name} ({page.part}/{page.parts})" if page.parts > 1 else name


def _render_page(instrument, form, pages, index, questions):
    return render_template(
        "assessment/page.html",
        form=form,
        questions=questions,
        title=_page_title(instrument, pages[index], current_locale()),
        pages=pages,
        index=index,
        locale=current_locale(),
        unknown=UNKNOWN,
    )


@bp.get("/review")
def review():
    instrument = _instrument()
    saved = services.clean_answers(instrument, _saved_answers())
    pages = services.pages(instrument)
    locale = current_locale()
    summary = []
    for page in pages:
        known = sum(saved.get(question_id) is not None for question_id in page.question_ids)
        title = _page_title(instrument, page, locale)
        summary.append((page.id, title, known, len(page.question_ids)))
    return render_template(
        "assessment/review.html", summary=summary, form=BaseForm(), last_page=pages[-1].id
    )


@bp.post("/submit")
@login_required
def submit():
    _instrument()  # 404 without one
    if not BaseForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    snapshot = committed(lambda: services.submit(user))
    return redirect(url_for("assessment.result", assessment_id=snapshot.id))


@bp.get("/results/<int:assessment_id>")
@login_required
def result(assessment_id):
    instrument = _instrument()
    snapshot = db.get_or_404(Assessment, assessment_id)
    if snapshot.submitted_at is None:
        abort(404)
    if snapshot.user_id != current_user.id and current_user.role != "admin":
        abort(403)
    locale = current_locale()
    catalogue = get_catalogue(locale)
    outcome = services.result_of(snapshot)
    own = snapshot.user_id == current_user.id
    completed = _completed_modules(catalogue) if own else set()
    previous = services.previous_of(snapshot)
    changes = scoring.compare(services.result_of(previous), outcome) if previous else None
    moved = None
    if previous is not None:
        studied = learn_services.completed_between(
            snapshot.user_id, previous.submitted_at, snapshot.submitted_at
        )
        moved = _moved_rows(instrument, previous.answers, snapshot.answers, studied, catalogue)
    company_result = (
        services.get_company_result(snapshot.company_id) if snapshot.company_id else None
    )
    return render_template(
        "assessment/result.html",
        instrument=instrument,
        snapshot=snapshot,
        current=services.is_current(snapshot),
        previous=previous,
        view=cached(
            (
                "result-view",
                snapshot.id,
                snapshot.submitted_at,
                previous and previous.id,
                frozenset(completed),
                locale,
            ),
            lambda: _result_view(
                instrument, outcome, snapshot.answers, completed, catalogue, changes
            ),
        ),  # fmt: skip
        changes=changes,
        moved=moved,
        company_result=company_result,
        locale=locale,
    )


def _rows(instrument, result, locale: str) -> dict:
    """The ladder and the dimensions of a result as plain rows (templates/assessment/
    _charts.html), which a shared fragment can be kept under."""
    return {
        "rungs": tuple(
            (
                step.number,
                step.texts[locale].name,
                step.texts[locale].meaning,
                result.step(step.number).met,
            )
            for step in reversed(instrument.steps)
        ),  # fmt: skip
        "dimensions": tuple(
            (d.labels[locale], result.dimensions.get(d.id, 0)) for d in instrument.dimensions
        ),
    }


def _answer_text(instrument, question, raw, locale: str) -> str:
    labels = explain.answer_labels(instrument, question, raw, locale)
    return ", ".join(labels) if labels else _("nothing ticked")


def _why_row(instrument, result, answers, locale: str) -> tuple | None:
    """Why the result is at its step (app.assessment.explain.why_here) as plain values:
    (placement, the next step, its unmet gates as (question, answer given) pairs, the
    mean of its other questions in percent when that is short too, the percent needed);
    None at the top."""
    why = explain.why_here(instrument, result)
    if why is None:
        return None
    gates = tuple(
        (
            instrument.question(gate).text(locale).text,
            _answer_text(instrument, instrument.question(gate), answers.get(gate), locale),
        )
        for gate in why.gates
    )
    short = round(why.mean * 100) if why.mean_short and why.mean is not None else None
    return (why.placement, why.step, gates, short, round(why.needed * 100))


def _moved_rows(instrument, before, after, studied, catalogue) -> tuple:
    """The answers that moved between two assessments (app.assessment.explain), as
    (question, before, after, direction, modules completed in between that teach it as
    (slug, title) pairs)."""
    locale = catalogue.locale
    rows = []
    for move in explain.moved_answers(instrument, before or {}, after or {}, studied):
        question = instrument.question(move.question_id)
        rows.append(
            (
                question.text(locale).text,
                _answer_text(instrument, question, move.before, locale),
                _answer_text(instrument, question, move.after, locale),
                move.direction,
                tuple(
                    (slug, catalogue.by_slug[slug].title)
                    for slug in move.taught_by
                    if slug in catalogue.by_slug
                ),
            )
        )
    return tuple(rows)


def _result_view(instrument, result, answers, completed, catalogue, changes) -> dict:
    """Everything the body of a result page shows (templates/assessment/_result.html)."""
    locale = catalogue.locale
    order = [module.slug for module in catalogue.modules]

    def title(slug: str) -> str:
        module = catalogue.by_slug.get(slug)
        return module.title if module else slug

    minutes = {module.slug: module.minutes for module in catalogue.modules}

    placed = instrument.steps[result.placement - 1].texts[locale] if result.placement else None
    level = instrument.crm_levels[result.crm_level - 1].texts[locale]
    return {
        **_rows(instrument, result, locale),
        "placement": result.placement,
        "placed": (placed.name, placed.meaning) if placed else None,
        "why": _why_row(instrument, result, answers or {}, locale),
        "islands": result.islands,
        "unknown": len(result.unknown),
        "deltas": tuple(changes.dimensions.get(d.id, 0) for d in instrument.dimensions)
        if changes
        else None,
        "crm": (result.crm_level, level.name, level.meaning),
        "next_modules": tuple(
            (
                item.module,
                title(item.module),
                tuple(
                    (reason, recommend.gap_words(instrument, reason, locale, _))
                    for reason in item.reasons[:3]
                ),
                item.minutes,
            )
            for item in recommend.recommend(
                instrument, result, completed, order, minutes=minutes
            )  # fmt: skip
        ),
        "what_if": tuple(
            (
                fix.module,
                title(fix.module),
                fix.closes_all,
                tuple(instrument.question(gate).text(locale).text for gate in fix.gates),
            )
            for fix in recommend.what_if(instrument, result, order)
        ),
    }


@bp.get("/company", defaults={"company_id": None})
@bp.get("/company/<int:company_id>")
@login_required
def company(company_id):
    instrument = _instrument()
    if not (current_user.is_company_manager or current_user.role == "admin"):
        abort(403)
    company = db.get_or_404(Company, company_id or current_user.company_id or 0)
    if current_user.role != "admin" and current_user.company_id != company.id:
        abort(403)
    locale = current_locale()
    view = services.company_view(company, instrument)
    return render_template(
        "assessment/company.html",
        instrument=instrument,
        company=company,
        view=view,
        view_rows=_rows(instrument, view.result, locale) if view else None,
        why=_why_row(instrument, view.result, view.answers, locale) if view else None,
        peers=services.peers(company),
        company_result=services.get_company_result(company.id),
        locale=locale,
    )
