"""A module's quiz: its question pool in both languages, the learners' attempts, and the
per-question marks that item analysis reads."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.collections import attribute_keyed_dict

from app.auth.models import User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class QuizQuestion(db.Model):
    """One question of a module's pool. Its ``title`` (the GIFT ``::title::``) is its
    stable identifier, the same in both languages. Every change makes a new version
    (QuizQuestionVersion); the question holds its current version's number, kind, lesson
    and texts, which the pool and the export read."""

    __tablename__ = "quiz_questions"
    __table_args__ = (
        db.UniqueConstraint("module_id", "title"),
        db.UniqueConstraint("module_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    #: the GIFT title, unique in the module
    title: Mapped[str] = mapped_column(String(100))
    #: order in the GIFT file; None once retired from the pool (its versions are kept for
    #: the attempts that used them)
    position: Mapped[int | None]
    #: a key of app.quizzes.kinds.KINDS, written by the importer from the parsed GIFT (no
    #: CHECK constraint, so that adding a kind needs no migration)
    kind: Mapped[str] = mapped_column(String(20))
    #: the lesson the question comes from (its $CATEGORY), None for the whole module
    lesson_slug: Mapped[str | None] = mapped_column(String(80))
    #: the number of its current version (QuizQuestionVersion.number)
    version: Mapped[int] = mapped_column(default=1)

    translations: Mapped[dict[str, "QuizQuestionTranslation"]] = relationship(
        collection_class=attribute_keyed_dict("locale"),
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def retired(self) -> bool:
        return self.position is None

    def __repr__(self) -> str:
        return f"<QuizQuestion {self.module_id}/{self.title}>"


class QuizQuestionTranslation(db.Model):
    """The current version's text of a question in one language."""

    __tablename__ = "quiz_question_translations"
    __table_args__ = (db.UniqueConstraint("question_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("quiz_questions.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(5))
    #: the question's GIFT text exactly as in the file, with the comment and $CATEGORY
    #: lines written before it; parsed when the pool is loaded
    source: Mapped[str] = mapped_column(Text)
    #: its texts as safe HTML, rendered from ``source`` when it was stored
    #: (app.quizzes.rendering.RenderedQuestion)
    rendered: Mapped[dict] = mapped_column(JSON)


class QuizQuestionVersion(db.Model):
    """A question as it read after one change (a studio edit, an upload, a file import),
    as Moodle keeps question versions: never changed once written, so that an attempt
    keeps the question it was started and graded with."""

    __tablename__ = "quiz_question_versions"
    __table_args__ = (
        db.UniqueConstraint("question_id", "number"),
        CheckConstraint("number >= 1", name="number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("quiz_questions.id", ondelete="CASCADE"))
    #: 1 for the question as first stored, then 2, 3 ...
    number: Mapped[int]
    #: as on QuizQuestion
    kind: Mapped[str] = mapped_column(String(20))
    lesson_slug: Mapped[str | None] = mapped_column(String(80))
    #: who saved it in the studio; None for a file import
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: what changed, in the author's words (may be empty)
    message: Mapped[str] = mapped_column(String(200), default="")

    question: Mapped[QuizQuestion] = relationship()
    author: Mapped[User | None] = relationship()
    texts: Mapped[dict[str, "QuizQuestionVersionText"]] = relationship(
        collection_class=attribute_keyed_dict("locale"),
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    def __repr__(self) -> str:
        return f"<QuizQuestionVersion {self.question_id} #{self.number}>"


class QuizQuestionVersionText(db.Model):
    """A question version's text in one language: its GIFT source and rendered HTML, as
    on QuizQuestionTranslation."""

    __tablename__ = "quiz_question_version_texts"
    __table_args__ = (db.UniqueConstraint("version_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_question_versions.id", ondelete="CASCADE")
    )
    locale: Mapped[str] = mapped_column(String(5))
    source: Mapped[str] = mapped_column(Text)
    rendered: Mapped[dict] = mapped_column(JSON)


class QuizFile(db.Model):
    """The rest of a quiz file in one language: what follows the last question, and the
    digest of the file as last imported (an import never overwrites a quiz changed in the
    browser since then)."""

    __tablename__ = "quiz_files"
    __table_args__ = (db.UniqueConstraint("module_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(5))
    #: the text after the last question (blank lines, comments)
    trailer: Mapped[str] = mapped_column(Text, default="")
    #: sha256 of the file as last imported from files; None when it came from the browser
    imported_digest: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class QuizAttempt(db.Model):
    """One learner's attempt at a module's quiz: the questions drawn and the order of their
    answers are fixed when it starts, so that a reload shows the same attempt."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        # Also serves every per-learner query (results, the attempt to resume).
        db.UniqueConstraint("user_id", "module_id", "number"),
        CheckConstraint("number >= 1", name="number"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score"),
        CheckConstraint(
            "(submitted_at IS NULL AND score IS NULL AND passed IS NULL) OR "
            "(submitted_at IS NOT NULL AND score IS NOT NULL AND passed IS NOT NULL)",
            name="graded_when_submitted",
        ),
        # Item analysis reads the first attempts of a module.
        Index("ix_quiz_attempts_module_id_number", "module_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    #: 1 for the learner's first attempt at this quiz, then 2, 3 ...
    number: Mapped[int]
    #: the random seed the questions were drawn and the answers shuffled with
    seed: Mapped[int]
    #: the drawn questions in the order shown: [{"id": question id, "version": the id of
    #: the question version shown, "order": [answer indices as shown], "choices": [answer
    #: indices of the match texts offered]}]; attempts started before versions were kept
    #: have no "version" and use the current one
    layout: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    #: the answers saved so far, by question id (see app.quizzes.kinds)
    responses: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: set once, by the submission that graded the attempt
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: percent: the mean score of the graded questions
    score: Mapped[float | None]
    passed: Mapped[bool | None]

    user: Mapped[User] = relationship()
    items: Mapped[list["QuizAttemptItem"]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="QuizAttemptItem.position"
    )

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    def __repr__(self) -> str:
        return f"<QuizAttempt {self.id} user {self.user_id} module {self.module_id}>"


class QuizAttemptItem(db.Model):
    """The mark of one question in a submitted attempt, as it was graded."""

    __tablename__ = "quiz_attempt_items"
    __table_args__ = (
        db.UniqueConstraint("attempt_id", "question_id"),
        CheckConstraint("score >= 0 AND score <= 1", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_questions.id", ondelete="CASCADE"), index=True
    )
    #: the question version it was graded with
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("quiz_question_versions.id", ondelete="CASCADE"), index=True
    )
    #: place in the attempt, from 0
    position: Mapped[int]
    #: 0 to 1 of the question's mark
    score: Mapped[float]
    #: False for an essay, which waits for a human reader
    graded: Mapped[bool]
    #: the answers the grade matched (app.quizzes.grading.Grade.matched): the review
    #: shows their feedback, item analysis counts them
    matched: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: the learner's answer as stored on the attempt; NULL when there was none
    response: Mapped[Any | None] = mapped_column(JSON(none_as_null=True))

    attempt: Mapped[QuizAttempt] = relationship(back_populates="items")
