"""The programme's figures for its administrators: the dashboard's counts, the funnel from
registering to finishing the recommended modules, completions per week, how companies
spread over the steps, and the users list. Each is aggregated by the database."""

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Select,
    case,
    delete,
    func,
    or_,
    select,
    true,
    union,
    union_all,
    update,
)
from sqlalchemy.orm import selectinload

from app import audit
from app.assessment.models import Assessment, CompanyResult, Recommendation
from app.auth.models import Company, Membership, User
from app.auth.services import NewCompany, member_changed
from app.certificates.models import Certificate
from app.content.catalogue import Catalogue
from app.content.models import Module
from app.errors import DomainError
from app.extensions import db
from app.learn.models import ModuleRecord
from app.programmes import services as programme_services
from app.programmes.models import programme_modules
from app.quizzes.models import QuizAttempt
from app.text import comparable, fold


@dataclass(frozen=True)
class Figures:
    learners: int
    companies: int
    active_7: int
    active_30: int
    assessments: int
    modules_completed: int
    certificates_issued: int


def _active_since(moment: datetime) -> int:
    """How many people did something since ``moment``: logged in, opened or completed a
    lesson, submitted a quiz (their module records) or an assessment."""
    someone = union(
        select(User.id).where(User.last_login_at >= moment),
        select(ModuleRecord.user_id).where(ModuleRecord.last_active_at >= moment),
        select(Assessment.user_id).where(Assessment.submitted_at >= moment),
    ).subquery()
    return db.session.scalar(select(func.count()).select_from(someone)) or 0


def _last_active() -> Select:
    """(user id, the latest moment they did anything, as _active_since counts it) of
    everyone who did something."""
    moments = union_all(
        select(User.id.label("user_id"), User.last_login_at.label("at")),
        select(ModuleRecord.user_id, ModuleRecord.last_active_at),
        select(Assessment.user_id, Assessment.submitted_at),
    ).subquery()
    return select(moments.c.user_id, func.max(moments.c.at).label("at")).group_by(moments.c.user_id)


def _count(statement: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0


_LEARNER = User.role == "learner"


def _completed() -> Select:
    """(user id, module id, when) of every module a learner has completed."""
    return (
        select(ModuleRecord.user_id, ModuleRecord.module_id, ModuleRecord.completed_at)
        .join(User, User.id == ModuleRecord.user_id)
        .where(_LEARNER, ModuleRecord.completed_at.is_not(None))
    )


def figures(now: datetime) -> Figures:
    return Figures(
        learners=_count(select(User.id).where(_LEARNER)),
        companies=_count(select(Company.id)),
        active_7=_active_since(now - timedelta(days=7)),
        active_30=_active_since(now - timedelta(days=30)),
        assessments=_count(select(Assessment.id).where(Assessment.submitted_at.is_not(None))),
        modules_completed=_count(_completed()),
        certificates_issued=_count(select(Certificate.id)),
    )


def completed_by_learner(catalogue: Catalogue) -> dict[int, set[str]]:
    """The slugs of the modules each learner completed, by user id."""
    slugs = {module.id: module.slug for module in catalogue.modules}
    completed: dict[int, set[str]] = defaultdict(set)
    for user_id, module_id, _at in db.session.execute(_completed()):
        if module_id in slugs:
            completed[user_id].add(slugs[module_id])
    return completed


def funnel() -> dict[str, int]:
    """How many learners reached each stage: registered, took the assessment, started a
    module, completed one, completed every module their latest assessment recommends."""
    each = (
        select(
            ModuleRecord.user_id,
            func.max(case((ModuleRecord.started_at.is_not(None), 1), else_=0)).label("started"),
            func.max(case((ModuleRecord.completed_at.is_not(None), 1), else_=0)).label("done"),
        )
        .group_by(ModuleRecord.user_id)
        .subquery()
    )
    started, completed = db.session.execute(
        select(func.coalesce(func.sum(each.c.started), 0), func.coalesce(func.sum(each.c.done), 0))
        .join(User, User.id == each.c.user_id)
        .where(_LEARNER)
    ).one()
    assessed = select(Assessment.user_id).where(Assessment.submitted_at.is_not(None))
    finished = (
        select(Recommendation.user_id)
        .outerjoin(
            ModuleRecord,
            (ModuleRecord.user_id == Recommendation.user_id)
            & (ModuleRecord.module_id == Recommendation.module_id),
        )
        .group_by(Recommendation.user_id)
        .having(func.count(ModuleRecord.completed_at) == func.count())
    )
    return {
        "registered": _count(select(User.id).where(_LEARNER)),
        "assessed": _count(select(User.id).where(_LEARNER, User.id.in_(assessed))),
        "started": started,
        "completed": completed,
        "recommended_done": _count(select(User.id).where(_LEARNER, User.id.in_(finished))),
    }


def weeks_ending(today: date, weeks: int) -> list[date]:
    """The Mondays that start the last ``weeks`` weeks up to ``today``, oldest first."""
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def completions_per_week(today: date, weeks: int = 12) -> list[tuple[date, int]]:
    """How many modules were completed in each of the last ``weeks`` weeks (a module is
    completed when its last lesson is, or its quiz is passed, whichever is later)."""
    starts = weeks_ending(today, weeks)
    since = datetime.combine(starts[0], datetime.min.time(), tzinfo=UTC)
    day = func.date(ModuleRecord.completed_at)
    counts: Counter[date] = Counter()
    for value, count in db.session.execute(
        select(day, func.count())
        .join(User, User.id == ModuleRecord.user_id)
        .where(_LEARNER, ModuleRecord.completed_at >= since)
        .group_by(day)
    ):
        moment = value if isinstance(value, date) else date.fromisoformat(value)  # SQLite: text
        counts[moment - timedelta(days=moment.weekday())] += count
    return [(start, counts[start]) for start in starts]


def maturity_spread() -> list[int]:
    """How many companies stand on each step, 0 (not yet on the ladder) to 7."""
    rows = dict(
        db.session.execute(
            select(CompanyResult.placement, func.count()).group_by(CompanyResult.placement)
        ).all()
    )
    return [rows.get(step, 0) for step in range(8)]


# -- users ---------------------------------------------------------------------------------

#: the statuses the users list filters by
STATUSES = ("active", "unconfirmed", "deactivated")


@dataclass(frozen=True)
class UserFilter:
    query: str = ""
    role: str = ""
    company_id: int | None = None
    province: str = ""
    status: str = ""
    programme_id: int | None = None


def users(chosen: UserFilter) -> Select:
    """The accounts that match, newest first, each with its active membership."""
    # The page's memberships in a second query: joined to every row, they would be read
    # for all the rows an offset skips.
    statement = select(User).options(selectinload(User.membership)).order_by(User.id.desc())
    if chosen.company_id or chosen.province:  # the join only when a filter needs it
        statement = statement.join(
            Membership, (Membership.user_id == User.id) & (Membership.state == "active")
        ).join(Company, Company.id == Membership.company_id)
    for word in fold(chosen.query).split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(User.search_key.like(f"%{escaped}%", escape="\\"))
    if chosen.role:
        statement = statement.where(User.role == chosen.role)
    if chosen.company_id:
        statement = statement.where(Company.id == chosen.company_id)
    if chosen.province:
        statement = statement.where(Company.province == chosen.province)
    if chosen.status == "active":
        statement = statement.where(User.active, User.email_confirmed_at.is_not(None))
    elif chosen.status == "unconfirmed":
        statement = statement.where(User.active, User.email_confirmed_at.is_(None))
    elif chosen.status == "deactivated":
        statement = statement.where(User.active.is_(False))
    if chosen.programme_id:
        statement = statement.where(
            User.id.in_(programme_services.learner_ids(chosen.programme_id))
        )
    return statement


def attempts_of(user: User) -> Sequence:
    """The person's submitted quiz attempts, newest first: (attempt, module slug)."""
    return db.session.execute(
        select(QuizAttempt, Module.slug)
        .join(Module, Module.id == QuizAttempt.module_id)
        .where(QuizAttempt.user_id == user.id, QuizAttempt.submitted_at.is_not(None))
        .order_by(QuizAttempt.submitted_at.desc())
    ).all()


# -- companies -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CompanyFilter:
    query: str = ""
    sector: str = ""
    size_band: str = ""
    province: str = ""
    step: int | None = None  # a maturity step, 0 to 7
    programme_id: int | None = None


def companies(chosen: CompanyFilter) -> Select:
    """The companies that match, by name."""
    statement = (
        select(Company)
        .outerjoin(CompanyResult, CompanyResult.company_id == Company.id)
        .order_by(Company.name_key, Company.id)
    )
    if chosen.query:
        statement = statement.where(Company.name_key.contains(comparable(chosen.query),
                                                              autoescape=True))  # fmt: skip
    for column, value in (
        (Company.sector, chosen.sector),
        (Company.size_band, chosen.size_band),
        (Company.province, chosen.province),
    ):
        if value:
            statement = statement.where(column == value)
    if chosen.step is not None:
        statement = statement.where(CompanyResult.placement == chosen.step)
    if chosen.programme_id:
        statement = statement.where(
            Company.id.in_(programme_services.company_ids(chosen.programme_id))
        )
    return statement


def company_facts(ids: Sequence[int]) -> dict[int, tuple[int, int | None]]:
    """For each company of ``ids``: its number of active members and its step (None
    without a result), in two grouped queries."""
    members = dict(
        db.session.execute(
            select(Membership.company_id, func.count())
            .where(Membership.company_id.in_(ids), Membership.state == "active")
            .group_by(Membership.company_id)
        ).all()
    )
    steps = dict(
        db.session.execute(
            select(CompanyResult.company_id, CompanyResult.placement).where(
                CompanyResult.company_id.in_(ids)
            )
        ).all()
    )
    return {company_id: (members.get(company_id, 0), steps.get(company_id)) for company_id in ids}


def invitations_to(email: str) -> list[Membership]:
    """The invitations waiting for this address, in any company, the newest first."""
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.email == email, Membership.state == "invited")
            .order_by(Membership.created_at.desc())
        )
    )


def memberships_of(company: Company) -> list[Membership]:
    """Every membership of the company, in any state, the newest first."""
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.company_id == company.id)
            .order_by(Membership.created_at.desc(), Membership.id.desc())
        )
    )


def edit_company(company: Company, data: NewCompany, by: User) -> dict[str, list]:
    """Change the company's details; what changed, as [before, after] by field, goes
    into the audit log. A name or tax code another company holds is refused."""
    clash = db.session.scalar(
        select(Company.id).where(
            Company.id != company.id,
            Company.name_key == comparable(data.name),
            Company.province == data.province,
        )
    )
    if clash:
        raise DomainError("company_name", _l("Another company has this name in this province."))
    if data.tax_code and db.session.scalar(
        select(Company.id).where(Company.id != company.id, Company.tax_code == data.tax_code)
    ):
        raise DomainError("tax_code", _l("Another company has this tax code."))
    wanted = {
        "name": data.name,
        "sector": data.sector,
        "size_band": data.size_band,
        "province": data.province,
        "tax_code": data.tax_code or None,
    }
    changes = {
        field: [getattr(company, field), value]
        for field, value in wanted.items()
        if getattr(company, field) != value
    }
    for field, (_before, value) in changes.items():
        setattr(company, field, value)
    if changes:
        audit.record(by, "company.edit", company_id=company.id, **changes)
    db.session.flush()
    return changes


def merge_companies(source: Company, target: Company, by: User) -> None:
    """Merge the duplicate ``source`` into ``target``: its memberships (in every state)
    and its assessments move, the merge is logged, ``source`` is deleted, and ``target``
    is counted again."""
    if source.id == target.id:
        raise DomainError("into", _l("Choose another company to merge this one into."))
    for company_id in sorted((source.id, target.id)):  # the same order in every request
        db.session.execute(
            update(Company)
            .where(Company.id == company_id)
            .values(invite_nonce=Company.invite_nonce)
        )
    db.session.execute(
        update(Membership).where(Membership.company_id == source.id).values(company_id=target.id)
    )
    db.session.execute(
        update(Assessment).where(Assessment.company_id == source.id).values(company_id=target.id)
    )
    db.session.execute(delete(CompanyResult).where(CompanyResult.company_id == source.id))
    audit.record(by, "company.merge", company_id=target.id,
                 merged=[source.id, source.name, source.tax_code])  # fmt: skip
    tax_code = source.tax_code
    db.session.delete(source)
    db.session.flush()
    if target.tax_code is None and tax_code:
        target.tax_code = tax_code
    db.session.expire_all()
    member_changed.send(current_app._get_current_object(), company_id=target.id)


# -- the completion report -----------------------------------------------------------------


def learner_scope(programme_id: int | None) -> Select:
    """The ids of the learners a report counts: every learner, or a programme's."""
    statement = select(User.id).where(_LEARNER)
    if programme_id:
        statement = statement.where(User.id.in_(programme_services.learner_ids(programme_id)))
    return statement


@dataclass(frozen=True)
class GroupFigures:
    """One row of the completion report."""

    learners: int  # in the group, whether or not they started
    started: int
    completed: int
    attempted: int  # submitted the quiz
    passed: int
    median_days: float | None  # from first opening to completing, of those who completed

    @property
    def pass_rate(self) -> int | None:
        """The share of those who submitted the quiz who passed it, in percent."""
        return round(100 * self.passed / self.attempted) if self.attempted else None


@dataclass(frozen=True)
class ReportRow:
    key: str  # the group's label, in the reader's language
    figures: GroupFigures


def _in_range(column, start: datetime | None, end: datetime | None):
    condition = column.is_not(None)
    if start is not None:
        condition &= column >= start
    if end is not None:
        condition &= column < end
    return condition


def _days(later, earlier):
    """The days from ``earlier`` to ``later``, as the database counts them."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", later - earlier) / 86400
    return func.julianday(later) - func.julianday(earlier)


def _people(by: str, scope: Select):
    """(user id, the key of their group) for the learners of ``scope``: each learner is
    their own group, or their company's, province's, or sector and size band's."""
    if by in ("learner", "module"):
        return select(User.id.label("user_id"), User.id.label("key")).where(User.id.in_(scope))
    key = {
        "company": Company.id,
        "province": Company.province,
        "sector": Company.sector + " · " + Company.size_band,
    }[by]
    return (
        select(Membership.user_id.label("user_id"), key.label("key"))
        .join(Company, Company.id == Membership.company_id)
        .where(Membership.state == "active", Membership.user_id.in_(scope))
    )


def _report(by: str, scope: Select, start: datetime | None, end: datetime | None) -> Select:
    """One statement for the completion report's groups: (key, learners, started,
    completed, attempted, passed, median days) — the key a module's or company's id, a
    province, a "sector · size band", a learner's id — counting each learner once per
    group over ModuleRecord; a start or completion counts when it falls in [``start``,
    ``end``). Groups with nobody who started are there too."""
    people = _people(by, scope).subquery()
    key = ModuleRecord.module_id if by == "module" else people.c.key
    records = (  # the records of the learners in scope, with their group's key
        select().select_from(people).join(ModuleRecord, ModuleRecord.user_id == people.c.user_id)
    )
    completed = _in_range(ModuleRecord.completed_at, start, end)

    # Each learner's flags (in the module, or in any module), then summed by group: no
    # learner counts twice in a group, and nothing needs a DISTINCT. A learner has one
    # record per module, so by module the flags are the record's own.
    by_module = by == "module"

    def flag(condition):
        one = case((condition, 1), else_=0)
        return one if by_module else func.max(one)  # 1 when some record meets it

    per_learner = select(
        ModuleRecord.user_id,
        *([ModuleRecord.module_id] if by_module else []),
        flag(_in_range(ModuleRecord.started_at, start, end)).label("started"),
        flag(completed).label("completed"),
        flag(ModuleRecord.attempted).label("attempted"),
        flag(ModuleRecord.passed).label("passed"),
    )
    if not by_module:
        per_learner = per_learner.group_by(ModuleRecord.user_id)
    per_learner = per_learner.subquery()
    counted_key = per_learner.c.module_id if by_module else people.c.key
    counts = (
        select(
            counted_key.label("key"),
            *(
                func.sum(per_learner.c[name]).label(name)
                for name in ("started", "completed", "attempted", "passed")
            ),
        )  # fmt: skip
        .select_from(people)
        .join(per_learner, per_learner.c.user_id == people.c.user_id)
        .group_by(counted_key)
        .subquery()
    )
    days = _days(ModuleRecord.completed_at, ModuleRecord.started_at)
    ranked = (
        records.add_columns(
            key.label("key"),
            days.label("days"),
            func.row_number().over(partition_by=key, order_by=days).label("rank"),
            func.count().over(partition_by=key).label("n"),
        )
        .where(completed, ModuleRecord.started_at.is_not(None))
        .subquery()
    )
    medians = (  # the middle one, or the mean of the middle two
        select(ranked.c.key, func.avg(ranked.c.days).label("days"))
        .where((2 * ranked.c.rank).between(ranked.c.n, ranked.c.n + 2))
        .group_by(ranked.c.key)
        .subquery()
    )
    if by == "module":
        everyone = select(func.count()).select_from(scope.subquery()).scalar_subquery()
        groups = select(Module.id.label("key"), everyone.label("learners")).subquery()
    else:
        groups = select(people.c.key, func.count().label("learners")).group_by(people.c.key)
        groups = groups.subquery()
    return (
        select(
            groups.c.key,
            groups.c.learners,
            *(func.coalesce(column, 0) for column in list(counts.c)[1:]),
            medians.c.days,
        )
        .outerjoin(counts, counts.c.key == groups.c.key)
        .outerjoin(medians, medians.c.key == groups.c.key)
    )


def _figures(row) -> GroupFigures:
    """A row of _report's statement, without its key."""
    learners, started, completed, attempted, passed, days = row
    median = round(float(days), 1) if days is not None else None
    return GroupFigures(learners, started, completed, attempted, passed, median)


def report_figures(
    by: str, scope: Select, start: datetime | None = None, end: datetime | None = None
) -> dict:
    """The completion report's figures by group key (see _report)."""
    return {row[0]: _figures(row[1:]) for row in db.session.execute(_report(by, scope, start, end))}


def completion_report(
    catalogue: Catalogue,
    by: str,
    programme_id: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    sector_names: dict | None = None,
    limit: int | None = None,
) -> list[ReportRow]:
    """The completion report grouped ``by`` "module", "company", "learner", "province"
    or "sector" (with the size band), its rows by label (modules in course order); by
    learner, the first ``limit`` rows."""
    scope = learner_scope(programme_id)
    if by == "learner":
        return list(learner_report(scope, start, end, limit))
    figures = report_figures(by, scope, start, end)
    if by == "module":
        wanted = list(catalogue.modules)
        if programme_id:
            required = programme_services.required_slugs(programme_id)
            wanted = [module for module in wanted if module.slug in required] or wanted
        return [ReportRow(module.title, figures[module.id]) for module in wanted]
    if by == "company":
        names = dict(db.session.execute(select(Company.id, Company.name)).all())
        label = names.__getitem__
    elif by == "sector":
        label = lambda key: _sector_label(key, sector_names or {})  # noqa: E731
    else:
        label = str
    return sorted((ReportRow(label(key), row) for key, row in figures.items()),
                  key=lambda row: row.key)  # fmt: skip


def learner_report(
    scope: Select,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int | None = None,
) -> Iterator[ReportRow]:
    """The completion report's row of each learner of ``scope``, by name, read from the
    database a batch at a time: an export of every learner keeps few in memory."""
    groups = _report("learner", scope, start, end).subquery()
    statement = (
        select(User.name + " <" + User.email + ">", *list(groups.c)[1:])
        .join(groups, groups.c.key == User.id)
        .order_by(User.name, User.id)
        .limit(limit)
        .execution_options(yield_per=1000)
    )
    for label, *figures in db.session.execute(statement):
        yield ReportRow(label, _figures(figures))


def learners_in(programme_id: int | None = None) -> int:
    """How many learners the reports count: every learner, or a programme's."""
    return _count(learner_scope(programme_id))


def _sector_label(key: str, names: dict) -> str:
    sector, _dot, size = key.partition(" · ")
    return f"{names.get(sector, sector)} · {size}"


# -- learners at risk ----------------------------------------------------------------------

#: how long without any activity makes a learner with modules to finish "at risk"
AT_RISK_DAYS = 14


@dataclass(frozen=True)
class AtRisk:
    user_id: int
    name: str
    email: str
    company: str | None  # its name
    last_activity: datetime | None
    unfinished: tuple[str, ...]  # module titles, in course order


def at_risk(catalogue: Catalogue, now: datetime, programme_id: int | None = None) -> list[AtRisk]:
    """The learners of the scope with no activity for AT_RISK_DAYS days and a module to
    finish: one the programme requires, or one their latest assessment recommends; the
    longest away first."""
    cutoff = now - timedelta(days=AT_RISK_DAYS)
    latest = _last_active().subquery()
    away = (
        select(User.id)
        .outerjoin(latest, latest.c.user_id == User.id)
        .where(
            User.id.in_(learner_scope(programme_id)),
            User.active,
            User.created_at < cutoff,
            or_(latest.c.at.is_(None), latest.c.at < cutoff),
        )
    )
    wanted = select(Recommendation.user_id, Recommendation.module_id).where(
        Recommendation.user_id.in_(away)
    )
    if programme_id:
        wanted = union(
            wanted,
            select(User.id, programme_modules.c.module_id)
            .join(programme_modules, programme_modules.c.programme_id == programme_id)
            .where(User.id.in_(away)),
        )
    wanted_ = wanted.subquery()
    unfinished = (
        select(wanted_.c.user_id, wanted_.c.module_id)
        .outerjoin(
            ModuleRecord,
            (ModuleRecord.user_id == wanted_.c.user_id)
            & (ModuleRecord.module_id == wanted_.c.module_id),
        )
        .where(ModuleRecord.completed_at.is_(None))
    )
    modules: dict[int, set[int]] = defaultdict(set)
    for user_id, module_id in db.session.execute(unfinished):
        modules[user_id].add(module_id)
    if not modules:
        return []
    people = select(User.id).where(User.id.in_(unfinished.with_only_columns(wanted_.c.user_id)))
    rows = db.session.execute(
        select(User.id, User.name, User.email, Company.name, latest.c.at)
        .outerjoin(latest, latest.c.user_id == User.id)
        .outerjoin(Membership, (Membership.user_id == User.id) & (Membership.state == "active"))
        .outerjoin(Company, Company.id == Membership.company_id)
        .where(User.id.in_(people))
    )
    found = [
        AtRisk(
            user_id,
            name,
            email,
            company,
            at,
            tuple(module.title for module in catalogue.modules if module.id in modules[user_id]),
        )  # fmt: skip
        for user_id, name, email, company, at in rows
    ]
    return sorted(found, key=lambda row: (row.last_activity is not None, row.last_activity,
                                          row.user_id))  # fmt: skip


# -- the maturity report -------------------------------------------------------------------


def _companies_in(column, programme_id: int | None):
    """``column`` (a company id) is one of the programme's companies, or any without."""
    return column.in_(programme_services.company_ids(programme_id)) if programme_id else true()


def maturity_distribution(by: str, programme_id: int | None = None) -> dict[str, list[int]]:
    """How many companies of each group ``by`` "sector", "size_band" or "province" (by
    its key) stand on each step, 0 to 7, by their combined result, in one grouped query."""
    column = {"sector": Company.sector, "size_band": Company.size_band,
              "province": Company.province}[by]  # fmt: skip
    table: dict[str, list[int]] = {}
    for key, step, count in db.session.execute(
        select(column, CompanyResult.placement, func.count())
        .join(CompanyResult, CompanyResult.company_id == Company.id)
        .where(_companies_in(Company.id, programme_id))
        .group_by(column, CompanyResult.placement)
    ):
        table.setdefault(key, [0] * 8)[step] += count
    return dict(sorted(table.items()))


def maturity_movement(programme_id: int | None = None) -> list[list[int]]:
    """From which step to which the companies assessed more than once moved: ``[a][b]``
    counts those whose first submitted assessment placed them on step ``a`` and whose
    combined result stands now on step ``b``."""
    ranked = (
        select(
            Assessment.company_id,
            Assessment.placement,
            func.row_number()
            .over(
                partition_by=Assessment.company_id,
                order_by=(Assessment.submitted_at, Assessment.id),
            )
            .label("n"),
            func.count().over(partition_by=Assessment.company_id).label("times"),
        )  # fmt: skip
        .where(Assessment.submitted_at.is_not(None), Assessment.company_id.is_not(None))
        .subquery()
    )
    matrix = [[0] * 8 for _step in range(8)]
    for first, latest, count in db.session.execute(
        select(ranked.c.placement, CompanyResult.placement, func.count())
        .join(CompanyResult, CompanyResult.company_id == ranked.c.company_id)
        .where(
            ranked.c.n == 1, ranked.c.times > 1, _companies_in(ranked.c.company_id, programme_id)
        )
        .group_by(ranked.c.placement, CompanyResult.placement)
    ):
        matrix[first][latest] += count
    return matrix
