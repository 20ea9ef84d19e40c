"""Question versions, as Moodle keeps them: every change of a question (an edit in the
studio, an upload, a file import) is written as a new version, and the question holds the
number of its current one. Attempts name the versions they were started with
(app.quizzes.pool.attempt_questions), so that no edit changes a past result."""

from sqlalchemy import select

from app.extensions import db
from app.quizzes.models import QuizQuestion, QuizQuestionVersion, QuizQuestionVersionText


def record_version(question: QuizQuestion, author_id: int | None, message: str = "") -> None:
    """Write the question's kind, lesson and texts as they are now as its next version
    (its first, for a question new in this transaction) and make it the current one."""
    first = question.id is None or not db.session.scalar(
        select(QuizQuestionVersion.id).filter_by(question_id=question.id).limit(1)
    )
    question.version = 1 if first else question.version + 1
    version = QuizQuestionVersion(
        question=question,
        number=question.version,
        kind=question.kind,
        lesson_slug=question.lesson_slug,
        author_id=author_id,
        message=message,
    )
    for locale, text in question.translations.items():
        version.texts[locale] = QuizQuestionVersionText(
            locale=locale, source=text.source, rendered=text.rendered
        )
    db.session.add(version)


def list_versions(question_id: int) -> list[QuizQuestionVersion]:
    """The question's versions, newest first."""
    stmt = (
        select(QuizQuestionVersion)
        .filter_by(question_id=question_id)
        .order_by(QuizQuestionVersion.number.desc())
    )
    return list(db.session.scalars(stmt))
