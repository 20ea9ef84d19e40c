from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.choices import SIZE_BANDS
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.languages import LANGUAGES
from app.text import comparable

ROLES = ("learner", "trainer", "admin")


class Company(db.Model):
    """A member company whose staff learn on the platform."""

    __tablename__ = "companies"
    __table_args__ = (
        CheckConstraint(f"size_band IN {tuple(SIZE_BANDS)}", name="size_band"),
        UniqueConstraint("name_key", "province"),
        Index("uq_companies_tax_code", "tax_code", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the company's trading name as its staff write it
    name: Mapped[str] = mapped_column(String(200), index=True)
    #: the name as names compare (app.text.comparable), kept in Python because SQLite's
    #: lower() folds ASCII letters only: one company per key and province
    name_key: Mapped[str] = mapped_column(String(200))
    #: a key of app.auth.choices.SECTORS
    sector: Mapped[str] = mapped_column(String(40), index=True)
    #: micro, small or medium (Vietnamese SME size classes)
    size_band: Mapped[str] = mapped_column(String(10), index=True)
    #: one of the 34 provinces and cities (app.auth.choices.PROVINCES)
    province: Mapped[str] = mapped_column(String(60), index=True)
    #: the Vietnamese tax code (mã số thuế), digits only: 10, or 13 for a branch; optional
    tax_code: Mapped[str | None] = mapped_column(String(13))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    staff: Mapped[list["User"]] = relationship(back_populates="company")

    @validates("name")
    def _set_name_key(self, _key, name: str) -> str:
        self.name_key = comparable(name)
        return name

    def __repr__(self) -> str:
        return f"<Company {self.id} {self.name!r}>"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES}", name="role"),
        CheckConstraint(f"locale IS NULL OR locale IN {LANGUAGES}", name="locale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: normalised and lower-cased before it is stored, so unique whatever the case
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    #: scrypt hash from werkzeug.security
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10), default="learner", index=True)
    #: a learner who may invite colleagues and see the company's combined results
    is_company_manager: Mapped[bool] = mapped_column(default=False)
    #: the interface language the user chose; None follows the browser
    locale: Mapped[str | None] = mapped_column(String(5))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when the person followed the link sent to their email; until then their
    #: assessment answers do not count in their company's result
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    company: Mapped[Company | None] = relationship(back_populates="staff")

    @property
    def is_active(self) -> bool:
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r} {self.role}>"


class LoginSession(db.Model):
    """One signed-in browser: the session cookie carries its token, and the user is
    signed in only while this row exists. Logging out deletes it; a password change
    deletes the user's others; deactivating the user deletes them all."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the token in the cookie, so that the table alone signs nobody in
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the browser as it named itself, shortened, for the user's list of sessions
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()


class AccountToken(db.Model):
    """A link sent by e-mail that works once (a password reset): the link carries the
    row's id and a secret, signed with the application's key; the row keeps the secret's
    hash and when the link was used."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: what the link is for: "reset" (a password), "confirm" (an email)
    purpose: Mapped[str] = mapped_column(String(20))
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
