from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class LessonProgress(db.Model):
    """A learner's reading of one lesson: when first opened, and when marked complete."""

    __tablename__ = "lesson_progress"
    # The unique (user_id, lesson_id) index also serves every per-user query.
    __table_args__ = (db.UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: None until the learner marks the lesson complete
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ModuleRecord(db.Model):
    """Where one learner stands in one module: when they first opened one of its lessons,
    when they completed it (every lesson read and the quiz passed, if it has one),
    whether they submitted and passed its quiz, and when they last did any of it.
    ``learn/services.py`` keeps it current whenever their reading or a quiz submission
    changes, and whenever a module's lessons or quiz do; the administration's reports
    count these rows instead of every lesson read."""

    __tablename__ = "module_records"
    __table_args__ = (
        Index("ix_module_records_module_id", "module_id"),
        Index("ix_module_records_last_active_at", "last_active_at"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    module_id: Mapped[int] = mapped_column(
        ForeignKey("modules.id", ondelete="CASCADE"), primary_key=True
    )
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempted: Mapped[bool] = mapped_column(default=False)
    passed: Mapped[bool] = mapped_column(default=False)
    #: the learner's latest lesson opened or completed, or quiz submitted, in the module
    last_active_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
