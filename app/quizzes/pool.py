"""A module's question pool as pages need it: parsed, with its texts as the safe HTML
rendered when they were imported, kept by each worker per content version and language
(app.cache), so that showing or grading a quiz parses no GIFT and renders nothing.

The pool holds each question's current version. An attempt keeps the versions it was
started with (app.quizzes.kinds.Entry); ``attempt_questions`` gives its questions as those
versions read, loading the ones the pool no longer holds in one query.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import func, select

from app.cache import cached
from app.content.models import Module
from app.extensions import db
from app.quizzes import gift
from app.quizzes.kinds import KINDS, Entry, QuestionKind
from app.quizzes.models import (
    QuizQuestion,
    QuizQuestionTranslation,
    QuizQuestionVersion,
    QuizQuestionVersionText,
)
from app.quizzes.rendering import RenderedQuestion, render_question


@dataclass(frozen=True)
class PoolQuestion:
    """One question in one language, with every text already rendered."""

    id: int
    version_id: int  # the QuizQuestionVersion it reads as
    title: str
    kind: str
    kind_class: QuestionKind
    lesson_slug: str | None
    question: gift.Question
    text_html: str  # a missing-word question shows BLANK where the answer goes
    answers_html: tuple[str, ...]  # answer texts; for matching, the items
    matches_html: tuple[str, ...]  # matching only: each answer's match text
    matches_option: tuple[str, ...]  # the same as plain text, for a <select>
    feedback_html: tuple[str, ...]  # each answer's feedback
    general_feedback_html: str

    @property
    def scored(self) -> bool:
        return self.kind_class.scored

    @property
    def field_name(self) -> str:
        """The name of its input on the quiz page (a matching item adds "-n")."""
        return f"q{self.id}"


@dataclass(frozen=True)
class QuizRules:
    """What a learner is told of a quiz before taking it."""

    per_attempt: int  # questions in an attempt
    pass_mark: int
    attempts: int  # allowed, 0 = unlimited


@dataclass(frozen=True)
class Pool:
    """A module's quiz settings and questions in one language."""

    module_id: int
    slug: str
    locale: str
    pass_mark: int
    draw: int  # questions drawn per attempt, 0 = all
    attempts: int  # attempts allowed, 0 = unlimited
    shuffle: bool
    #: when the review shows the right answers (app.content.files.REVEAL)
    answers: str = "after-attempt"
    questions: tuple[PoolQuestion, ...] = ()
    by_id: dict[int, PoolQuestion] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Questions that can be drawn (descriptions are always shown)."""
        return sum(q.scored for q in self.questions)

    @property
    def per_attempt(self) -> int:
        return min(self.draw, self.size) if self.draw else self.size

    @property
    def rules(self) -> QuizRules:
        return QuizRules(self.per_attempt, self.pass_mark, self.attempts)


def _pool_question(row, question: gift.Question | None = None) -> PoolQuestion:
    html = RenderedQuestion(**row.rendered)
    return PoolQuestion(
        id=row.id,
        version_id=row.version_id,
        title=row.title,
        kind=row.kind,
        kind_class=KINDS[row.kind],
        lesson_slug=row.lesson_slug,
        question=question or gift.parse(row.source)[0],
        text_html=html.text,
        answers_html=tuple(html.answers),
        matches_html=tuple(html.matches),
        matches_option=tuple(Markup(m).striptags() for m in html.matches),  # noqa: S704 - sanitised
        feedback_html=tuple(html.feedback),
        general_feedback_html=html.general_feedback,
    )


@dataclass(frozen=True)
class _Preview:
    """A question not stored yet, in the shape of a pool row."""

    id: int
    version_id: int
    title: str
    kind: str
    lesson_slug: str | None
    source: str
    rendered: dict


def preview_question(question: gift.Question, question_id: int = 0) -> PoolQuestion:
    """A question as the quiz page would show it, rendered as it would be stored, for the
    studio's preview."""
    rendered = render_question(question).stored()
    row = _Preview(question_id, 0, question.title, question.kind, question.category or None,
                   "", rendered)  # fmt: skip
    return _pool_question(row, question)


def _load(module_id: int, locale: str) -> Pool | None:
    module = db.session.execute(
        select(
            Module.slug,
            Module.pass_mark,
            Module.quiz_questions,
            Module.quiz_attempts,
            Module.quiz_shuffle,
            Module.quiz_answers,
        ).where(Module.id == module_id)
    ).one_or_none()
    if module is None:
        return None
    rows = db.session.execute(
        select(
            QuizQuestion.id,
            QuizQuestionVersion.id.label("version_id"),
            QuizQuestion.title,
            QuizQuestion.kind,
            QuizQuestion.lesson_slug,
            QuizQuestionTranslation.source,
            QuizQuestionTranslation.rendered,
        )
        .join(QuizQuestionTranslation)
        .join(
            QuizQuestionVersion,
            (QuizQuestionVersion.question_id == QuizQuestion.id)
            & (QuizQuestionVersion.number == QuizQuestion.version),
        )
        .where(
            QuizQuestion.module_id == module_id,
            QuizQuestion.position.is_not(None),
            QuizQuestionTranslation.locale == locale,
        )
        .order_by(QuizQuestion.position)
    ).all()
    questions = tuple(_pool_question(row) for row in rows)
    return Pool(
        module_id=module_id,
        slug=module.slug,
        locale=locale,
        pass_mark=module.pass_mark,
        draw=module.quiz_questions,
        attempts=module.quiz_attempts,
        shuffle=module.quiz_shuffle,
        answers=module.quiz_answers,
        questions=questions,
        by_id={q.id: q for q in questions},
    )


def get_pool(module_id: int, locale: str) -> Pool | None:
    """The module's pool in ``locale``; None if there is no such module. A module without
    a quiz has a pool without questions."""
    return cached(("pool", module_id, locale), lambda: _load(module_id, locale))


def quiz_sizes() -> dict[int, int]:
    """How many questions each module's pool holds (modules with a quiz only)."""

    def count() -> dict[int, int]:
        rows = db.session.execute(
            select(QuizQuestion.module_id, func.count())
            .where(
                QuizQuestion.kind.in_([k.name for k in KINDS.values() if k.scored]),
                QuizQuestion.position.is_not(None),
            )
            .group_by(QuizQuestion.module_id)
        )
        return {module_id: count for module_id, count in rows}

    return cached("quiz-sizes", count)


def attempt_questions(
    layout: Sequence[Entry], pools: Sequence[Pool]
) -> list[dict[int, PoolQuestion]]:
    """The questions of an attempt laid out as ``layout``, by question id, in the language
    of each pool: each as the version the attempt was started with. The pool's question
    serves where it is still that version (and for an attempt from before versions were
    kept); the others are loaded in one query. A question whose version is gone (removed
    from the quiz by a file import) is left out."""
    found: list[dict[int, PoolQuestion]] = [{} for _pool in pools]
    missing: dict[int, int] = {}  # version id -> question id
    for entry in layout:
        version = entry.get("version")
        for n, pool in enumerate(pools):
            current = pool.by_id.get(entry["id"])
            if current is not None and version in (None, current.version_id):
                found[n][entry["id"]] = current
            elif version is not None:
                missing[version] = entry["id"]
    if missing:
        older = _versions(list(missing), [pool.locale for pool in pools])
        for entry in layout:
            for n, pool in enumerate(pools):
                question = older.get((entry.get("version"), pool.locale))
                if entry["id"] not in found[n] and question is not None:
                    found[n][entry["id"]] = question
    return found


def _versions(version_ids: list[int], locales: list[str]) -> dict[tuple[int, str], PoolQuestion]:
    rows = db.session.execute(
        select(
            QuizQuestionVersion.question_id.label("id"),
            QuizQuestionVersion.id.label("version_id"),
            QuizQuestion.title,
            QuizQuestionVersion.kind,
            QuizQuestionVersion.lesson_slug,
            QuizQuestionVersionText.source,
            QuizQuestionVersionText.rendered,
            QuizQuestionVersionText.locale,
        )
        .join(QuizQuestionVersionText)
        .join(QuizQuestion, QuizQuestion.id == QuizQuestionVersion.question_id)
        .where(QuizQuestionVersion.id.in_(version_ids), QuizQuestionVersionText.locale.in_(locales))
    )
    return {(row.version_id, row.locale): _pool_question(row) for row in rows}
