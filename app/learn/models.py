from datetime import datetime

from sqlalchemy import ForeignKey
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
