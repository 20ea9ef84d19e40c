"""The learner's home page: where to continue, the modules the assessment recommends and
why, and the catalogue with the learner's progress; and the trivial route."""

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, StringField
from wtforms.validators import DataRequired

from app.access import trainer_required
from app.assessment import recommend
from app.assessment import services as assessment_services
from app.content.catalogue import ModuleView, get_catalogue
from app.forms import BaseForm
from app.i18n import current_locale
from app.learn import services as learn_services
from app.learn.services import completion_asked

bp = Blueprint("home", __name__)

#: the icons of static/icons.svg
ICONS = (
    "search", "book-open", "circle-check", "clock", "users", "chart-column", "award",
    "arrow-right", "info", "triangle-alert", "target", "layers",
)  # fmt: skip


@bp.get("/ping")
def ping():
    """A trivial route: the baseline of the benchmark and a health check."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/")
def index():
    catalogue = get_catalogue(current_locale())
    statuses, recommendations, continue_lesson, progress = {}, [], None, {}
    instrument = assessment_services.get_instrument()
    if current_user.is_authenticated:
        progress = learn_services.list_progress(current_user)
        statuses = learn_services.module_statuses(current_user, catalogue, progress)
        continue_lesson = learn_services.next_lesson_for(progress, catalogue.lessons)
        if instrument is not None:
            completed = learn_services.completed_modules(catalogue, statuses)
            order = [module.slug for module in catalogue.modules]
            recommendations = assessment_services.recommendations_for(
                current_user, instrument, completed, order
            )
    reasons = {r.module: r.reasons[0] for r in recommendations if r.module in catalogue.by_slug}

    def card(module):
        """What a module's card shows: hashable, since the card is a shared fragment."""
        reason = reasons.get(module.slug)
        gap = recommend.gap_words(instrument, reason, catalogue.locale, _) if reason else None
        return module, statuses.get(module.id), reason, gap

    continue_card = start_card = None
    if continue_lesson is not None:
        module = catalogue.by_slug[continue_lesson.module_slug]
        continue_card = (continue_lesson, module, statuses[module.id].progress)
    elif current_user.is_authenticated and catalogue.modules and not progress:
        # nothing read yet: the first lesson of the first recommended module, or the course's
        first = catalogue.by_slug[next(iter(reasons))] if reasons else catalogue.modules[0]
        start_card = (first.lessons[0], first)
    return render_template(
        "home/index.html",
        recommended=tuple(card(catalogue.by_slug[slug]) for slug in reasons),
        tracks=tuple(
            (track, tuple(card(module) for module in modules))
            for track, modules in learn_services.group_by_track(catalogue.modules)
        ),
        overall=learn_services.overall_progress(statuses),
        continue_card=continue_card,
        start_card=start_card,
    )


@completion_asked.connect
def _next_module(app, user, module: ModuleView) -> dict:
    """The module to study after completing ``module``: the first that the learner's
    assessment recommends, or else the next in the course's order, not yet completed."""
    catalogue = get_catalogue(current_locale())
    statuses = learn_services.module_statuses(user, catalogue, learn_services.list_progress(user))
    completed = learn_services.completed_modules(catalogue, statuses) | {module.slug}
    instrument = assessment_services.get_instrument()
    order = [other.slug for other in catalogue.modules]
    if instrument is not None:
        for recommendation in assessment_services.recommendations_for(
            user, instrument, completed, order
        ):
            if (
                recommendation.module in catalogue.by_slug
                and recommendation.module not in completed
            ):
                return {"next_module": catalogue.by_slug[recommendation.module]}
    start = order.index(module.slug) + 1 if module.slug in order else 0
    for other in catalogue.modules[start:] + catalogue.modules[:start]:
        if other.slug not in completed:
            return {"next_module": other}
    return {}


class _SampleForm(BaseForm):
    name = StringField(_l("Company name"), validators=[DataRequired()])
    email = EmailField(_l("Email"), description=_l("We write to this address only."))


@bp.get("/styleguide")
@trainer_required
def styleguide():
    """Every component of the design, in the reader's language, with a form showing its
    errors, for those who build pages: trainers and administrators."""
    form = _SampleForm(formdata=None)
    form.name.errors = [_("Enter the company's name.")]
    form.email.errors = [_("Enter an email address such as name@company.vn.")]
    instrument = assessment_services.get_instrument()
    locale = current_locale()
    rungs = tuple(
        (step.number, step.texts[locale].name, step.texts[locale].meaning, step.number <= 3)
        for step in reversed(instrument.steps)
    ) if instrument else ()  # fmt: skip
    return render_template("home/styleguide.html", form=form, rungs=rungs, icons=ICONS)
