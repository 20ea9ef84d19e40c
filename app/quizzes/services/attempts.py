"""A learner's attempts at a quiz: starting or resuming one, saving its answers, and
grading it once.

An attempt fixes, when it starts, the questions drawn, the version of each and the order
of their answers (its ``layout``), so that a reload shows the same page and an edit of a
question made meanwhile changes neither the attempt nor its grade. Its responses are
stored by question id in the language-neutral form of each kind (app.quizzes.kinds).
Grading marks every question in every language and keeps the best, so that a short
answer typed in the other language's words counts; each question's mark keeps the
answers it matched, which the review shows.
"""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from blinker import Namespace
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.db_types import utcnow
from app.errors import DomainError
from app.extensions import db
from app.quizzes import grading
from app.quizzes.kinds import Entry
from app.quizzes.models import QuizAttempt, QuizAttemptItem
from app.quizzes.pool import Pool, PoolQuestion, attempt_questions


class NoQuiz(DomainError):
    message = _l("This module has no quiz yet.")


class AttemptsExhausted(DomainError):
    message = _l("You have used all the attempts this quiz allows.")


class AlreadySubmitted(DomainError):
    message = _l("This attempt was already submitted; here is its result.")


def latest_attempt(user_id: int, module_id: int) -> QuizAttempt | None:
    stmt = (
        select(QuizAttempt)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.module_id == module_id)
        .order_by(QuizAttempt.number.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


@dataclass(frozen=True)
class OpenAttempt:
    """What the quiz page shows of an attempt in progress."""

    id: int
    number: int
    layout: list[Entry]
    responses: dict[str, Any]
    saved_at: datetime | None


# Built once: the quiz page runs it on every view.
_LAST = (
    select(
        QuizAttempt.id,
        QuizAttempt.number,
        QuizAttempt.layout,
        QuizAttempt.responses,
        QuizAttempt.saved_at,
        QuizAttempt.submitted_at,
    )
    .where(QuizAttempt.user_id == bindparam("user_id"), QuizAttempt.module_id == bindparam("m"))
    .order_by(QuizAttempt.number.desc())
    .limit(1)
)


def unfinished_attempt(user_id: int, module_id: int) -> OpenAttempt | None:
    """The learner's attempt in progress at the module's quiz, if there is one."""
    row = db.session.execute(_LAST, {"user_id": user_id, "m": module_id}).first()
    if row is None or row.submitted_at is not None:
        return None
    return OpenAttempt(row.id, row.number, row.layout, row.responses, row.saved_at)


def layout_for(pool: Pool, seed: int) -> list[Entry]:
    """The questions an attempt with ``seed`` shows, in pool order: ``pool.per_attempt``
    questions drawn at random (descriptions are always shown), each with its answers laid
    out by its kind."""
    drawn = set(grading.draw([q.id for q in pool.questions if q.scored], pool.per_attempt, seed))
    layout: list[Entry] = []
    for q in pool.questions:
        if q.scored and q.id not in drawn:
            continue
        order, choices = q.kind_class.layout(q.question, seed, pool.shuffle)
        layout.append({"id": q.id, "version": q.version_id, "order": order, "choices": choices})
    return layout


def start_or_resume(user_id: int, pool: Pool) -> QuizAttempt:
    """The learner's unfinished attempt at the quiz, or a new one with freshly drawn
    questions. Raises NoQuiz, or AttemptsExhausted when the last allowed attempt is used."""
    if not pool.size:
        raise NoQuiz()
    last = latest_attempt(user_id, pool.module_id)
    if last is not None and not last.submitted:
        return last
    number = (last.number if last else 0) + 1
    if pool.attempts and number > pool.attempts:
        raise AttemptsExhausted()
    seed = secrets.randbelow(2**31)
    attempt = QuizAttempt(
        user_id=user_id,
        module_id=pool.module_id,
        number=number,
        seed=seed,
        layout=layout_for(pool, seed),
        responses={},
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # the quiz opened in another tab at the same moment
        attempt = latest_attempt(user_id, pool.module_id)
    return attempt


def save_responses(attempt: QuizAttempt, responses: dict[str, Any]) -> None:
    """Keep the answers given so far. Raises AlreadySubmitted once the attempt is graded
    (the update only touches an attempt still open, whatever this session believes)."""
    now = utcnow()
    result = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(responses=responses, saved_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise AlreadySubmitted()
    db.session.expire(attempt)  # read again from the database if it is used again


def grade_response(versions: Sequence[PoolQuestion], stored: Any) -> grading.Grade:
    """Grade a response against the question in every language and keep the best grade
    (the first language wins a tie): a short answer typed in either language counts."""
    grades = [q.kind_class.grade(q.question, stored) for q in versions]
    return max(grades, key=lambda g: g.score)


def submit_attempt(
    attempt: QuizAttempt, responses: Mapping[str, Any], pools: Sequence[Pool]
) -> bool:
    """Grade the attempt once: False, changing nothing, when it was already submitted
    (a double click, the back button, a second tab). ``pools`` are the quiz in each
    language, the learner's first; each question is graded as the version the attempt
    was started with."""
    items, grades = [], []
    shown = attempt_questions(attempt.layout, pools)
    for position, entry in enumerate(attempt.layout):
        versions = [by_id[entry["id"]] for by_id in shown if entry["id"] in by_id]
        if not versions or not versions[0].scored:
            continue  # a description, or a question removed from the pool since
        stored = responses.get(str(entry["id"]))
        grade = grade_response(versions, stored)
        grades.append(grade)
        items.append(
            {
                "attempt_id": attempt.id,
                "question_id": entry["id"],
                "version_id": versions[0].version_id,
                "position": position,
                "score": grade.score,
                "graded": grade.graded,
                "matched": list(grade.matched),
                "response": stored,
            }
        )
    score = grading.percent(grades)
    # Only an attempt still open is graded: a second submission finds no row to change.
    result = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(
            responses=dict(responses),
            submitted_at=utcnow(),
            score=score,
            passed=score >= pools[0].pass_mark,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    if items:  # plain rows into the table: nothing in this request reads them back
        db.session.execute(insert(QuizAttemptItem.__table__), items)
    attempt_submitted.send(current_app._get_current_object(), user_id=attempt.user_id,
                           module_id=attempt.module_id)  # fmt: skip
    db.session.expire(attempt)
    return True


#: sent, with the ``user_id`` and ``module_id``, when an attempt has been graded
attempt_submitted = Namespace().signal("attempt-submitted")
