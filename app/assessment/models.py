from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Company, User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class AssessmentInstrument(db.Model):
    """One row: courses/assessment.toml as last imported or edited. Parsed once per
    worker and content version (app.cache)."""

    __tablename__ = "assessment_instruments"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    #: sha256 of source: a result remembers the instrument it was scored with
    digest: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Assessment(db.Model):
    """One person's answers for their company: a draft while submitted_at is None, then a
    dated snapshot with its result, kept as it was scored so that its page shows what
    the person saw and a re-take can show what moved."""

    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint("placement IS NULL OR placement BETWEEN 0 AND 7", name="placement"),
        # At most one draft per person.
        Index(
            "uq_assessments_draft",
            "user_id",
            unique=True,
            sqlite_where=text("submitted_at IS NULL"),
            postgresql_where=text("submitted_at IS NULL"),
        ),
        Index("ix_assessments_user_submitted", "user_id", "submitted_at"),
        Index("ix_assessments_company_submitted", "company_id", "submitted_at"),
        Index("ix_assessments_submitted_at", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: the company the answers describe (the person's company when they answered)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    #: question id -> raw answer (see app.assessment.scoring); None = "I don't know"
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the result, set on submission: app.assessment.scoring.result_to_dict
    result: Mapped[dict | None] = mapped_column(JSON)
    #: the digest of the instrument it was scored with (AssessmentInstrument.digest)
    instrument_digest: Mapped[str | None] = mapped_column(String(64))
    #: the placement and CRM level of the result, for lists and reports
    placement: Mapped[int | None]
    crm_level: Mapped[int | None]

    user: Mapped[User] = relationship()
    company: Mapped[Company | None] = relationship()


class CompanyResult(db.Model):
    """A company's latest combined result over its staff's latest submissions, kept so that
    reports can count companies per step without recomputing."""

    __tablename__ = "company_results"
    __table_args__ = (CheckConstraint("placement BETWEEN 0 AND 7", name="placement"),)

    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True
    )
    placement: Mapped[int] = mapped_column(index=True)
    crm_level: Mapped[int]
    dimensions: Mapped[dict] = mapped_column(JSON)
    #: how many staff members' submissions were combined
    respondents: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    company: Mapped[Company] = relationship()


class Recommendation(db.Model):
    """A module that the person's latest submitted assessment recommends (its first
    five, as before any module is completed), kept at each submission and counted again
    whenever the instrument or the course changes, so that the administration's funnel
    and its learners at risk need score nobody again."""

    __tablename__ = "recommendations"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    module_id: Mapped[int] = mapped_column(
        ForeignKey("modules.id", ondelete="CASCADE"), primary_key=True
    )
    rank: Mapped[int]  # 1 for the first recommended
