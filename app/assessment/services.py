"""The maturity assessment in the database: drafts, submitted snapshots with the result
they were scored with, the company's combined result and its peers. Services flush; the
caller commits."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Select, bindparam, delete, func, insert, or_, select, update

from app.assessment import instrument as instrument_module
from app.assessment import paging, recommend, scoring
from app.assessment.instrument import Instrument
from app.assessment.models import Assessment, AssessmentInstrument, CompanyResult, Recommendation
from app.auth.models import Company, Membership, User
from app.auth.services import member_changed
from app.cache import bump_version, cached
from app.content.catalogue import get_catalogue
from app.content.services import course_changed, module_renamed
from app.db_types import utcnow
from app.extensions import db
from app.languages import DEFAULT_LANGUAGE
from app.text import digest

PEER_MINIMUM = 10


# -- the instrument --------------------------------------------------------------------------


@dataclass(frozen=True)
class CurrentInstrument:
    instrument: Instrument
    digest: str


def _current() -> CurrentInstrument | None:
    def build() -> CurrentInstrument | None:
        row = db.session.execute(
            select(AssessmentInstrument.source, AssessmentInstrument.digest)
        ).first()
        return CurrentInstrument(instrument_module.parse(row.source), row.digest) if row else None

    return cached("assessment-instrument", build)


def get_instrument() -> Instrument | None:
    """The instrument as stored, parsed once per worker and content version."""
    current = _current()
    return current.instrument if current else None


def is_current(snapshot: Assessment) -> bool:
    """Whether the snapshot was scored with the instrument in use now."""
    current = _current()
    return current is not None and snapshot.instrument_digest == current.digest


def import_instrument(source: str) -> bool:
    """Store the instrument's text; True when it changed. The caller checked it first."""
    row = db.session.get(AssessmentInstrument, 1)
    if row is not None and row.source == source:
        return False
    if row is None:
        row = AssessmentInstrument(id=1, source=source)
        db.session.add(row)
    row.source = source
    row.digest = digest(source)
    bump_version()
    db.session.flush()
    recount_recommendations()
    return True


def export_instrument() -> str | None:
    return db.session.scalar(select(AssessmentInstrument.source))


# -- answers -----------------------------------------------------------------------------


def pages(instrument: Instrument) -> list[paging.Page]:
    """The questionnaire's pages: a dimension's questions, eight at most a page."""
    return paging.paginate(instrument)


def questions_on(instrument: Instrument, page: paging.Page) -> list[instrument_module.Question]:
    return [instrument.by_id[question_id] for question_id in page.question_ids]


def clean_answers(instrument: Instrument, answers: dict) -> dict:
    """Only answers that fit their question (anything else is dropped, never scored)."""
    kept = {}
    for question_id, raw in answers.items():
        question = instrument.by_id.get(question_id)
        if question is None:
            continue
        if raw is not None:
            try:
                scoring.score_answer(question, raw)
            except scoring.AnswerError:
                continue
        kept[question_id] = raw
    return kept


def get_draft(user: User, for_update: bool = False) -> Assessment | None:
    """The person's draft; ``for_update`` locks it until the transaction ends, so that
    two pages saved at once both keep their answers."""
    statement = select(Assessment).where(
        Assessment.user_id == user.id, Assessment.submitted_at.is_(None)
    )
    return db.session.scalar(statement.with_for_update() if for_update else statement)


def save_answers(user: User, answers: dict) -> Assessment:
    """Merge ``answers`` into the person's draft, starting one if needed. Run it through
    app.transactions.committed: two first pages saved at once insert two drafts, and the
    second, refused by the one-draft index, runs again and finds the first."""
    draft = get_draft(user, for_update=True)
    if draft is None:
        previous = latest(user)  # a re-take starts from the last answers
        start = dict(previous.answers) if previous else {}
        draft = Assessment(user_id=user.id, company_id=user.company_id, answers=start)
        db.session.add(draft)
    draft.answers = {**(draft.answers or {}), **answers}
    draft.updated_at = utcnow()
    db.session.flush()
    return draft


def submit(user: User) -> Assessment:
    """Turn the draft into a dated snapshot scored with the current instrument (there is
    one: the questionnaire is only shown when there is), and refresh the company's
    combined result. Run it through app.transactions.committed."""
    current = _current()
    instrument = current.instrument
    if user.company_id is not None:
        # One submission of a company at a time: each then counts the ones before it.
        db.session.execute(
            select(Company.id).where(Company.id == user.company_id).with_for_update()
        )
    draft = get_draft(user, for_update=True) or save_answers(user, {})
    answers = clean_answers(instrument, draft.answers or {})
    result = scoring.assess(instrument, answers)
    draft.answers = answers
    draft.company_id = user.company_id
    draft.submitted_at = utcnow()
    draft.result = scoring.result_to_dict(result)
    draft.instrument_digest = current.digest
    draft.placement = result.placement
    draft.crm_level = result.crm_level
    db.session.flush()
    _keep_recommendations(user.id, draft.result, instrument)
    if user.company_id is not None:
        update_company_result(db.session.get(Company, user.company_id), instrument)
    return draft


def list_history(user: User) -> list[Assessment]:
    """The person's submitted snapshots, newest first."""
    return list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.user_id == user.id, Assessment.submitted_at.is_not(None))
            .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
        )
    )


# Built once: the home page runs it on every view.
_LATEST = (
    select(Assessment)
    .where(Assessment.user_id == bindparam("user_id"), Assessment.submitted_at.is_not(None))
    .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
    .limit(1)
)


def latest(user: User) -> Assessment | None:
    """The person's latest submitted snapshot."""
    return db.session.scalar(_LATEST, {"user_id": user.id})


def result_of(snapshot: Assessment) -> scoring.Result:
    """The result the snapshot was scored with."""
    return scoring.result_from_dict(snapshot.result)


def previous_of(snapshot: Assessment) -> Assessment | None:
    return db.session.scalar(
        select(Assessment)
        .where(
            Assessment.user_id == snapshot.user_id,
            Assessment.submitted_at.is_not(None),
            Assessment.submitted_at < snapshot.submitted_at,
        )
        .order_by(Assessment.submitted_at.desc())
        .limit(1)
    )


def recommendations_for(
    user: User, instrument: Instrument, completed: set[str], order: Sequence[str]
) -> tuple[recommend.Recommendation, ...]:
    """The person's top modules from their latest result (none before a submission);
    ``order`` is the course's modules in catalogue order. Kept per worker and content
    version for the snapshot and the modules completed, from which they follow."""
    snapshot = latest(user)
    if snapshot is None:
        return ()
    key = ("recommendations", snapshot.id, snapshot.submitted_at, frozenset(completed), *order)
    return cached(
        key, lambda: tuple(recommend.recommend(instrument, result_of(snapshot), completed, order))
    )


def latest_results() -> Select:
    """(user id, stored result) of each person's latest submitted assessment."""
    newest = (
        select(Assessment.user_id, func.max(Assessment.submitted_at).label("at"))
        .where(Assessment.submitted_at.is_not(None))
        .group_by(Assessment.user_id)
        .subquery()
    )
    return select(Assessment.user_id, Assessment.result).join(
        newest,
        (Assessment.user_id == newest.c.user_id) & (Assessment.submitted_at == newest.c.at),
    )


def _recommendation_rows(results: dict[int, dict | None], instrument: Instrument) -> list[dict]:
    """The Recommendation rows of the people of ``results`` (user id -> their latest
    stored result), as those results recommend now."""
    catalogue = get_catalogue(DEFAULT_LANGUAGE)
    order = [module.slug for module in catalogue.modules]
    ids = {module.slug: module.id for module in catalogue.modules}
    rows = []
    for user_id, result in results.items():
        if result:
            found = recommend.recommend(instrument, scoring.result_from_dict(result), set(), order)
            modules = [ids[item.module] for item in found if item.module in ids]
            rows += [{"user_id": user_id, "module_id": module_id, "rank": rank}
                     for rank, module_id in enumerate(modules, 1)]  # fmt: skip
    return rows


def _keep_recommendations(user_id: int, result: dict, instrument: Instrument) -> None:
    db.session.execute(delete(Recommendation).where(Recommendation.user_id == user_id))
    rows = _recommendation_rows({user_id: result}, instrument)
    if rows:
        db.session.execute(insert(Recommendation), rows)


def recount_recommendations() -> None:
    """Everyone's Recommendation rows counted again: the instrument or the course has
    changed."""
    instrument = get_instrument()
    db.session.execute(delete(Recommendation))
    if instrument is None:
        return
    rows = _recommendation_rows(dict(db.session.execute(latest_results()).all()), instrument)
    if rows:
        db.session.execute(insert(Recommendation), rows)


@course_changed.connect
def _recommend_again(app, module_ids=None) -> None:
    recount_recommendations()


@module_renamed.connect
def _rename_in_instrument(app, old: str, new: str) -> None:
    """The instrument names the module by its new identifier. Nothing it asks or scores
    has changed: assessments scored with it are still current."""
    row = db.session.get(AssessmentInstrument, 1)
    if row is None:
        return
    parsed = instrument_module.parse(row.source)
    renamed = replace(parsed, questions=tuple(
        replace(q, modules=tuple(new if slug == old else slug for slug in q.modules))
        for q in parsed.questions
    ))  # fmt: skip
    if renamed == parsed:
        return
    before = row.digest
    row.source = instrument_module.dump(renamed)
    row.digest = digest(row.source)
    db.session.execute(
        update(Assessment).where(Assessment.instrument_digest == before)
        .values(instrument_digest=row.digest)
    )  # fmt: skip
    bump_version()


# -- the company -------------------------------------------------------------------------


@dataclass(frozen=True)
class CompanyView:
    respondents: int
    answers: dict
    result: scoring.Result
    disagreements: list[scoring.Disagreement]


def latest_answer_sets(company: Company) -> list[dict]:
    """Each staff member's latest submitted answers: of those who are its active members,
    with an active account and a confirmed email, given while in this company or in none
    (waiting for a manager to let them in); answers given while in another company
    describe that one."""
    here = or_(Assessment.company_id == company.id, Assessment.company_id.is_(None))
    newest = (
        select(Assessment.user_id, func.max(Assessment.submitted_at).label("at"))
        .join(User, User.id == Assessment.user_id)
        .join(Membership, Membership.user_id == User.id)
        .where(
            here,
            Assessment.submitted_at.is_not(None),
            Membership.company_id == company.id,
            Membership.state == "active",
            User.active,
            User.email_confirmed_at.is_not(None),
        )
        .group_by(Assessment.user_id)
        .subquery()
    )
    rows = db.session.scalars(
        select(Assessment)
        .join(
            newest,
            (Assessment.user_id == newest.c.user_id) & (Assessment.submitted_at == newest.c.at),
        )
        .where(here)
        .order_by(Assessment.user_id)
    )
    return [row.answers for row in rows]


def company_view(company: Company, instrument: Instrument) -> CompanyView | None:
    sets = [clean_answers(instrument, answers) for answers in latest_answer_sets(company)]
    if not sets:
        return None
    combined, disagreements = scoring.combine(instrument, sets)
    return CompanyView(len(sets), combined, scoring.assess(instrument, combined), disagreements)


def update_company_result(company: Company, instrument: Instrument) -> CompanyResult | None:
    """Count the company again; with nobody left who counts, it has no result."""
    view = company_view(company, instrument)
    row = db.session.get(CompanyResult, company.id)
    if view is None:
        if row is not None:
            db.session.delete(row)
            db.session.flush()
        return None
    if row is None:
        row = CompanyResult(company_id=company.id)
        db.session.add(row)
    row.placement = view.result.placement
    row.crm_level = view.result.crm_level
    row.dimensions = dict(view.result.dimensions)
    row.respondents = view.respondents
    row.updated_at = utcnow()
    db.session.flush()
    return row


@dataclass(frozen=True)
class Peers:
    counts: list[int]  # companies at placement 0..7
    total: int
    shown: bool  # only with PEER_MINIMUM or more companies


def peers(company: Company) -> Peers:
    """How companies of the same sector and size band spread over the steps."""
    rows = db.session.execute(
        select(CompanyResult.placement, func.count())
        .join(Company, Company.id == CompanyResult.company_id)
        .where(Company.sector == company.sector, Company.size_band == company.size_band)
        .group_by(CompanyResult.placement)
    ).all()
    counts = Counter(dict(rows))
    total = sum(counts.values())
    return Peers([counts.get(step, 0) for step in range(8)], total, total >= PEER_MINIMUM)


def get_company_result(company_id: int) -> CompanyResult | None:
    return db.session.get(CompanyResult, company_id)


@member_changed.connect
def _count_the_company_again(app, company_id: int | None, **extra) -> None:
    """Whether a member counts has changed: count their company again."""
    instrument = get_instrument()
    if company_id is not None and instrument is not None:
        lock = select(Company.id).where(Company.id == company_id).with_for_update()
        db.session.execute(lock)
        update_company_result(db.session.get(Company, company_id), instrument)


def data_of(user: User) -> list[dict]:
    """The person's assessments, draft and submitted, for their own download."""
    rows = db.session.scalars(
        select(Assessment).where(Assessment.user_id == user.id).order_by(Assessment.started_at)
    )
    return [
        {
            "started_at": row.started_at,
            "submitted_at": row.submitted_at,
            "answers": row.answers,
            "placement": row.placement,
            "crm_level": row.crm_level,
            "result": row.result,
        }
        for row in rows
    ]
