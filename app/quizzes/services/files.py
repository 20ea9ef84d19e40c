"""A module's question pool as GIFT files: export it, import it from the course files or
from a trainer's upload, and preview what an upload would change.

A question keeps the exact GIFT text it came from in each language (its source slice,
app.quizzes.sources), so that the files come back byte for byte. Like a lesson, a quiz
remembers the digest of what was last imported from the files: a file import never
silently overwrites a quiz changed in the browser since then. Each question added or
changed gets a new version (app.quizzes.services.versions); a question unchanged, none.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.cache import bump_version
from app.content.services import course_changed
from app.errors import DomainError
from app.extensions import db
from app.languages import LANGUAGES
from app.quizzes.models import QuizFile, QuizQuestion, QuizQuestionTranslation
from app.quizzes.rendering import render_question
from app.quizzes.services.versions import record_version
from app.quizzes.sources import PoolEntry, Quiz, QuizProblem, join, read_quiz
from app.text import digest


class QuizChanged(DomainError):
    message = _l(
        "The quiz was changed after your preview. Upload the files again to see the new "
        "differences."
    )


class InvalidQuiz(DomainError):
    message = _l("The files have problems; nothing was imported.")


def export_sources(module_ids: Collection[int] | None = None) -> dict[int, dict[str, str]]:
    """Every quiz's files (or those of ``module_ids``): {module id: {language: text}}."""
    files = select(QuizFile)
    slices = (
        select(
            QuizQuestion.module_id, QuizQuestionTranslation.locale, QuizQuestionTranslation.source
        )
        .join(QuizQuestionTranslation)
        .where(QuizQuestion.position.is_not(None))
        .order_by(QuizQuestion.module_id, QuizQuestion.position)
    )
    if module_ids is not None:
        files = files.where(QuizFile.module_id.in_(module_ids))
        slices = slices.where(QuizQuestion.module_id.in_(module_ids))
    texts: dict[int, dict[str, list[str]]] = {}
    for module_id, locale, source in db.session.execute(slices):
        texts.setdefault(module_id, {}).setdefault(locale, []).append(source)
    trailers = {(f.module_id, f.locale): f.trailer for f in db.session.scalars(files)}
    for module_id, locale in trailers:
        texts.setdefault(module_id, {}).setdefault(locale, [])
    return {
        module_id: {
            lang: join(parts, trailers.get((module_id, lang), ""))
            for lang, parts in by_lang.items()
        }
        for module_id, by_lang in texts.items()
    }


def quiz_texts(module_id: int) -> dict[str, str]:
    """The module's quiz files as the database holds them: {language: GIFT text}."""
    return export_sources([module_id]).get(module_id, {})


def stored_texts(quiz: Quiz) -> dict[str, str]:
    """The files as they are once ``quiz`` is stored (without questions left out)."""
    return {
        lang: join([entry.sources[lang] for entry in quiz.entries], trailer)
        for lang, trailer in quiz.trailers.items()
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
    """The module's questions by title, those retired from the pool too."""
    stmt = select(QuizQuestion).where(QuizQuestion.module_id == module_id)
    return {q.title: q for q in db.session.scalars(stmt)}


def compare(existing: Mapping[str, QuizQuestion], quiz: Quiz | None) -> QuizChanges:
    """What replacing the pool ``existing`` with ``quiz`` would change. A retired question
    is not in the pool: the files leave it retired, or bring it back (added)."""
    changes = QuizChanges()
    entries = quiz.entries if quiz else ()
    wanted = {entry.title for entry in entries}
    changes.removed = [t for t, q in existing.items() if t not in wanted and not q.retired]
    changes.removed.sort(key=lambda title: existing[title].position or 0)
    for position, entry in enumerate(entries):
        question = existing.get(entry.title)
        if question is None or question.retired:
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
    module_id: int,
    quiz: Quiz | None,
    digests: Mapping[str, str | None] | None = None,
    author_id: int | None = None,
) -> QuizChanges:
    """Make the module's pool hold ``quiz`` (None: no quiz). ``digests`` gives each
    language's imported digest to remember: the stored file's for a file import, None for
    a quiz that came from the browser (which the next file import treats as an edit);
    leave it out to keep the digests as they are. The questions added or changed get a
    new version by ``author_id`` (None for a file import)."""
    existing = _existing(module_id)
    changes = compare(existing, quiz)
    entries = quiz.entries if quiz else ()
    for title in changes.removed:
        db.session.delete(existing.pop(title))
    # Move reordered questions out of the way first: (module, position) is unique.
    positions = {entry.title: n for n, entry in enumerate(entries)}
    moving = [q for t, q in existing.items() if t in positions and q.position != positions[t]]
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
        if question.id is not None and not _differs(question, entry):
            continue
        question.kind = entry.kind
        question.lesson_slug = entry.lesson
        for lang, source in entry.sources.items():
            text = question.translations.get(lang)
            if text is None:
                text = question.translations[lang] = QuizQuestionTranslation(locale=lang)
            elif text.source == source:
                continue
            text.source = source
            text.rendered = render_question(entry.questions[lang]).stored()
        record_version(question, author_id)
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
    if changes.any:
        bump_version()
        db.session.flush()
        course_changed.send(current_app._get_current_object(), module_ids=[module_id])
    db.session.flush()
    return changes


@dataclass(frozen=True)
class FileImport:
    """What importing one module's quiz files did: ``action`` is "created", "updated",
    "removed" or "conflict" (changed in the browser since the last import, kept), or None
    when nothing changed; ``summary`` says it in a line."""

    action: str | None
    summary: str = ""


def import_quiz(
    module_id: int,
    texts: Mapping[str, str],
    lessons: Collection[str],
    force: bool = False,
    keep_going: bool = False,
) -> FileImport:
    """Load one module's quiz files (already checked) during a course import: like a
    lesson, a quiz changed in the browser since the last import is left alone unless
    ``force``. With ``keep_going`` the questions with a problem are left out (see
    app.quizzes.sources.read_quiz)."""
    current = quiz_texts(module_id)
    quiz = _read(texts, lessons, keep_going) if texts else None
    stored = stored_texts(quiz) if quiz else {}
    files = {
        f.locale: f for f in db.session.scalars(select(QuizFile).filter_by(module_id=module_id))
    }
    if current == stored:
        for lang, text in stored.items():  # the files now match an edit made in the browser
            if lang in files and files[lang].imported_digest != digest(text):
                files[lang].imported_digest = digest(text)
        return FileImport(None)
    untouched = all(
        lang in files and files[lang].imported_digest == digest(text)
        for lang, text in current.items()
    )
    if current and not untouched and not force:
        return FileImport("conflict", "changed in the browser since the last import")
    changes = apply_quiz(module_id, quiz, {lang: digest(text) for lang, text in stored.items()})
    if not current:
        return FileImport("created", f"{len(quiz.entries) if quiz else 0} questions")
    if quiz is None:
        return FileImport("removed")
    counts = ", ".join(
        f"{len(titles)} {what}"
        for what, titles in (
            ("added", changes.added),
            ("changed", changes.changed),
            ("removed", changes.removed),
        )
    )
    return FileImport("updated", counts)


def _read(texts: Mapping[str, str], lessons: Collection[str], keep_going: bool = False) -> Quiz:
    quiz, _problems = read_quiz(texts, lessons, keep_going=keep_going)
    if quiz is None:
        raise InvalidQuiz()
    return quiz


@dataclass(frozen=True)
class ImportPreview:
    """What importing uploaded files would do, or why it cannot: ``problems`` refuse the
    import unless ``importable``, when they name the questions that would be left out."""

    problems: list[QuizProblem]
    changes: QuizChanges
    entries: tuple[PoolEntry, ...]
    #: digest of the quiz as it is now; the confirmation checks it has not changed
    state: str
    importable: bool


def current_state(module_id: int) -> str:
    texts = quiz_texts(module_id)
    return digest("\x1e".join(texts.get(lang, "") for lang in LANGUAGES))


def preview_import(
    module_id: int, texts: Mapping[str, str], lessons: Collection[str], keep_going: bool = False
) -> ImportPreview:
    """Check uploaded files and compare them with the pool; change nothing. With
    ``keep_going`` the questions without a problem can be imported and the others are
    listed, as Moodle does when "Stop on error" is off."""
    quiz, problems = read_quiz(texts, lessons, keep_going=keep_going)
    changes = compare(_existing(module_id), quiz) if quiz else QuizChanges()
    entries = quiz.entries if quiz else ()
    return ImportPreview(problems, changes, entries, current_state(module_id), quiz is not None)


def confirm_import(
    module_id: int,
    texts: Mapping[str, str],
    lessons: Collection[str],
    state: str,
    keep_going: bool = False,
    author_id: int | None = None,
) -> QuizChanges:
    """Replace the pool with the previewed files, if the pool has not changed since the
    preview (``state``); the next file import will not overwrite this without --force.
    The versions it makes are by ``author_id``, the trainer who uploaded them."""
    if current_state(module_id) != state:
        raise QuizChanged()
    quiz = _read(texts, lessons, keep_going)
    edited = quiz_texts(module_id) != stored_texts(quiz)
    digests = dict.fromkeys(LANGUAGES) if edited else None
    return apply_quiz(module_id, quiz, digests, author_id)
