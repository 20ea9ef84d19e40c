"""The learner's reading path: the catalogue, lessons in order, and progress."""

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import load_only, selectinload

from app.auth.models import User
from app.content.models import Lesson, LessonTranslation, Module
from app.db_types import utcnow
from app.extensions import db
from app.learn.models import LessonProgress

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


def list_catalogue() -> list[Module]:
    """Every module in catalogue order, with its lessons' titles (not their bodies)."""
    stmt = (
        select(Module)
        .order_by(Module.position)
        .options(
            selectinload(Module.lessons)
            .selectinload(Lesson.translations)
            .options(
                load_only(
                    LessonTranslation.lesson_id, LessonTranslation.locale, LessonTranslation.title
                )
            )
        )
    )
    return list(db.session.scalars(stmt))


def group_by_track(modules: list[Module]) -> list[tuple[str, list[Module]]]:
    groups = {track: [] for track in TRACK_ORDER}
    for module in modules:
        groups[module.track].append(module)
    return [(track, items) for track, items in groups.items() if items]


def get_module(slug: str) -> Module | None:
    return db.session.scalar(select(Module).where(Module.slug == slug))


def get_lesson(module: Module, slug: str) -> Lesson | None:
    return db.session.scalar(
        select(Lesson).where(Lesson.module_id == module.id, Lesson.slug == slug)
    )


def list_lesson_outline(module: Module) -> list[tuple[Lesson, LessonTranslation]]:
    """The module's lessons in order with their titles only: for menus and prev/next."""
    stmt = (
        select(Lesson)
        .where(Lesson.module_id == module.id)
        .order_by(Lesson.position)
        .options(
            selectinload(Lesson.translations).load_only(
                LessonTranslation.lesson_id, LessonTranslation.locale, LessonTranslation.title
            )
        )
    )
    return list(db.session.scalars(stmt))


def completed_lesson_ids(user: User, module: Module | None = None) -> set[int]:
    stmt = select(LessonProgress.lesson_id).where(
        LessonProgress.user_id == user.id, LessonProgress.completed_at.is_not(None)
    )
    if module is not None:
        stmt = stmt.join(Lesson, Lesson.id == LessonProgress.lesson_id).where(
            Lesson.module_id == module.id
        )
    return set(db.session.scalars(stmt))


def progress_by_module(user: User | None) -> dict[int, Progress]:
    """Lessons completed and lessons in all, per module id, in one query."""
    done = func.count(LessonProgress.completed_at) if user else func.count(None)
    stmt = select(Lesson.module_id, func.count(Lesson.id), done).group_by(Lesson.module_id)
    if user is not None:
        stmt = stmt.outerjoin(
            LessonProgress,
            and_(LessonProgress.lesson_id == Lesson.id, LessonProgress.user_id == user.id),
        )
    return {module_id: Progress(d, t) for module_id, t, d in db.session.execute(stmt)}


def overall_progress(by_module: dict[int, Progress]) -> Progress:
    return Progress(
        sum(p.done for p in by_module.values()), sum(p.total for p in by_module.values())
    )


def open_lesson(user: User, lesson: Lesson) -> LessonProgress:
    """Record that the learner opened the lesson (once; later visits change nothing)."""
    progress = db.session.scalar(
        select(LessonProgress).filter_by(user_id=user.id, lesson_id=lesson.id)
    )
    if progress is not None:
        return progress
    progress = LessonProgress(user_id=user.id, lesson_id=lesson.id)
    try:
        with db.session.begin_nested():
            db.session.add(progress)
    except IntegrityError:  # the same lesson opened in another tab at the same moment
        progress = db.session.scalar(
            select(LessonProgress).filter_by(user_id=user.id, lesson_id=lesson.id)
        )
    return progress


def complete_lesson(user: User, lesson: Lesson) -> LessonProgress:
    progress = open_lesson(user, lesson)
    if progress.completed_at is None:
        progress.completed_at = utcnow()
    return progress


def next_lesson_for(user: User) -> Lesson | None:
    """Where to continue: the lesson last worked on if it is unfinished, else the next
    unfinished lesson after it in catalogue order (wrapping round); None if the learner
    has not started or has finished everything."""
    rows = db.session.execute(
        select(LessonProgress.lesson_id, LessonProgress.completed_at)
        .where(LessonProgress.user_id == user.id)
        .order_by(func.coalesce(LessonProgress.completed_at, LessonProgress.opened_at).desc())
    ).all()
    if not rows:
        return None
    last_id = rows[0].lesson_id
    completed = {lesson_id for lesson_id, completed_at in rows if completed_at is not None}
    order = list(
        db.session.scalars(
            select(Lesson.id).join(Module).order_by(Module.position, Lesson.position)
        )
    )
    start = order.index(last_id)
    for lesson_id in order[start:] + order[:start]:
        if lesson_id not in completed:
            return db.session.get(Lesson, lesson_id)
    return None
