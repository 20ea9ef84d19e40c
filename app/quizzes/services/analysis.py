"""What trainers read of a quiz: Moodle's item analysis over each learner's first
attempt (app.quizzes.analysis computes it), and the learners' essays."""

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager

from app.content.models import Module
from app.extensions import db
from app.quizzes import analysis
from app.quizzes.kinds import KINDS
from app.quizzes.models import QuizAttempt, QuizAttemptItem, QuizQuestion
from app.quizzes.pool import Pool, PoolQuestion

NO_ANSWER = "-"


@dataclass(frozen=True)
class ItemReport:
    question: PoolQuestion
    stats: analysis.ItemStats
    #: (answer index, or None for "no answer or another answer", times counted)
    counts: tuple[tuple[int | None, int], ...]
    #: how many versions of the question the attempts counted were graded with: the marks
    #: of versions with other right answers are mixed in the figures
    versions: int = 1


def item_analysis(pool: Pool) -> tuple[int, list[ItemReport]]:
    """Moodle's item statistics over each learner's first submitted attempt: how many
    attempts there are, and a report per graded question, in pool order. Each answer a
    grade matched is counted; a question's kind says which answers are listed even when
    nobody chose them."""
    rows = db.session.execute(
        select(
            QuizAttemptItem.attempt_id,
            QuizAttemptItem.question_id,
            QuizAttemptItem.score,
            QuizAttemptItem.matched,
            QuizAttemptItem.version_id,
        )
        .join(QuizAttempt)
        .where(
            QuizAttempt.module_id == pool.module_id,
            QuizAttempt.number == 1,
            QuizAttempt.submitted_at.is_not(None),
            QuizAttemptItem.graded.is_(True),
        )
    )
    attempts: dict[int, dict[str, analysis.ItemResult]] = {}
    versions: dict[str, set[int | None]] = {}
    for attempt_id, question_id, score, matched, version_id in rows:
        question = pool.by_id.get(question_id)
        if question is None:
            continue
        versions.setdefault(question.title, set()).add(version_id)
        labels = tuple(str(i) for i in matched) or (NO_ANSWER,)
        attempts.setdefault(attempt_id, {})[question.title] = analysis.ItemResult(
            score, 1.0, labels
        )
    stats = {s.title: s for s in analysis.analyse(list(attempts.values()))}
    reports = []
    for question in pool.questions:
        found = stats.get(question.title)
        if found is None:
            continue
        counted = found.answer_counts
        listed = question.kind_class.listed_answers(question.question)
        labels = {*(str(i) for i in listed), *counted}
        counts = [
            (int(label) if label != NO_ANSWER else None, counted.get(label, 0)) for label in labels
        ]
        counts.sort(key=lambda pair: (pair[0] is None, pair[0] or 0))
        used = len(versions.get(question.title, ())) or 1
        reports.append(ItemReport(question, found, tuple(counts), used))
    return len(attempts), reports


@dataclass(frozen=True)
class Flagged:
    module_id: int
    question_id: int
    title: str
    stats: analysis.ItemStats


def flagged_questions() -> list[Flagged]:
    """Every question that item analysis flags, over each learner's first attempt, in
    course order: its figures summed in SQL (one statement, whatever the attempts)."""
    items = (
        select(QuizAttemptItem.attempt_id, QuizAttemptItem.question_id, QuizAttemptItem.score)
        .join(QuizAttempt)
        .where(QuizAttempt.number == 1, QuizAttempt.submitted_at.is_not(None),
               QuizAttemptItem.graded.is_(True))
        .cte("items")
    )  # fmt: skip
    totals = (
        select(items.c.attempt_id, func.sum(items.c.score).label("total"))
        .group_by(items.c.attempt_id)
        .cte("totals")
    )
    x, y = items.c.score, totals.c.total - items.c.score
    rows = db.session.execute(
        select(QuizQuestion.module_id, QuizQuestion.id, QuizQuestion.title, func.count(),
               func.sum(x), func.sum(y), func.sum(x * x), func.sum(y * y), func.sum(x * y))
        .select_from(items)
        .join(totals, totals.c.attempt_id == items.c.attempt_id)
        .join(QuizQuestion, QuizQuestion.id == items.c.question_id)
        .join(Module, Module.id == QuizQuestion.module_id)
        .where(QuizQuestion.position.is_not(None))  # retired questions are left alone
        .group_by(QuizQuestion.module_id, QuizQuestion.id, QuizQuestion.title,
                  Module.position, QuizQuestion.position)
        .having(func.count() >= analysis.ENOUGH_ATTEMPTS)
        .order_by(Module.position, QuizQuestion.position)
    )  # fmt: skip
    found = []
    for module_id, question_id, title, n, *sums in rows:
        stats = analysis.Sums(n, *(float(value) for value in sums)).stats(title)
        if stats.flags:
            found.append(Flagged(module_id, question_id, title, stats))
    return found


def list_essays(module_id: int) -> Select:
    """Answers waiting for a human reader (essays) in submitted attempts, newest first,
    with their learner (for db.paginate)."""
    return (
        select(QuizAttemptItem)
        .join(QuizAttemptItem.attempt)
        .join(QuizQuestion, QuizQuestion.id == QuizAttemptItem.question_id)
        .where(
            QuizQuestion.module_id == module_id,
            QuizQuestion.kind.in_([k.name for k in KINDS.values() if k.scored and not k.graded]),
            QuizAttempt.submitted_at.is_not(None),
            QuizAttemptItem.response.is_not(None),
        )
        .order_by(QuizAttempt.submitted_at.desc(), QuizAttemptItem.id)
        .options(contains_eager(QuizAttemptItem.attempt).joinedload(QuizAttempt.user))
    )
