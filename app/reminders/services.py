"""Who gets a weekly message and what it says: a reminder to a learner who has been away
from a module they should finish, and, for a manager who asked for it, the digest of the
team's progress. Everything here reads, but ``claim`` (which records a message as sent)
and the settings; app.reminders.sending commits and sends.

A learner is due a reminder when their account is active, their email confirmed, their
reminders on, and nothing they did on the platform (the account's creation, a lesson
opened or completed, a quiz or an assessment submitted) is more recent than ``AWAY``, and
they have a module to finish: the first module their latest assessment recommends or, for
a learner who has not submitted one, the first module they opened a lesson of and did not
complete. At most one of each kind a week: a week is an ISO week in the platform's time
zone, and ``sent_reminders`` holds one row per person, kind and week.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.assessment import services as assessment_services
from app.assessment.models import Assessment
from app.auth.membership import members
from app.auth.models import Membership, User
from app.content.catalogue import Catalogue, LessonItem, ModuleView, get_catalogue
from app.content.models import Lesson
from app.extensions import db
from app.languages import DEFAULT_LANGUAGE
from app.learn.models import LessonProgress
from app.learn.services import Reading, completed_ids, list_progress, team_learning
from app.quizzes.models import QuizAttempt
from app.quizzes.pool import quiz_sizes
from app.reminders.models import KINDS, SentReminder

#: how long a learner has been away before a reminder, and the span a digest covers
AWAY = timedelta(days=7)
#: how many learners are looked at together (one IN list per query)
CHUNK = 500


# -- weeks ---------------------------------------------------------------------------------


def week_of(now: datetime, zone: ZoneInfo) -> str:
    """The ISO week ``now`` falls in, in ``zone``, as "2026-W49"."""
    year, week, _day = now.astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"


def platform_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def claim(user_id: int, kind: str, week: str) -> bool:
    """Record that ``user_id`` is sent the ``kind`` message of ``week``; False when it
    already was (by this run or another one running at the same time)."""
    try:
        with db.session.begin_nested():
            db.session.add(SentReminder(user_id=user_id, kind=kind, week=week))
    except IntegrityError:
        return False
    return True


def _sent(kind: str, week: str):
    return select(SentReminder.user_id).where(SentReminder.kind == kind, SentReminder.week == week)


def _chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# -- reminders -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """One learner's reminder: the module to go back to and where to go on in it."""

    user_id: int
    email: str
    name: str
    locale: str
    #: "recommended" (by the latest assessment) or "started" (no assessment submitted)
    reason: str
    module: ModuleView
    #: the first lesson of the module not completed; None when only the quiz is left
    lesson: LessonItem | None
    #: the module's lessons completed
    done: int
    #: True when the learner has never opened a lesson
    first: bool
    has_quiz: bool


def is_away(times: Iterable[datetime | None], now: datetime) -> bool:
    """Whether the latest of ``times`` (what the learner last did) is ``AWAY`` or more
    before ``now``."""
    known = [time for time in times if time is not None]
    return bool(known) and max(known) <= now - AWAY


def module_to_finish(catalogue: Catalogue, slugs: Iterable[str]) -> ModuleView | None:
    """The first of ``slugs`` that the catalogue has."""
    return next((catalogue.by_slug[slug] for slug in slugs if slug in catalogue.by_slug), None)


def started_modules(
    catalogue: Catalogue, progress: dict[int, Reading], completed: Iterable[str]
) -> list[str]:
    """The modules, in catalogue order, with a lesson opened and not completed."""
    done = set(completed)
    return [
        module.slug
        for module in catalogue.modules
        if module.slug not in done and any(lesson.id in progress for lesson in module.lessons)
    ]


def first_unfinished(module: ModuleView, progress: dict[int, Reading]) -> LessonItem | None:
    """The module's first lesson not completed (None: every one is)."""
    completed = completed_ids(progress)
    return next((lesson for lesson in module.lessons if lesson.id not in completed), None)


def reminder_for(user: User, completed: frozenset[str], assessed: bool) -> Reminder | None:
    """What the reminder to ``user`` says, or None when they have no module to finish;
    ``completed``: the modules they completed; ``assessed``: whether they submitted an
    assessment."""
    locale = user.locale or DEFAULT_LANGUAGE
    catalogue = get_catalogue(locale)
    progress = list_progress(user)
    instrument = assessment_services.get_instrument()
    if assessed and instrument is not None:
        order = [module.slug for module in catalogue.modules]
        recommended = assessment_services.recommendations_for(
            user, instrument, set(completed), order
        )
        reason, slugs = "recommended", [r.module for r in recommended]
    else:
        reason, slugs = "started", started_modules(catalogue, progress, completed)
    module = module_to_finish(catalogue, slugs)
    if module is None:
        return None
    completed_lessons = completed_ids(progress)
    return Reminder(
        user_id=user.id,
        email=user.email,
        name=user.name,
        locale=locale,
        reason=reason,
        module=module,
        lesson=first_unfinished(module, progress),
        done=sum(lesson.id in completed_lessons for lesson in module.lessons),
        first=not progress,
        has_quiz=bool(quiz_sizes().get(module.id)),
    )


def due_reminders(now: datetime, week: str) -> list[Reminder]:
    """The reminders to send in ``week`` as of ``now`` (see the module's docstring)."""
    users = db.session.scalars(
        select(User)
        .where(
            User.active,
            User.email_confirmed_at.is_not(None),
            User.reminders,
            User.created_at <= now - AWAY,  # a newer account cannot have been away
            User.id.not_in(_sent("reminder", week)),
        )
        .order_by(User.id)
    ).all()
    # Which lessons and modules there are is the same in every language.
    catalogue = get_catalogue(DEFAULT_LANGUAGE)
    reminders = []
    for chunk in _chunks(users):
        ids = [user.id for user in chunk]
        learning = team_learning(ids, catalogue)
        assessed = dict(
            db.session.execute(
                select(Assessment.user_id, func.max(Assessment.submitted_at))
                .where(Assessment.user_id.in_(ids), Assessment.submitted_at.is_not(None))
                .group_by(Assessment.user_id)
            ).all()
        )
        for user in chunk:
            times = (user.created_at, learning[user.id].last_activity, assessed.get(user.id))
            if not is_away(times, now):
                continue
            reminder = reminder_for(user, learning[user.id].completed, user.id in assessed)
            if reminder is not None:
                reminders.append(reminder)
    return reminders


# -- digests -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberLine:
    """One member's line in a digest."""

    name: str
    #: how many modules they completed, ever
    completed: int
    last_activity: datetime | None
    #: the titles of the modules they completed in the span of the digest
    this_week: tuple[str, ...]


@dataclass(frozen=True)
class Digest:
    """A manager's digest of their company's members."""

    user_id: int
    membership_id: int
    email: str
    name: str
    locale: str
    company: str
    modules: int  # in the catalogue
    members: tuple[MemberLine, ...]

    @property
    def finishers(self) -> tuple[MemberLine, ...]:
        return tuple(line for line in self.members if line.this_week)


def completion_times(
    user_ids: Sequence[int], catalogue: Catalogue, completed: dict[int, frozenset[str]]
) -> dict[tuple[int, str], datetime]:
    """When each person completed each module of ``completed`` (theirs, by user id): the
    later of their last lesson completed and their first quiz passed (if it has a quiz),
    in two grouped queries."""
    lesson_ids = [lesson.id for lesson in catalogue.lessons]
    lessons = db.session.execute(
        select(LessonProgress.user_id, Lesson.module_id, func.max(LessonProgress.completed_at))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.user_id.in_(user_ids), LessonProgress.lesson_id.in_(lesson_ids))
        .group_by(LessonProgress.user_id, Lesson.module_id)
    )
    passed = dict(
        ((user_id, module_id), at)
        for user_id, module_id, at in db.session.execute(
            select(QuizAttempt.user_id, QuizAttempt.module_id, func.min(QuizAttempt.submitted_at))
            .where(QuizAttempt.user_id.in_(user_ids), QuizAttempt.passed.is_(True))
            .group_by(QuizAttempt.user_id, QuizAttempt.module_id)
        )
    )
    slugs = {module.id: module.slug for module in catalogue.modules}
    sizes = quiz_sizes()
    times = {}
    for user_id, module_id, last_lesson in lessons:
        slug = slugs.get(module_id)
        if slug is None or slug not in completed.get(user_id, ()) or last_lesson is None:
            continue
        quiz = passed.get((user_id, module_id)) if sizes.get(module_id) else None
        times[user_id, slug] = max(last_lesson, quiz) if quiz else last_lesson
    return times


def digest_for(membership: Membership, now: datetime) -> Digest:
    """The digest of the manager ``membership``'s company as of ``now``."""
    manager = membership.user
    assert manager is not None  # an active membership has its account
    locale = manager.locale or DEFAULT_LANGUAGE
    catalogue = get_catalogue(locale)
    team = [row for row in members(membership.company) if row.user is not None]
    ids = [row.user.id for row in team]
    learning = team_learning(ids, catalogue)
    times = completion_times(ids, catalogue, {i: learning[i].completed for i in ids})
    lines = []
    for row in team:
        person = learning[row.user.id]
        recent = [
            module.title
            for module in catalogue.modules
            if (when := times.get((row.user.id, module.slug))) and when > now - AWAY
        ]
        lines.append(
            MemberLine(row.user.name, len(person.completed), person.last_activity, tuple(recent))
        )
    return Digest(
        user_id=manager.id,
        membership_id=membership.id,
        email=manager.email,
        name=manager.name,
        locale=locale,
        company=membership.company.name,
        modules=len(catalogue.modules),
        members=tuple(lines),
    )


def due_digests(now: datetime, week: str) -> list[Digest]:
    """The digests to send in ``week``: to each active manager with a confirmed email who
    asked for it and got none this week."""
    managers = db.session.scalars(
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .options(joinedload(Membership.user))
        .where(
            Membership.state == "active",
            Membership.is_manager,
            Membership.digest,
            User.active,
            User.email_confirmed_at.is_not(None),
            User.id.not_in(_sent("digest", week)),
        )
        .order_by(Membership.id)
    ).all()
    return [digest_for(membership, now) for membership in managers]


# -- unsubscribing -------------------------------------------------------------------------


def _links() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="reminders-unsubscribe")


def unsubscribe_token(kind: str, target_id: int) -> str:
    """The token of the link that stops ``kind``: a reminder's names the user, a digest's
    the manager's membership. It does not expire: a message may be read long after."""
    assert kind in KINDS
    return _links().dumps([kind, target_id])


def unsubscribe_target(token: str) -> tuple[str, User | Membership] | None:
    """The kind and the account (reminder) or membership (digest) that ``token`` stops,
    if it is genuine."""
    try:
        kind, target_id = _links().loads(token)
        target_id = int(target_id)
    except (BadData, TypeError, ValueError):
        return None
    if kind not in KINDS or not 0 < target_id < 2**31:
        return None
    target = db.session.get(User if kind == "reminder" else Membership, target_id)
    if target is None or (isinstance(target, Membership) and target.user is None):
        return None
    return kind, target


def unsubscribe(target: User | Membership) -> None:
    """Stop the reminders of an account, or the digest of a membership."""
    if isinstance(target, User):
        target.reminders = False
    else:
        target.digest = False


def set_reminders(user: User, on: bool) -> None:
    user.reminders = on


def data_of(user: User) -> dict:
    """The person's reminder setting and the weekly messages sent to them, for their own
    download."""
    rows = db.session.execute(
        select(SentReminder.kind, SentReminder.week, SentReminder.sent_at)
        .where(SentReminder.user_id == user.id)
        .order_by(SentReminder.sent_at)
    )
    return {
        "reminders": user.reminders,
        "sent": [{"kind": kind, "week": week, "sent_at": at} for kind, week, at in rows],
    }
