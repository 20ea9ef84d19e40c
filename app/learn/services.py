"""The learner's reading path: progress through the catalogue's lessons, and when a
module counts as completed (every lesson completed, and its quiz passed if it has one):
this package is the one that says so."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from blinker import Namespace
from flask import current_app
from sqlalchemy import (
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.cache import cached
from app.content.catalogue import Catalogue, GlossaryEntry, LessonItem, ModuleView, get_catalogue
from app.content.files import TRACKS
from app.content.models import Lesson, Module
from app.content.services import course_changed
from app.db_types import utcnow
from app.extensions import db
from app.languages import DEFAULT_LANGUAGE
from app.learn.models import LessonProgress, ModuleRecord
from app.quizzes.models import QuizAttempt
from app.quizzes.pool import quiz_sizes
from app.quizzes.services.attempts import attempt_submitted
from app.quizzes.services.results import QuizResult, list_results
from app.text import fold


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total


@dataclass(frozen=True)
class ModuleStatus:
    """Where a learner stands with one module: lessons completed, the quiz's result."""

    progress: Progress
    has_quiz: bool
    result: QuizResult | None = None

    @property
    def completed(self) -> bool:
        passed = self.result is not None and self.result.passed
        return self.progress.complete and (passed or not self.has_quiz)

    @property
    def started(self) -> bool:
        return bool(self.progress.done or self.result)


def group_by_track(modules) -> list[tuple[str, list[ModuleView]]]:
    groups: dict[str, list[ModuleView]] = {track: [] for track in TRACKS}
    for module in modules:
        groups[module.track].append(module)
    return [(track, items) for track, items in groups.items() if items]


@dataclass(frozen=True)
class Reading:
    """Where a learner stands with one lesson."""

    lesson_id: int
    opened_at: datetime
    completed_at: datetime | None


# Built once, like the other statements that run on every page a learner opens: building a
# statement costs about as much as running this one.
_PROGRESS = select(
    LessonProgress.lesson_id, LessonProgress.opened_at, LessonProgress.completed_at
).where(LessonProgress.user_id == bindparam("user_id"))


def list_progress(user: User) -> dict[int, Reading]:
    """All the learner's progress, by lesson id (one indexed query)."""
    rows = db.session.execute(_PROGRESS, {"user_id": user.id})
    return {lesson_id: Reading(lesson_id, *times) for lesson_id, *times in rows}


def completed_ids(progress: dict[int, Reading]) -> set[int]:
    return {lesson_id for lesson_id, row in progress.items() if row.completed_at is not None}


def module_progress(module: ModuleView, completed: set[int]) -> Progress:
    return Progress(sum(lesson.id in completed for lesson in module.lessons), len(module.lessons))


def overall_progress(statuses: dict[int, ModuleStatus]) -> Progress:
    return Progress(
        sum(s.progress.done for s in statuses.values()),
        sum(s.progress.total for s in statuses.values()),
    )


def module_statuses(
    user: User, catalogue: Catalogue, progress: dict[int, Reading]
) -> dict[int, ModuleStatus]:
    """Every module's status for the learner, by module id, from their ``progress``
    (list_progress) and one query for their quiz results."""
    completed = completed_ids(progress)
    results = list_results(user.id)
    sizes = quiz_sizes()
    return {
        module.id: ModuleStatus(
            module_progress(module, completed), bool(sizes.get(module.id)), results.get(module.id)
        )
        for module in catalogue.modules
    }


def completed_modules(catalogue: Catalogue, statuses: dict[int, ModuleStatus]) -> set[str]:
    """The slugs of the modules the learner has completed."""
    return {module.slug for module in catalogue.modules if statuses[module.id].completed}


def completed_between(user_id: int, after: datetime, until: datetime) -> set[str]:
    """The slugs of the modules the learner completed after ``after`` and by ``until``:
    what they studied between two assessments."""
    return set(
        db.session.scalars(
            select(Module.slug)
            .join(ModuleRecord, ModuleRecord.module_id == Module.id)
            .where(
                ModuleRecord.user_id == user_id,
                ModuleRecord.completed_at > after,
                ModuleRecord.completed_at <= until,
            )
        )
    )


@dataclass(frozen=True)
class MemberLearning:
    """What one member of a team has done: for their manager's view."""

    completed: frozenset[str]  # the slugs of the modules completed
    lessons_completed: int
    quizzes_passed: int
    last_activity: datetime | None  # a lesson opened or completed, a quiz submitted


def team_learning(user_ids: Collection[int], catalogue: Catalogue) -> dict[int, MemberLearning]:
    """Each person's learning, by user id, in two grouped queries whatever the team's
    size; a module counts as completed by the rule of ModuleStatus."""
    ids = list(user_ids)
    lesson_ids = [lesson.id for lesson in catalogue.lessons]
    reading = db.session.execute(
        select(
            LessonProgress.user_id,
            Lesson.module_id,
            func.count(LessonProgress.completed_at),
            func.max(LessonProgress.opened_at),
            func.max(LessonProgress.completed_at),
        )
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.user_id.in_(ids), LessonProgress.lesson_id.in_(lesson_ids))
        .group_by(LessonProgress.user_id, Lesson.module_id)
    )
    quizzes = db.session.execute(
        select(
            QuizAttempt.user_id,
            QuizAttempt.module_id,
            func.count(),
            func.max(QuizAttempt.score),
            func.max(case((QuizAttempt.passed, 1), else_=0)),
            func.max(QuizAttempt.submitted_at),
        )
        .where(QuizAttempt.user_id.in_(ids), QuizAttempt.submitted_at.is_not(None))
        .group_by(QuizAttempt.user_id, QuizAttempt.module_id)
    )
    done: dict[tuple[int, int], int] = {}
    results: dict[tuple[int, int], QuizResult] = {}
    last: dict[int, datetime] = {}

    def seen(user_id: int, *times: datetime | None) -> None:
        for time in times:
            if time is not None and (user_id not in last or time > last[user_id]):
                last[user_id] = time

    for user_id, module_id, completed, opened, finished in reading:
        done[user_id, module_id] = completed
        seen(user_id, opened, finished)
    for user_id, module_id, count, best, passed, submitted in quizzes:
        results[user_id, module_id] = QuizResult(count, best, bool(passed))
        seen(user_id, submitted)
    sizes = quiz_sizes()
    team = {}
    for user_id in ids:
        statuses = {
            module.slug: ModuleStatus(
                Progress(done.get((user_id, module.id), 0), len(module.lessons)),
                bool(sizes.get(module.id)),
                results.get((user_id, module.id)),
            )
            for module in catalogue.modules
        }
        team[user_id] = MemberLearning(
            frozenset(slug for slug, status in statuses.items() if status.completed),
            sum(status.progress.done for status in statuses.values()),
            sum(1 for status in statuses.values() if status.result and status.result.passed),
            last.get(user_id),
        )
    return team


def _standings(catalogue: Catalogue, user_id, module_ids: Collection[int] | None):
    """Where each learner stands in each module they touched (ModuleRecord's columns),
    by the rule of ModuleStatus, in one statement for the database to aggregate; for one
    learner (their id, or a bound parameter), or some modules, when given. None without
    modules."""
    modules = [module for module in catalogue.modules
               if module_ids is None or module.id in module_ids]  # fmt: skip
    if not modules:
        return None
    wanted = [module.id for module in modules]
    sizes = {module.id: len(module.lessons) for module in modules if module.lessons}
    with_quiz = [module.id for module in modules if quiz_sizes().get(module.id)]
    no_time = null().cast(LessonProgress.opened_at.type)
    reading = (
        select(
            LessonProgress.user_id.label("user_id"),
            Lesson.module_id.label("module_id"),
            LessonProgress.opened_at.label("opened_at"),
            LessonProgress.completed_at.label("read_at"),
            no_time.label("passed_at"),
            literal(0).label("attempted"),
            func.coalesce(LessonProgress.completed_at, LessonProgress.opened_at).label("at"),
        )
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(Lesson.module_id.in_(wanted))
    )
    quizzes = select(
        QuizAttempt.user_id,
        QuizAttempt.module_id,
        no_time,
        no_time,
        case((QuizAttempt.passed, QuizAttempt.submitted_at), else_=no_time),
        literal(1),
        QuizAttempt.submitted_at,
    ).where(QuizAttempt.submitted_at.is_not(None), QuizAttempt.module_id.in_(wanted))
    if user_id is not None:
        reading = reading.where(LessonProgress.user_id == user_id)
        quizzes = quizzes.where(QuizAttempt.user_id == user_id)
    touched = union_all(reading, quizzes).subquery()
    read_at = func.max(touched.c.read_at)
    passed_at = func.min(touched.c.passed_at)
    lessons = case(sizes, value=touched.c.module_id, else_=-1) if sizes else literal(-1)
    complete = and_(
        func.count(touched.c.read_at) == lessons,
        or_(touched.c.module_id.not_in(with_quiz), passed_at.is_not(None)),
    )
    return select(
        touched.c.user_id,
        touched.c.module_id,
        func.min(touched.c.opened_at).label("started_at"),
        case(
            (complete & (passed_at > read_at), passed_at), (complete, read_at), else_=no_time
        ).label("completed_at"),
        (func.max(touched.c.attempted) == 1).label("attempted"),
        passed_at.is_not(None).label("passed"),
        func.max(touched.c.at).label("last_active_at"),
    ).group_by(touched.c.user_id, touched.c.module_id)


_RECORD_COLUMNS = (
    "user_id", "module_id", "started_at", "completed_at", "attempted", "passed", "last_active_at"
)  # fmt: skip


def refresh_records(catalogue: Catalogue, module_ids: Collection[int] | None = None) -> None:
    """Count every learner's ModuleRecord again, in the modules of ``module_ids`` (None:
    all), in two statements: when the course has changed."""
    scope = ModuleRecord.module_id.in_(module_ids) if module_ids is not None else true()
    db.session.execute(delete(ModuleRecord).where(scope))
    standings = _standings(catalogue, None, module_ids)
    if standings is not None:
        db.session.execute(insert(ModuleRecord).from_select(_RECORD_COLUMNS, standings))


_signals = Namespace()
#: sent, with the ``user_id`` and ``module_id``, whenever the learner's record of a module
#: is counted again and finds it completed (a receiver must expect to hear it again)
module_completed = _signals.signal("module-completed")
#: asked, with the ``user`` and the ``module`` (a ModuleView), when the page of a module
#: the learner has completed is shown: each receiver returns a dict of what the page's
#: completion moment shows (a certificate, the module to study next)
completion_asked = _signals.signal("completion-asked")


def record(user_id: int, module_id: int) -> None:
    """Count the learner's ModuleRecord in the module again: after a lesson opened or
    completed, or a quiz submitted. Written as an upsert, since two tabs may do it at
    once."""
    statements = cached(("module-record", module_id), lambda: _record_statements(module_id))
    if statements is None:
        return
    standing, upsert = statements
    row = db.session.execute(standing, {"user_id": user_id}).mappings().first()
    if row is not None:
        db.session.execute(upsert, dict(row))
        if row["completed_at"] is not None:
            module_completed.send(current_app._get_current_object(), user_id=user_id,
                                  module_id=module_id)  # fmt: skip


def completion_moment(user: User, module: ModuleView) -> dict:
    """What the page of a module the learner has completed shows of that moment, from
    the receivers of ``completion_asked``."""
    moment: dict = {}
    for _receiver, part in completion_asked.send(
        current_app._get_current_object(), user=user, module=module
    ):
        moment.update(part or {})
    return moment


def _record_statements(module_id: int):
    """The statements of ``record`` for the module, built once per content version:
    one learner's standing (their id bound at run time), and its upsert."""
    standing = _standings(get_catalogue(DEFAULT_LANGUAGE), bindparam("user_id"), [module_id])
    if standing is None:
        return None
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    upsert = dialect.insert(ModuleRecord)
    upsert = upsert.on_conflict_do_update(
        index_elements=["user_id", "module_id"],
        set_={name: upsert.excluded[name] for name in _RECORD_COLUMNS[2:]},
    )
    return standing, upsert


@attempt_submitted.connect
def _record_attempt(app, user_id: int, module_id: int) -> None:
    record(user_id, module_id)


@course_changed.connect
def _record_course(app, module_ids: Collection[int] | None) -> None:
    refresh_records(get_catalogue(DEFAULT_LANGUAGE), module_ids)


def open_lesson(user: User, lesson_id: int) -> LessonProgress:
    """Record that the learner opened the lesson (once; later visits change nothing)."""
    progress = db.session.scalar(
        select(LessonProgress).filter_by(user_id=user.id, lesson_id=lesson_id)
    )
    if progress is not None:
        return progress
    progress = LessonProgress(user_id=user.id, lesson_id=lesson_id)
    try:
        with db.session.begin_nested():
            db.session.add(progress)
    except IntegrityError:  # the same lesson opened in another tab at the same moment
        return db.session.scalar(
            select(LessonProgress).filter_by(user_id=user.id, lesson_id=lesson_id)
        )
    _record_lesson(user.id, lesson_id)
    return progress


def complete_lesson(user: User, lesson_id: int) -> LessonProgress:
    progress = open_lesson(user, lesson_id)
    if progress.completed_at is None:
        progress.completed_at = utcnow()
        db.session.flush()
        _record_lesson(user.id, lesson_id)
    return progress


def _record_lesson(user_id: int, lesson_id: int) -> None:
    record(user_id, db.session.scalar(select(Lesson.module_id).where(Lesson.id == lesson_id)))


def next_lesson_for(progress: dict[int, Reading], lessons: list[LessonItem]) -> LessonItem | None:
    """Where to continue: the lesson last worked on if it is unfinished, else the next
    unfinished lesson after it in catalogue order (wrapping round); None if the learner
    has not started or has finished everything. ``lessons`` is every lesson in order."""
    if not progress:
        return None

    def last_touched(row: Reading) -> datetime:
        return row.completed_at or row.opened_at

    last = max(progress.values(), key=last_touched).lesson_id
    completed = completed_ids(progress)
    ids = [lesson.id for lesson in lessons]
    start = ids.index(last) if last in ids else 0
    for lesson in lessons[start:] + lessons[:start]:
        if lesson.id not in completed:
            return lesson
    return None


def filter_glossary(
    entries: tuple[GlossaryEntry, ...], query: str, module_slug: str | None
) -> list[GlossaryEntry]:
    """Entries whose term, English term or definition contains every word of ``query``
    (ignoring case and diacritics), used by ``module_slug`` when one is given."""
    words = fold(query).split()
    return [
        entry
        for entry in entries
        if (module_slug is None or module_slug in entry.modules)
        and all(word in fold(f"{entry.term} {entry.english} {entry.definition}") for word in words)
    ]


def data_of(user: User) -> list[dict]:
    """The lessons the person opened and completed, for their own download."""
    rows = db.session.execute(
        select(Lesson.slug, Module.slug, LessonProgress.opened_at, LessonProgress.completed_at)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .join(Module, Module.id == Lesson.module_id)
        .where(LessonProgress.user_id == user.id)
        .order_by(LessonProgress.opened_at)
    )
    return [
        {"module": module, "lesson": lesson, "opened_at": opened, "completed_at": completed}
        for lesson, module, opened, completed in rows
    ]
