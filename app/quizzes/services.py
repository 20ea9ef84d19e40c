"""Quizzes: the question pool from files or an upload, learners' attempts, results and
item analysis. Services flush; the caller commits once.

A saved response is stored on the attempt by question id in a language-neutral form:
an answer index for a single choice, a list of them for multiple response, true/false,
the typed text for short, numerical and essay questions, and ``{item index: answer
index of the chosen match}`` for matching. Indices are positions in the GIFT file, the
same in both languages.
"""

import hashlib
import secrets
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, Select, bindparam, case, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from app.content.catalogue import bump_version
from app.db_types import utcnow
from app.extensions import db
from app.quizzes import analysis, grading
from app.quizzes.models import (
    QuizAttempt,
    QuizAttemptItem,
    QuizFile,
    QuizQuestion,
    QuizQuestionTranslation,
)
from app.quizzes.pool import Pool, PoolQuestion
from app.quizzes.sources import PoolEntry, Quiz, QuizProblem, read_quiz

if TYPE_CHECKING:  # the content import calls import_quiz with its report
    from app.content.services import ImportReport

LANGUAGES = ("vi", "en")


class QuizError(Exception):
    """A quiz rule refused the action; ``message`` says why in the user's language."""

    message = _l("This quiz cannot be taken now.")


class NoQuiz(QuizError):
    message = _l("This module has no quiz yet.")


class AttemptsExhausted(QuizError):
    message = _l("You have used all the attempts this quiz allows.")


class AlreadySubmitted(QuizError):
    message = _l("This attempt was already submitted; here is its result.")


class QuizChanged(QuizError):
    message = _l(
        "The quiz was changed after your preview. Upload the files again to see the new "
        "differences."
    )


class InvalidQuiz(QuizError):
    message = _l("The files have problems; nothing was imported.")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- the pool as files ----------------------------------------------------------------


def quiz_texts(module_id: int) -> dict[str, str]:
    """The module's quiz files as the database holds them: {language: GIFT text}."""
    return export_sources([module_id]).get(module_id, {})


def export_sources(module_ids: Collection[int] | None = None) -> dict[int, dict[str, str]]:
    """Every quiz's files (or those of ``module_ids``): {module id: {language: text}}."""
    files = select(QuizFile)
    slices = (
        select(
            QuizQuestion.module_id, QuizQuestionTranslation.locale, QuizQuestionTranslation.source
        )
        .join(QuizQuestionTranslation)
        .order_by(QuizQuestion.module_id, QuizQuestion.position)
    )
    if module_ids is not None:
        files = files.where(QuizFile.module_id.in_(module_ids))
        slices = slices.where(QuizQuestion.module_id.in_(module_ids))
    texts: dict[int, dict[str, list[str]]] = {}
    for row in db.session.execute(slices):
        texts.setdefault(row.module_id, {}).setdefault(row.locale, []).append(row.source)
    trailers = {(f.module_id, f.locale): f.trailer for f in db.session.scalars(files)}
    for module_id, locale in trailers:
        texts.setdefault(module_id, {}).setdefault(locale, [])
    return {
        module_id: {
            lang: "".join(parts) + trailers.get((module_id, lang), "")
            for lang, parts in by_lang.items()
        }
        for module_id, by_lang in texts.items()
    }


@dataclass
class QuizChanges:
    """Question titles added, changed (text, kind or lesson), moved and removed."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.moved or self.removed)


def _existing(module_id: int) -> dict[str, QuizQuestion]:
    stmt = select(QuizQuestion).where(QuizQuestion.module_id == module_id)
    return {q.title: q for q in db.session.scalars(stmt)}


def compare(existing: Mapping[str, QuizQuestion], quiz: Quiz | None) -> QuizChanges:
    """What replacing the pool ``existing`` with ``quiz`` would change."""
    changes = QuizChanges()
    entries = quiz.entries if quiz else ()
    wanted = {entry.title for entry in entries}
    changes.removed = [title for title, q in existing.items() if title not in wanted]
    changes.removed.sort(key=lambda title: existing[title].position)
    for position, entry in enumerate(entries):
        question = existing.get(entry.title)
        if question is None:
            changes.added.append(entry.title)
        elif _differs(question, entry):
            changes.changed.append(entry.title)
        elif question.position != position:
            changes.moved.append(entry.title)
    return changes


def _differs(question: QuizQuestion, entry: PoolEntry) -> bool:
    return (
        question.kind != entry.kind
        or question.lesson_slug != entry.lesson
        or any(
            lang not in question.translations or question.translations[lang].source != source
            for lang, source in entry.sources.items()
        )
    )


def apply_quiz(
    module_id: int, quiz: Quiz | None, digests: Mapping[str, str | None] | None = None
) -> QuizChanges:
    """Make the module's pool hold ``quiz`` (None: no quiz). ``digests`` gives each
    language's imported digest to remember: the file's for a file import, None for a quiz
    that came from the browser (which the next file import treats as an edit); leave it
    out to keep the digests as they are."""
    existing = _existing(module_id)
    changes = compare(existing, quiz)
    entries = quiz.entries if quiz else ()
    for title in changes.removed:
        db.session.delete(existing.pop(title))
    # Move reordered questions out of the way first: (module, position) is unique.
    positions = {entry.title: n for n, entry in enumerate(entries)}
    moving = [q for t, q in existing.items() if q.position != positions[t]]
    for offset, question in enumerate(moving, start=1):
        question.position = -offset
    if changes.removed or moving:
        db.session.flush()
    for position, entry in enumerate(entries):
        question = existing.get(entry.title)
        if question is None:
            question = QuizQuestion(module_id=module_id, title=entry.title, position=position)
            db.session.add(question)
        question.position = position
        question.kind = entry.kind
        question.lesson_slug = entry.lesson
        for lang, source in entry.sources.items():
            text = question.translations.get(lang)
            if text is None:
                question.translations[lang] = QuizQuestionTranslation(locale=lang, source=source)
            elif text.source != source:
                text.source = source
    files = {
        f.locale: f for f in db.session.scalars(select(QuizFile).filter_by(module_id=module_id))
    }
    for lang in LANGUAGES:
        row = files.get(lang)
        if quiz is None:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = QuizFile(module_id=module_id, locale=lang, trailer="")
            db.session.add(row)
        if row.trailer != quiz.trailers.get(lang, ""):
            row.trailer = quiz.trailers.get(lang, "")
        if digests is not None and row.imported_digest != digests.get(lang):
            row.imported_digest = digests.get(lang)
    db.session.flush()
    return changes


def import_quiz(
    module_id: int,
    slug: str,
    texts: Mapping[str, str],
    lessons: Collection[str],
    report: "ImportReport",
    force: bool,
) -> None:
    """Load one module's quiz files during ``flask content import``: like lessons, a quiz
    changed in the browser since the last import is reported as a conflict and kept,
    unless ``force``. ``report`` is the content import's report, which this fills."""
    current = quiz_texts(module_id)
    name = f"quiz {slug}"
    files = {
        f.locale: f for f in db.session.scalars(select(QuizFile).filter_by(module_id=module_id))
    }
    if current == dict(texts):
        for lang, text in texts.items():  # the files now match an edit made in the browser
            if lang in files and files[lang].imported_digest != digest(text):
                files[lang].imported_digest = digest(text)
        return
    untouched = all(
        lang in files and files[lang].imported_digest == digest(text)
        for lang, text in current.items()
    )
    if current and not untouched and not force:
        report.conflicts.append(
            f"{name}: changed in the browser since the last import; not overwritten "
            "(import with --force to replace it)"
        )
        return
    quiz = _read(texts, lessons) if texts else None
    changes = apply_quiz(module_id, quiz, {k: digest(v) for k, v in texts.items()})
    counts = ", ".join(
        f"{len(titles)} {what}"
        for what, titles in (
            ("added", changes.added),
            ("changed", changes.changed),
            ("removed", changes.removed),
        )
    )
    if not current:
        report.created.append(f"{name} ({len(quiz.entries) if quiz else 0} questions)")
    elif quiz is None:
        report.removed.append(name)
    else:
        report.updated.append(f"{name} ({counts})")


def _read(texts: Mapping[str, str], lessons: Collection[str]) -> Quiz:
    quiz, problems = read_quiz(texts, lessons, LANGUAGES)
    if quiz is None:
        raise InvalidQuiz(problems)
    return quiz


@dataclass(frozen=True)
class ImportPreview:
    """What importing uploaded files would do, or why it cannot."""

    problems: list[QuizProblem]
    changes: QuizChanges
    entries: tuple[PoolEntry, ...]
    #: digest of the quiz as it is now; the confirmation checks it has not changed
    state: str


def current_state(module_id: int) -> str:
    texts = quiz_texts(module_id)
    return digest("\x1e".join(texts.get(lang, "") for lang in LANGUAGES))


def preview_import(
    module_id: int, texts: Mapping[str, str], lessons: Collection[str]
) -> ImportPreview:
    """Check uploaded files and compare them with the pool; change nothing."""
    quiz, problems = read_quiz(texts, lessons, LANGUAGES)
    changes = compare(_existing(module_id), quiz) if quiz else QuizChanges()
    return ImportPreview(problems, changes, quiz.entries if quiz else (), current_state(module_id))


def confirm_import(
    module_id: int, texts: Mapping[str, str], lessons: Collection[str], state: str
) -> QuizChanges:
    """Replace the pool with the previewed files, if the pool has not changed since the
    preview (``state``); the next file import will not overwrite this without --force."""
    before = quiz_texts(module_id)
    if current_state(module_id) != state:
        raise QuizChanged()
    edited = before != dict(texts)
    changes = apply_quiz(
        module_id, _read(texts, lessons), dict.fromkeys(LANGUAGES) if edited else None
    )
    if edited:
        bump_version()
    db.session.flush()
    return changes


# --- attempts -------------------------------------------------------------------------


def latest_attempt(user_id: int, module_id: int) -> QuizAttempt | None:
    stmt = (
        select(QuizAttempt)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.module_id == module_id)
        .order_by(QuizAttempt.number.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


def layout_for(pool: Pool, seed: int) -> list[dict[str, Any]]:
    """The questions an attempt with ``seed`` shows, and the order of their answers:
    ``pool.per_attempt`` questions drawn at random (descriptions are always shown), in pool
    order; answers shuffled when the quiz says so; the match texts of a matching question
    always shuffled (in file order they would give the answer away)."""
    scored = [q.id for q in pool.questions if q.scored]
    drawn = set(grading.draw(scored, pool.per_attempt, seed))
    layout = []
    for q in pool.questions:
        if q.scored and q.id not in drawn:
            continue
        answers = q.question.answers
        if pool.shuffle:
            order = list(grading.answer_order(q.question, seed))
        elif q.kind == "matching":
            order = [i for i, a in enumerate(answers) if a.text]
        else:
            order = list(range(len(answers)))
        choices: list[int] = []
        if q.kind == "matching":
            first: dict[str | None, int] = {}
            for i, a in enumerate(answers):
                first.setdefault(a.match, i)
            choices = grading.shuffled(list(first.values()), f"{seed}:{q.title}:matches")
        layout.append({"id": q.id, "order": order, "choices": choices})
    return layout


# Table columns rather than mapped attributes: the quiz page runs this on every view, and
# a Core statement skips the ORM's compile and result bookkeeping.
_attempts = QuizAttempt.__table__.c
_UNFINISHED = (
    select(
        _attempts.id,
        _attempts.number,
        _attempts.layout,
        _attempts.responses,
        _attempts.saved_at,
        _attempts.submitted_at,
    )
    .where(_attempts.user_id == bindparam("user_id"), _attempts.module_id == bindparam("module_id"))
    .order_by(_attempts.number.desc())
    .limit(1)
)


def unfinished_attempt(user_id: int, module_id: int) -> Row | None:
    """What the quiz page shows of the learner's unfinished attempt (id, number, layout,
    responses, saved_at), read as one row without building an object; None if there is
    none."""
    row = db.session.execute(_UNFINISHED, {"user_id": user_id, "module_id": module_id}).first()
    return row if row is not None and row.submitted_at is None else None


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
    """Keep the answers given so far. Raises AlreadySubmitted once the attempt is graded."""
    now = utcnow()
    result = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(responses=responses, saved_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise AlreadySubmitted()
    set_committed_value(attempt, "responses", responses)
    set_committed_value(attempt, "saved_at", now)


def to_grading(question: PoolQuestion, stored: Any) -> grading.Response:
    """A stored response in the shape app.quizzes.grading expects."""
    if stored is None:
        return None
    if question.kind == "multi":
        return set(stored) if isinstance(stored, list) else None
    if question.kind == "matching":
        if not isinstance(stored, dict):
            return None
        answers = question.question.answers
        return {
            int(item): answers[choice].match or ""
            for item, choice in stored.items()
            if item.isdigit() and isinstance(choice, int) and 0 <= choice < len(answers)
        }
    return stored


def grade_response(versions: Sequence[PoolQuestion], stored: Any) -> grading.Grade:
    """Grade a response against the question in every language and keep the best grade
    (the first language wins a tie): a short answer typed in either language counts."""
    grades = [grading.grade(q.question, to_grading(q, stored)) for q in versions]
    return max(grades, key=lambda g: g.score)


# Built once, on the table: grades the attempt only if it is still open, so that a second
# submission changes nothing (its rowcount is 0).
_SUBMIT = (
    update(QuizAttempt.__table__)
    .where(_attempts.id == bindparam("attempt_id"), _attempts.submitted_at.is_(None))
    .values(
        responses=bindparam("new_responses"),
        submitted_at=bindparam("now"),
        score=bindparam("new_score"),
        passed=bindparam("new_passed"),
    )
)


def submit_attempt(attempt: QuizAttempt, responses: dict[str, Any], pools: Sequence[Pool]) -> bool:
    """Grade the attempt once: False, changing nothing, when it was already submitted
    (a double click, the back button, a second tab). ``pools`` are the quiz in each
    language, the learner's first."""
    items, grades = [], []
    for position, entry in enumerate(attempt.layout):
        versions = [p.by_id[entry["id"]] for p in pools if entry["id"] in p.by_id]
        if not versions or not versions[0].scored:
            continue  # a description, or a question removed from the pool since
        stored = responses.get(str(entry["id"]))
        grade = grade_response(versions, stored)
        grades.append(grade)
        items.append(
            {
                "attempt_id": attempt.id,
                "question_id": entry["id"],
                "position": position,
                "score": grade.score,
                "graded": grade.graded,
                "chosen": list(grade.matched),
                "response": stored,
            }
        )
    score = grading.percent(grades)
    passed = score >= pools[0].pass_mark
    now = utcnow()
    result = db.session.execute(
        _SUBMIT,
        {
            "attempt_id": attempt.id,
            "new_responses": responses,
            "now": now,
            "new_score": score,
            "new_passed": passed,
        },
    )
    if result.rowcount != 1:
        return False
    if items:  # one executemany on the table: no objects, no ORM bookkeeping
        db.session.execute(insert(QuizAttemptItem.__table__), items)
    for name, value in (
        ("responses", responses),
        ("submitted_at", now),
        ("score", score),
        ("passed", passed),
    ):
        set_committed_value(attempt, name, value)
    db.session.flush()
    return True


# --- results --------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizResult:
    """A learner's submitted attempts at one quiz."""

    attempts: int
    best: float
    passed: bool


def list_results(user_id: int) -> dict[int, QuizResult]:
    """The learner's quiz results by module id (one grouped query)."""
    stmt = (
        select(
            QuizAttempt.module_id,
            func.count(),
            func.max(QuizAttempt.score),
            func.max(case((QuizAttempt.passed, 1), else_=0)),
        )
        .where(QuizAttempt.user_id == user_id, QuizAttempt.submitted_at.is_not(None))
        .group_by(QuizAttempt.module_id)
    )
    return {
        module_id: QuizResult(count, best, bool(passed))
        for module_id, count, best, passed in db.session.execute(stmt)
    }


@dataclass(frozen=True)
class QuizSummary:
    """Where the learner stands with one quiz: for the module page."""

    used: int  # attempts submitted
    unfinished: int | None  # the id of the attempt in progress
    best: float | None
    passed: bool
    last: int | None  # the id of the last submitted attempt


def get_summary(user_id: int, module_id: int) -> QuizSummary:
    rows = db.session.execute(
        select(QuizAttempt.id, QuizAttempt.submitted_at, QuizAttempt.score, QuizAttempt.passed)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.module_id == module_id)
        .order_by(QuizAttempt.number)
    ).all()
    done = [row for row in rows if row.submitted_at is not None]
    return QuizSummary(
        used=len(done),
        unfinished=next((row.id for row in rows if row.submitted_at is None), None),
        best=max((row.score for row in done), default=None),
        passed=any(row.passed for row in done),
        last=done[-1].id if done else None,
    )


@dataclass(frozen=True)
class ModuleStatus:
    """A module's quiz for one learner, and whether the module counts as completed: all
    its lessons completed and its quiz, if it has one, passed."""

    has_quiz: bool
    lessons_done: bool
    result: QuizResult | None = None

    @property
    def completed(self) -> bool:
        passed = self.result is not None and self.result.passed
        return self.lessons_done and (passed or not self.has_quiz)


def module_statuses(
    user_id: int, lessons_done: Mapping[int, bool], sizes: Mapping[int, int]
) -> dict[int, ModuleStatus]:
    """Each module's status, from whether its lessons are all done (by module id) and the
    size of each quiz (app.quizzes.pool.quiz_sizes): one query for the results."""
    results = list_results(user_id)
    return {
        module_id: ModuleStatus(bool(sizes.get(module_id)), done, results.get(module_id))
        for module_id, done in lessons_done.items()
    }


def attempts_left(pool: Pool, used: int) -> int | None:
    """Attempts the learner may still start; None when unlimited."""
    return None if not pool.attempts else max(0, pool.attempts - used)


@dataclass(frozen=True)
class ReviewItem:
    """One question of a submitted attempt as its result page shows it."""

    number: int | None  # None for a description
    question: PoolQuestion | None  # None when removed from the pool since
    stored: Any  # the response as stored
    response: grading.Response  # the same, as the grader reads it
    grade: grading.Grade | None
    score: float | None  # as recorded at submission (0 to 1)
    right: tuple[int, ...]  # indices of the answers to show as right

    @property
    def outcome(self) -> str:
        """ "right", "partly", "wrong", "ungraded" or "none" (description, removed)."""
        if self.question is None or not self.question.scored:
            return "none"
        if not self.question.graded:
            return "ungraded"
        if self.score is not None and self.score >= 1 - 1e-9:
            return "right"
        return "partly" if self.score else "wrong"


def review(attempt: QuizAttempt, pool: Pool) -> list[ReviewItem]:
    """Each question of a submitted attempt in the pool's language, with the learner's
    answer, the mark recorded and the grade that explains it."""
    scores = {item.question_id: item.score for item in attempt.items}
    items, number = [], 0
    for entry in attempt.layout:
        question = pool.by_id.get(entry["id"])
        stored = attempt.responses.get(str(entry["id"]))
        if question is None or not question.scored:
            items.append(ReviewItem(None, question, stored, None, None, None, ()))
            continue
        number += 1
        response = to_grading(question, stored)
        items.append(
            ReviewItem(
                number=number,
                question=question,
                stored=stored,
                response=response,
                grade=grading.grade(question.question, response),
                score=scores.get(entry["id"]),
                right=grading.right_answers(question.question),
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


# --- item analysis --------------------------------------------------------------------


@dataclass(frozen=True)
class ItemReport:
    question: PoolQuestion
    stats: analysis.ItemStats
    #: (answer index or None for "no answer or another answer", times chosen)
    counts: tuple[tuple[int | None, int], ...]


NO_ANSWER = "-"
CHOICE_KINDS = ("single", "multi", "truefalse")


def item_analysis(pool: Pool) -> tuple[int, list[ItemReport]]:
    """Moodle's item statistics over each learner's first submitted attempt: how many
    attempts there are, and a report per graded question, in pool order."""
    rows = db.session.execute(
        select(
            QuizAttemptItem.attempt_id,
            QuizAttemptItem.question_id,
            QuizAttemptItem.score,
            QuizAttemptItem.chosen,
        )
        .join(QuizAttempt)
        .where(
            QuizAttempt.module_id == pool.module_id,
            QuizAttempt.number == 1,
            QuizAttempt.submitted_at.is_not(None),
            QuizAttemptItem.graded.is_(True),
        )
    ).all()
    attempts: dict[int, dict[str, analysis.ItemResult]] = {}
    for row in rows:
        question = pool.by_id.get(row.question_id)
        if question is None:
            continue
        labels = tuple(str(i) for i in row.chosen) or (NO_ANSWER,)
        attempts.setdefault(row.attempt_id, {})[question.title] = analysis.ItemResult(
            row.score, 1.0, labels
        )
    stats = {s.title: s for s in analysis.analyse(list(attempts.values()))}
    reports = []
    for question in pool.questions:
        found = stats.get(question.title)
        if found is None:
            continue
        chosen = found.answer_counts
        # Every answer of a choice question is listed, the ones nobody chose too.
        listed = range(len(question.question.answers)) if question.kind in CHOICE_KINDS else ()
        labels = {*(str(i) for i in listed), *chosen}
        counts = [
            (int(label) if label != NO_ANSWER else None, chosen.get(label, 0)) for label in labels
        ]
        counts.sort(key=lambda pair: (pair[0] is None, pair[0] or 0))
        reports.append(ItemReport(question, found, tuple(counts)))
    return len(attempts), reports


def list_essays(module_id: int) -> Select:
    """Essay answers in submitted attempts, newest first, with their learner (for
    db.paginate)."""
    return (
        select(QuizAttemptItem)
        .join(QuizAttemptItem.attempt)
        .join(QuizQuestion, QuizQuestion.id == QuizAttemptItem.question_id)
        .where(
            QuizQuestion.module_id == module_id,
            QuizQuestion.kind == "essay",
            QuizAttempt.submitted_at.is_not(None),
            QuizAttemptItem.response.is_not(None),
        )
        .order_by(QuizAttempt.submitted_at.desc(), QuizAttemptItem.id)
        .options(contains_eager(QuizAttemptItem.attempt).joinedload(QuizAttempt.user))
    )
