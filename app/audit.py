"""The audit log: who did what to whom, and when, for every action of an administrator or
a company's manager (membership decisions, role changes, deactivations, imports...).
An entry is written in the same transaction as the change it records, so that neither
exists without the other."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Select, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

#: who acted, for what an administrator runs with ``flask …``
COMMAND_LINE = "flask (command line)"


class AuditEntry(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_company_at", "company_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: who acted; None once their account is deleted (their name stays in ``actor_name``)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actor_name: Mapped[str] = mapped_column(String(120))
    #: what was done, as a dotted name: "membership.approve", "user.role"...
    action: Mapped[str] = mapped_column(String(40), index=True)
    #: the account acted on, if any (kept as a plain id: the entry outlives the account)
    user_id: Mapped[int | None]
    #: the company concerned, if any
    company_id: Mapped[int | None]
    #: what changed, in plain values: {"role": ["learner", "trainer"]}, {"email": "..."}
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor = relationship("User", foreign_keys=[actor_id])


def record(
    actor: Any,
    action: str,
    *,
    user_id: int | None = None,
    company_id: int | None = None,
    **details: Any,
) -> AuditEntry:
    """Add an entry for ``actor`` (a User; None for the command line) doing ``action``;
    the caller commits."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.name if actor is not None else COMMAND_LINE,
        action=action,
        user_id=user_id,
        company_id=company_id,
        details=details,
    )
    db.session.add(entry)
    return entry


def entries(action: str = "") -> Select:
    """The log, newest first; only ``action``'s entries when one is given."""
    statement = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    return statement.where(AuditEntry.action == action) if action else statement


def actions() -> list[str]:
    """The actions the log holds, for its filter."""
    return list(
        db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    )


def describe(details: dict[str, Any]) -> str:
    """An entry's details as one line: "role: learner → trainer; email: an@example.vn"."""
    parts = []
    for key, value in details.items():
        shown = " → ".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{key}: {shown}")
    return "; ".join(parts)
