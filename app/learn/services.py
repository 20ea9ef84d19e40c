"""The learner's reading path: progress through the catalogue's lessons."""

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.content.catalogue import Catalogue, GlossaryEntry, LessonItem, ModuleView
from app.content.glossary import fold
from app.db_types import utcnow
from app.extensions import db
from app.learn.models import LessonProgress
from app.quizzes.pool import quiz_sizes
from app.quizzes.services import module_statuses

TRACK_ORDER = ("foundations", "ladder", "crm")


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


def group_by_track(modules) -> list[tuple[str, list[ModuleView]]]:
    groups: dict[str, list[ModuleView]] = {track: [] for track in TRACK_ORDER}
    for module in modules:
        groups[module.track].append(module)
    return [(track, items) for track, items in groups.items() if items]


# Table columns rather than mapped attributes: every lesson view runs this, and a Core
# statement skips the ORM's compile and result bookkeeping.
_progress = LessonProgress.__table__.c
_PROGRESS = select(_progress.lesson_id, _progress.opened_at, _progress.completed_at).where(
    _progress.user_id == bindparam("user_id")
)


def list_progress(user: User) -> dict[int, LessonProgress]:
    """All the learner's progress (lesson_id, opened_at, completed_at), by lesson id: one
    short indexed query, built once."""
    rows = db.session.execute(_PROGRESS, {"user_id": user.id})
    return {row.lesson_id: row for row in rows}


def completed_ids(progress: dict[int, LessonProgress]) -> set[int]:
    return {lesson_id for lesson_id, row in progress.items() if row.completed_at is not None}


def module_progress(module: ModuleView, completed: set[int]) -> Progress:
    return Progress(sum(lesson.id in completed for lesson in module.lessons), len(module.lessons))


def progress_by_module(catalogue: Catalogue, completed: set[int]) -> dict[int, Progress]:
    return {module.id: module_progress(module, completed) for module in catalogue.modules}


def overall_progress(by_module: dict[int, Progress]) -> Progress:
    return Progress(
        sum(p.done for p in by_module.values()), sum(p.total for p in by_module.values())
    )


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
        progress = db.session.scalar(
            select(LessonProgress).filter_by(user_id=user.id, lesson_id=lesson_id)
        )
    return progress


def complete_lesson(user: User, lesson_id: int) -> LessonProgress:
    progress = open_lesson(user, lesson_id)
    if progress.completed_at is None:
        progress.completed_at = utcnow()
    return progress


def next_lesson_for(
    progress: dict[int, LessonProgress], lessons: list[LessonItem]
) -> LessonItem | None:
    """Where to continue: the lesson last worked on if it is unfinished, else the next
    unfinished lesson after it in catalogue order (wrapping round); None if the learner
    has not started or has finished everything. ``lessons`` is every lesson in order."""
    if not progress:
        return None

    def last_touched(row: LessonProgress):
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
    """Entries whose term or definition contains every word of ``query`` (ignoring case
    and diacritics), used by ``module_slug`` when one is given."""
    words = fold(query).split()
    return [
        entry
        for entry in entries
        if (module_slug is None or module_slug in entry.modules)
        and all(word in fold(f"{entry.term} {entry.definition}") for word in words)
    ]


def completed_module_slugs(
    catalogue: Catalogue, progress: dict[int, LessonProgress], user_id: int
) -> set[str]:
    """Modules the learner has completed: every lesson, and the quiz if it has one."""
    done = completed_ids(progress)
    lessons_done = {
        module.id: bool(module.lessons) and all(lesson.id in done for lesson in module.lessons)
        for module in catalogue.modules
    }
    statuses = module_statuses(user_id, lessons_done, quiz_sizes(catalogue))
    return {module.slug for module in catalogue.modules if statuses[module.id].completed}
