"""A learner's quiz results, and the review of a submitted attempt: each question with
the learner's answer, the right one and the explanations, as it was graded (the question
as the version the attempt used read, whatever was edited since)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, case, func, select

from app.content.models import Module
from app.extensions import db
from app.quizzes.kinds import Entry
from app.quizzes.models import QuizAttempt
from app.quizzes.pool import Pool, PoolQuestion, attempt_questions


@dataclass(frozen=True)
class QuizResult:
    """A learner's submitted attempts at one quiz."""

    attempts: int
    best: float
    passed: bool


# Built once: the home and progress pages run it on every view.
_RESULTS = (
    select(
        QuizAttempt.module_id,
        func.count(),
        func.max(QuizAttempt.score),
        func.max(case((QuizAttempt.passed, 1), else_=0)),
    )
    .where(QuizAttempt.user_id == bindparam("user_id"), QuizAttempt.submitted_at.is_not(None))
    .group_by(QuizAttempt.module_id)
)


def list_results(user_id: int) -> dict[int, QuizResult]:
    """The learner's quiz results by module id (one grouped query)."""
    return {
        module_id: QuizResult(count, best, bool(passed))
        for module_id, count, best, passed in db.session.execute(_RESULTS, {"user_id": user_id})
    }


@dataclass(frozen=True)
class QuizSummary:
    """Where the learner stands with one quiz: for the module page."""

    used: int  # attempts submitted
    unfinished: int | None  # the id of the attempt in progress
    best: float | None
    passed: bool
    last: int | None  # the id of the last submitted attempt


# Built once: the module page runs it on every view.
_ATTEMPTS = (
    select(QuizAttempt.id, QuizAttempt.submitted_at, QuizAttempt.score, QuizAttempt.passed)
    .where(QuizAttempt.user_id == bindparam("user_id"), QuizAttempt.module_id == bindparam("m"))
    .order_by(QuizAttempt.number)
)


def get_summary(user_id: int, module_id: int) -> QuizSummary:
    attempts = db.session.execute(_ATTEMPTS, {"user_id": user_id, "m": module_id}).all()
    done = [(id_, score, passed) for id_, submitted_at, score, passed in attempts if submitted_at]
    return QuizSummary(
        used=len(done),
        unfinished=next((id_ for id_, submitted_at, *_ in attempts if not submitted_at), None),
        best=max((score for _id, score, _passed in done), default=None),
        passed=any(passed for *_, passed in done),
        last=done[-1][0] if done else None,
    )


def attempts_left(pool: Pool, used: int) -> int | None:
    """Attempts the learner may still start; None when unlimited."""
    return None if not pool.attempts else max(0, pool.attempts - used)


def answers_shown(pool: Pool, passed: bool, left: int | None) -> bool:
    """Whether a learner's review shows the right answers and the explanations, by the
    quiz's setting: after each attempt, once passed, or once passed or out of attempts."""
    if pool.answers == "once-passed":
        return passed
    if pool.answers == "after-last-attempt":
        return passed or left == 0
    return True


@dataclass(frozen=True)
class ReviewItem:
    """One question of a submitted attempt as its result page shows it: what was stored
    when it was graded, and the question as its version then read, in the page's
    language."""

    number: int | None  # None for a description
    question: PoolQuestion | None  # None when removed from the pool since
    stored: Any  # the response as stored
    score: float | None  # 0 to 1, as recorded
    matched: tuple[int, ...]  # the answers the grading matched: their feedback applies
    right: tuple[int, ...]  # the answers to show as right

    @property
    def outcome(self) -> str:
        """ "right", "partly", "wrong", "ungraded" or "none" (description, removed)."""
        if self.question is None or not self.question.scored:
            return "none"
        if not self.question.kind_class.graded:
            return "ungraded"
        if self.score is not None and self.score >= 1 - 1e-9:
            return "right"
        return "partly" if self.score else "wrong"

    @property
    def feedback_html(self) -> list[str]:
        """The explanations that apply: the matched answers' feedback, then the
        question's own."""
        if self.question is None:
            return []
        own = [self.question.feedback_html[i] for i in self.matched]
        return [html for html in [*own, self.question.general_feedback_html] if html]


def review(attempt: QuizAttempt, pool: Pool) -> list[ReviewItem]:
    """Each question of a submitted attempt in the pool's language, with the learner's
    answer and the mark and matched answers recorded when it was graded, each question
    as the version it was graded with read."""
    marks = {item.question_id: item for item in attempt.items}
    layout: list[Entry] = []
    for entry in attempt.layout:  # an attempt from before versions: its marks have them
        version = entry.get("version") or getattr(marks.get(entry["id"]), "version_id", None)
        layout.append({**entry, "version": version} if version else entry)
    questions = attempt_questions(layout, [pool])[0]
    items, number = [], 0
    for entry in attempt.layout:
        question = questions.get(entry["id"])
        mark = marks.get(entry["id"])
        stored = attempt.responses.get(str(entry["id"]))
        if question is None or not question.scored:
            items.append(ReviewItem(None, question, stored, None, (), ()))
            continue
        number += 1
        size = len(question.question.answers)
        items.append(
            ReviewItem(
                number=number,
                question=question,
                stored=stored,
                score=mark.score if mark else None,
                matched=tuple(i for i in (mark.matched if mark else ()) if 0 <= i < size),
                right=question.kind_class.right_answers(question.question),
            )
        )
    return items


def lessons_to_review(items: Sequence[ReviewItem]) -> list[str | None]:
    """The lessons (slugs; None for the module as a whole) that the questions the learner
    missed come from, in the order first met."""
    missed = [
        item.question.lesson_slug
        for item in items
        if item.question is not None and item.outcome in ("wrong", "partly")
    ]
    return list(dict.fromkeys(missed))


def data_of(user_id: int) -> list[dict]:
    """The person's quiz attempts and what they answered, for their own download."""
    rows = db.session.execute(
        select(QuizAttempt, Module.slug)
        .join(Module, Module.id == QuizAttempt.module_id)
        .where(QuizAttempt.user_id == user_id)
        .order_by(QuizAttempt.started_at, QuizAttempt.id)
    )
    return [
        {
            "module": slug,
            "number": attempt.number,
            "started_at": attempt.started_at,
            "submitted_at": attempt.submitted_at,
            "score": attempt.score,
            "passed": attempt.passed,
            "responses": attempt.responses,
        }
        for attempt, slug in rows
    ]
