from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.content.files import REVEAL, TRACKS
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.text import digest

module_prerequisites = Table(
    "module_prerequisites",
    db.metadata,
    Column("module_id", ForeignKey("modules.id", ondelete="CASCADE"), primary_key=True),
    Column("prerequisite_id", ForeignKey("modules.id", ondelete="CASCADE"), primary_key=True),
)


class Module(db.Model):
    """A unit of study: lessons and one quiz, in both languages."""

    __tablename__ = "modules"
    __table_args__ = (
        CheckConstraint(f"track IN {TRACKS}", name="track"),
        CheckConstraint("step IS NULL OR step BETWEEN 1 AND 7", name="step"),
        CheckConstraint("minutes > 0", name="minutes"),
        CheckConstraint("pass_mark BETWEEN 0 AND 100", name="pass_mark"),
        CheckConstraint("quiz_questions >= 0 AND quiz_attempts >= 0", name="quiz_counts"),
        CheckConstraint(f"quiz_answers IN {REVEAL}", name="quiz_answers"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable identifier, also the folder name after the position
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    #: order in the catalogue
    position: Mapped[int] = mapped_column(unique=True)
    track: Mapped[str] = mapped_column(String(20), index=True)
    #: the maturity step 1-7 the module teaches (ladder modules only)
    step: Mapped[int | None]
    #: estimated study time of the whole module
    minutes: Mapped[int]
    #: the source document its facts come from
    source: Mapped[str] = mapped_column(String(40), default="")
    #: quiz settings: pass mark in percent, questions drawn (0 = all), attempts (0 = unlimited)
    pass_mark: Mapped[int] = mapped_column(default=70)
    quiz_questions: Mapped[int] = mapped_column(default=10)
    quiz_attempts: Mapped[int] = mapped_column(default=0)
    quiz_shuffle: Mapped[bool] = mapped_column(default=True)
    #: when an attempt's review shows the right answers: a key of REVEAL
    quiz_answers: Mapped[str] = mapped_column(String(20), default="after-attempt")
    #: when it was retired: no longer shown to learners (it can come back)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: sha256 of module.toml as last imported; an import that finds the database changed
    #: since then does not overwrite it
    imported_digest: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    translations: Mapped[dict[str, "ModuleTranslation"]] = relationship(
        collection_class=lambda: _by_locale(), cascade="all, delete-orphan", lazy="selectin"
    )
    lessons: Mapped[list["Lesson"]] = relationship(
        back_populates="module", order_by="Lesson.position", cascade="all, delete-orphan"
    )
    prerequisites: Mapped[list["Module"]] = relationship(
        secondary=module_prerequisites,
        primaryjoin=lambda: Module.id == module_prerequisites.c.module_id,
        secondaryjoin=lambda: Module.id == module_prerequisites.c.prerequisite_id,
        order_by=lambda: Module.position,
    )

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    def text(self, locale: str) -> "ModuleTranslation":
        """The module's texts in ``locale``, or in Vietnamese when that is missing."""
        return self.translations.get(locale) or self.translations["vi"]

    def __repr__(self) -> str:
        return f"<Module {self.slug}>"


class FormerSlug(db.Model):
    """A module's identifier before it was renamed: its old addresses lead to the module."""

    __tablename__ = "module_former_slugs"

    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)


class ModuleTranslation(db.Model):
    __tablename__ = "module_translations"
    __table_args__ = (db.UniqueConstraint("module_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    #: the learning outcomes, a list of sentences
    outcomes: Mapped[list[str]] = mapped_column(JSON)


class Lesson(db.Model):
    __tablename__ = "lessons"
    __table_args__ = (
        db.UniqueConstraint("module_id", "slug"),
        db.UniqueConstraint("module_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    #: order inside the module (the file's number prefix)
    position: Mapped[int]

    module: Mapped[Module] = relationship(back_populates="lessons")
    translations: Mapped[dict[str, "LessonTranslation"]] = relationship(
        collection_class=lambda: _by_locale(), cascade="all, delete-orphan", lazy="selectin"
    )

    def text(self, locale: str) -> "LessonTranslation":
        return self.translations.get(locale) or self.translations["vi"]

    def __repr__(self) -> str:
        return f"<Lesson {self.module_id}/{self.slug}>"


class LessonTranslation(db.Model):
    __tablename__ = "lesson_translations"
    __table_args__ = (db.UniqueConstraint("lesson_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(5))
    #: from the first "# " heading of the source
    title: Mapped[str] = mapped_column(String(200))
    #: the Markdown exactly as written
    source: Mapped[str] = mapped_column(Text)
    #: the sanitised HTML rendered from source when it was saved; served as it is
    html: Mapped[str] = mapped_column(Text)
    #: sha256 of the file as last imported (see Module.imported_digest)
    imported_digest: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: the revision whose text this is: the published one
    revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("lesson_revisions.id", ondelete="SET NULL")
    )
    #: the other language was edited since this one was last saved or confirmed
    out_of_date: Mapped[bool] = mapped_column(default=False)

    revision: Mapped["LessonRevision | None"] = relationship(foreign_keys=[revision_id])


class LessonRevision(db.Model):
    """One saved text of a lesson in one language, kept for good: every save in the
    studio makes one (a draft until it is published), and so does every import of the
    files; LessonTranslation points at the published one."""

    __tablename__ = "lesson_revisions"
    __table_args__ = (
        Index("ix_lesson_revisions_lesson_locale", "lesson_id", "locale", "id"),
        # a revision is edited into one next revision at most: of two trainers saving from
        # the same one at the same moment, the second is told to merge (studio/services.py)
        Index("uq_lesson_revisions_parent", "lesson_id", "locale", "parent_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(200))
    #: the Markdown as saved, in Unicode NFC
    source: Mapped[str] = mapped_column(Text)
    #: the revision it was edited from (None: the first, or an import)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("lesson_revisions.id", ondelete="SET NULL")
    )
    #: who saved it; None for an import of the files
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when it was published, and by whom (None: a draft, or replaced before publishing)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: a draft to publish by itself at this moment (`flask studio publish-due`)
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: a draft its author asked another trainer to review and publish
    review_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    lesson: Mapped[Lesson] = relationship()
    author = relationship("User", foreign_keys=[author_id])
    published_by = relationship("User", foreign_keys=[published_by_id])
    review_requested_by = relationship("User", foreign_keys=[review_requested_by_id])


def _by_locale():
    from sqlalchemy.orm.collections import attribute_keyed_dict

    return attribute_keyed_dict("locale")()


class GlossaryTerm(db.Model):
    """A term of the bilingual glossary, linked from the lessons of its modules."""

    __tablename__ = "glossary_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable identifier, also the anchor on the glossary page
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    #: slugs of the modules whose lessons use the term
    modules: Mapped[list[str]] = mapped_column(JSON)
    #: no longer shown to learners, nor exported (kept, and can come back)
    retired: Mapped[bool] = mapped_column(default=False)
    #: when it was last changed in the studio; None when it is as the files last had it
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    translations: Mapped[dict[str, "GlossaryTranslation"]] = relationship(
        collection_class=lambda: _by_locale(), cascade="all, delete-orphan", lazy="selectin"
    )


class GlossaryTranslation(db.Model):
    __tablename__ = "glossary_translations"
    __table_args__ = (db.UniqueConstraint("term_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("glossary_terms.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(5))
    #: the term as the lessons write it
    term: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text)


class ModuleMedia(db.Model):
    """An image or a downloadable file of a module, which its lessons reference as
    ``media/<name>``; kept in the database so that every app server serves it."""

    __tablename__ = "module_media"
    __table_args__ = (
        db.UniqueConstraint("module_id", "name"),
        CheckConstraint("kind IN ('image', 'file')", name="kind"),
        CheckConstraint(
            "kind = 'file' OR (width > 0 AND height > 0 AND alt_vi <> '' AND alt_en <> '')",
            name="image_fields",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    #: the file name, safe in a URL (app.content.media.safe_name), unique in the module
    name: Mapped[str] = mapped_column(String(100))
    #: "image" (PNG, JPEG, WebP) or "file" (PDF, XLSX, CSV)
    kind: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str] = mapped_column(String(100))
    #: the bytes served: an image as re-encoded on upload, a file as uploaded
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    #: len(data), so that a list of media loads none of them
    size: Mapped[int]
    #: an image's phone-sized copy (WebP), when the image is wider than a phone needs
    phone: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    phone_size: Mapped[int | None]
    width: Mapped[int | None]
    height: Mapped[int | None]
    #: an image's text for those who cannot see it, in each language
    alt_vi: Mapped[str] = mapped_column(String(300), default="")
    alt_en: Mapped[str] = mapped_column(String(300), default="")
    #: SHA-256 of data: the ETag, and the version in the media's URL
    sha256: Mapped[str] = mapped_column(String(64))
    #: SHA-256 of the file as last imported, before re-encoding: an import of the same
    #: file again finds nothing changed
    imported_sha256: Mapped[str | None] = mapped_column(String(64))
    #: state_digest as the last import left it; another means an upload in the studio
    #: since, which an import does not overwrite unless forced
    imported_digest: Mapped[str | None] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by = relationship("User")

    def alt(self, locale: str) -> str:
        return self.alt_en if locale == "en" else self.alt_vi

    @property
    def state_digest(self) -> str:
        """What an import compares: the bytes and the alt texts."""
        return digest("\n".join((self.sha256, self.alt_vi, self.alt_en)))
