"""The studio's question editor: saving a question as a new version, adding one to a
module's pool, and retiring one from it.

What the editor saves goes the way of an import: the questions are written as GIFT by
app.quizzes.gift, read back by the same reader, and the module's whole quiz is checked
as a file import checks it (app.quizzes.sources.read_quiz), so nothing the importer would
refuse is stored. A question's source slice names its lesson with a ``$CATEGORY:`` line,
and a question after it that named none gets its own, so that the files still read the
same. Learners' new attempts use the change at once (the content version); attempts
already started keep the versions they started with.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from flask import current_app
from sqlalchemy import func, select

from app.auth.models import User
from app.cache import bump_version
from app.content.models import Lesson, Module
from app.content.services import course_changed
from app.extensions import db
from app.languages import LANGUAGES
from app.quizzes import editing, gift
from app.quizzes.models import QuizFile, QuizQuestion, QuizQuestionTranslation
from app.quizzes.rendering import render_question
from app.quizzes.services.files import quiz_texts
from app.quizzes.services.versions import record_version
from app.quizzes.sources import QuizProblem, read_quiz

_CATEGORY = "$CATEGORY:"
_META = re.compile(r"\s*//\s*\[(id|tag):")


class NotSaved(Exception):
    """The fields have problems (app.quizzes.editing.Problem), or the quiz as a whole
    would not import (``quiz``)."""

    def __init__(
        self, problems: list[editing.Problem], quiz: list[QuizProblem] | None = None
    ) -> None:
        super().__init__(problems or quiz)
        self.problems = problems
        self.quiz = quiz or []


class StaleVersion(Exception):
    """Another save made a newer version since the editor was opened."""

    def __init__(self, question: QuizQuestion) -> None:
        super().__init__(question.version)
        self.question = question


@dataclass(frozen=True)
class QuestionEdit:
    """What the editor sends: the fields, the lesson (None: the whole module), the version
    it was opened on and what changed in the trainer's words."""

    fields: editing.Fields
    lesson: str | None
    base: int
    message: str = ""


def parsed(question: QuizQuestion) -> dict[str, gift.Question]:
    """The question's current version, parsed, by language, in its lesson (which its own
    source may leave to a $CATEGORY line before it)."""
    return {
        lang: replace(gift.parse(text.source)[0], category=question.lesson_slug or "")
        for lang, text in sorted(question.translations.items())
    }


def pool_questions(module_id: int) -> list[QuizQuestion]:
    """The module's questions in the pool, in order (retired ones left out)."""
    stmt = (
        select(QuizQuestion)
        .where(QuizQuestion.module_id == module_id, QuizQuestion.position.is_not(None))
        .order_by(QuizQuestion.position)
    )
    return list(db.session.scalars(stmt))


def _lessons(module_id: int) -> set[str]:
    return set(db.session.scalars(select(Lesson.slug).filter_by(module_id=module_id)))


def _has_category(source: str) -> bool:
    return any(line.strip().startswith(_CATEGORY) for line in source.split("\n"))


def _slice(question: gift.Question, old_source: str | None) -> str:
    """The GIFT source slice of ``question``: the blank lines and comments that stood
    before the old one, its lesson as a $CATEGORY line, then the question."""
    lead = []
    for line in (old_source or "\n").split("\n")[:-1]:
        bare = gift.without_bom(line).strip()
        if bare and not bare.startswith("//"):
            break
        if not _META.match(line):
            lead.append(line + "\n")
    prefix = "".join(lead)
    body = gift.dump([replace(question, category="")])
    return f"{prefix}{_CATEGORY} {question.category}".rstrip() + "\n" + body


def _pin_categories(module_id: int) -> None:
    """Give a question that names no lesson of its own a $CATEGORY line where the question
    before it (whose line it inherited) now names another lesson or was retired: its
    parsed form, and so its version, stays the same."""
    before: str | None = None
    for question in pool_questions(module_id):
        if question.lesson_slug != before:
            for text in question.translations.values():
                if not _has_category(text.source):
                    head = f"{_CATEGORY} {question.lesson_slug or ''}".rstrip() + "\n"
                    blank = len(text.source) - len(text.source.lstrip("\n"))
                    text.source = text.source[:blank] + head + text.source[blank:]
        before = question.lesson_slug


def _check_quiz(module_id: int) -> None:
    """Refuse (NotSaved) a pool that would not import as files."""
    db.session.flush()
    texts = quiz_texts(module_id)
    if not texts:
        return
    quiz, problems = read_quiz(texts, _lessons(module_id))
    if quiz is None:
        raise NotSaved([], problems)


def _store(question: QuizQuestion, questions: Mapping[str, gift.Question]) -> None:
    for lang, parsed_question in questions.items():
        text = question.translations.get(lang)
        source = _slice(parsed_question, text.source if text else None)
        if gift.parse(source)[0] != parsed_question:  # the writer and reader disagree
            raise NotSaved([("text", editing.NO_TEXT, {})])
        if text is None:
            text = question.translations[lang] = QuizQuestionTranslation(locale=lang)
        text.source = source
        text.rendered = render_question(parsed_question).stored()


def _mark_edited(module_id: int) -> None:
    """The next file import treats the quiz as changed in the browser (never silently
    overwritten), as after an upload."""
    files = {
        f.locale: f for f in db.session.scalars(select(QuizFile).filter_by(module_id=module_id))
    }
    for lang in LANGUAGES:
        row = files.get(lang)
        if row is None:
            db.session.add(QuizFile(module_id=module_id, locale=lang, trailer=""))
        else:
            row.imported_digest = None


def _changed(module_id: int, counts_changed: bool) -> None:
    """After a question of the module changed: the files still read the same and still
    import, the next import keeps the change, and learners' new attempts see it (their
    standing counted again when the pool grew or shrank)."""
    _pin_categories(module_id)
    _check_quiz(module_id)
    _mark_edited(module_id)
    bump_version()
    db.session.flush()
    if counts_changed:
        course_changed.send(current_app._get_current_object(), module_ids=[module_id])


def build(
    question: QuizQuestion | None, kind: str, title: str, edit: QuestionEdit
) -> dict[str, gift.Question]:
    """The questions the editor's fields make, in each language; NotSaved with the
    problems by field."""
    originals = parsed(question) if question is not None else None
    questions, problems = editing.build(
        kind, title, edit.lesson or "", edit.fields, LANGUAGES, originals
    )
    if problems:
        raise NotSaved(problems)
    return questions


def save_question(question: QuizQuestion, edit: QuestionEdit, by: User) -> bool:
    """Save the editor's fields as the question's next version; False, changing nothing,
    when they make the question it already is. Raises NotSaved, or StaleVersion when
    ``edit.base`` is no longer the current version."""
    if edit.base != question.version:
        raise StaleVersion(question)
    questions = build(question, question.kind, question.title, edit)
    if questions == parsed(question) and edit.lesson == question.lesson_slug:
        return False
    question.lesson_slug = edit.lesson
    _store(question, questions)
    record_version(question, by.id, edit.message)
    _changed(question.module_id, counts_changed=False)
    return True


def new_title(module_id: int, kind: str) -> str:
    """A title no question of the module has (retired ones included): "<kind>-<n>"."""
    taken = set(db.session.scalars(select(QuizQuestion.title).filter_by(module_id=module_id)))
    n = len(taken) + 1
    while f"{kind}-{n}" in taken:
        n += 1
    return f"{kind}-{n}"


def create_question(module: Module, kind: str, edit: QuestionEdit, by: User) -> QuizQuestion:
    """Add a question at the end of the module's pool, as its version 1."""
    title = new_title(module.id, kind)
    questions = build(None, kind, title, edit)
    last = db.session.scalar(select(func.max(QuizQuestion.position)).filter_by(module_id=module.id))
    question = QuizQuestion(
        module_id=module.id,
        title=title,
        position=(last if last is not None else -1) + 1,
        kind=kind,
        lesson_slug=edit.lesson,
    )
    db.session.add(question)
    _store(question, questions)
    record_version(question, by.id, edit.message)
    _changed(module.id, counts_changed=True)
    return question


def retire_question(question: QuizQuestion) -> None:
    """Take the question out of the pool: new attempts no longer draw it; the attempts
    that did keep its versions for their review."""
    if question.retired:
        return
    gap = question.position
    question.position = None
    db.session.flush()
    for later in pool_questions(question.module_id):  # in order: each into the free place
        if later.position is not None and later.position > gap:
            later.position -= 1
            db.session.flush()
    _changed(question.module_id, counts_changed=True)
