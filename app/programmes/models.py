from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Company, User
from app.content.models import Module
from app.db_types import UTCDateTime, utcnow
from app.extensions import db

programme_modules = Table(
    "programme_modules",
    db.metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column("module_id", ForeignKey("modules.id", ondelete="CASCADE"), primary_key=True),
)
programme_companies = Table(
    "programme_companies",
    db.metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "company_id", ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True, index=True
    ),  # fmt: skip
)
programme_learners = Table(
    "programme_learners",
    db.metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Programme(db.Model):
    """A named intake: the modules it requires, its dates, and the companies and learners
    enrolled (a company's members are in it with their company)."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    modules: Mapped[list[Module]] = relationship(
        secondary=programme_modules, order_by=Module.position
    )
    companies: Mapped[list[Company]] = relationship(secondary=programme_companies,
                                                    order_by=Company.name_key)  # fmt: skip
    learners: Mapped[list[User]] = relationship(secondary=programme_learners, order_by=User.name)
    invitations: Mapped[list["ProgrammeInvitation"]] = relationship(
        order_by=lambda: ProgrammeInvitation.email, cascade="all, delete-orphan"
    )

    def name(self, locale: str) -> str:
        return self.name_vi if locale == "vi" else self.name_en


class ProgrammeInvitation(db.Model):
    """An address invited to a programme before it has an account: the account that
    confirms this address is enrolled (programmes/services.py: enrol_invited)."""

    __tablename__ = "programme_invitations"

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str] = mapped_column(String(254), primary_key=True, index=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
