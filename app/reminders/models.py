from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

#: what a weekly message is: a learner's reminder, or a manager's digest of the team
KINDS = ("reminder", "digest")


class SentReminder(db.Model):
    """One weekly message sent to one person: at most one of each kind a week, however
    often the sending runs."""

    __tablename__ = "sent_reminders"
    __table_args__ = (UniqueConstraint("user_id", "kind", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    #: the ISO week it was sent in, as "2026-W49"
    week: Mapped[str] = mapped_column(String(8))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
