from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, and_, text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.choices import SIZE_BANDS
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.languages import LANGUAGES
from app.text import comparable, fold

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
    #: part of the company's shared invitation link (app.auth.membership); None when
    #: its managers have none or revoked it
    invite_nonce: Mapped[str | None] = mapped_column(String(32))

    @validates("name")
    def _set_name_key(self, _key, name: str) -> str:
        self.name_key = comparable(name)
        return name

    def __repr__(self) -> str:
        return f"<Company {self.id} {self.name!r}>"


#: the stored hash of an account that has no password: no password matches it
NO_PASSWORD = "!"  # noqa: S105 - a marker, not a password


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
    #: the interface language the user chose; None follows the browser
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: when the person followed the link sent to their email; until then their
    #: assessment answers do not count in their company's result
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the name and email without case or diacritics (app.text.fold), so that an
    #: administrator's search for "nguyen van an" finds "Nguyễn Văn An"
    search_key: Mapped[str] = mapped_column(String(400), default="")
    #: a weekly reminder e-mail when the person has been away from a recommended module
    #: (app.reminders); the link in each reminder turns it off
    reminders: Mapped[bool] = mapped_column(default=True)

    #: the person's active membership, if they belong to a company (one at a time)
    membership: Mapped["Membership | None"] = relationship(
        primaryjoin=lambda: and_(Membership.user_id == User.id, Membership.state == "active"),
        viewonly=True,
        lazy="joined",
        innerjoin=False,
    )

    @validates("name", "email")
    def _set_search_key(self, key: str, value: str) -> str:
        name = value if key == "name" else (self.name or "")
        email = value if key == "email" else (self.email or "")
        self.search_key = fold(f"{name} {email}")
        return value

    @property
    def company(self) -> Company | None:
        return self.membership.company if self.membership else None

    @property
    def company_id(self) -> int | None:
        return self.membership.company_id if self.membership else None

    @property
    def is_company_manager(self) -> bool:
        """A member who may invite colleagues, approve requests and see the company's
        combined results."""
        return self.membership is not None and self.membership.is_manager

    @property
    def is_active(self) -> bool:
        return self.active

    def set_password(self, password: str | None) -> None:
        """``None``: no password yet (an imported account, until its owner follows the
        welcome link); nothing then logs in."""
        self.password_hash = NO_PASSWORD if password is None else generate_password_hash(password)

    @property
    def has_password(self) -> bool:
        return self.password_hash != NO_PASSWORD

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


#: where a person stands with a company: invited (a link sent to their email, not yet
#: followed), requested (waiting for a manager), active (a member), removed (no longer:
#: they left, a manager removed them, refused their request or revoked the invitation)
MEMBERSHIP_STATES = ("invited", "requested", "active", "removed")
#: how a membership began
MEMBERSHIP_SOURCES = ("founder", "invitation", "link", "request", "import")


class Membership(db.Model):
    """A person's place in a company, from the invitation or the request to its end, with
    who acted and when. A person is an active member of one company at most."""

    __tablename__ = "memberships"
    __table_args__ = (
        CheckConstraint(f"state IN {MEMBERSHIP_STATES}", name="state"),
        CheckConstraint(f"source IN {MEMBERSHIP_SOURCES}", name="source"),
        CheckConstraint("user_id IS NOT NULL OR email IS NOT NULL", name="someone"),
        Index(
            "uq_memberships_active_user",
            "user_id",
            unique=True,
            sqlite_where=text("state = 'active'"),
            postgresql_where=text("state = 'active'"),
        ),
        Index("ix_memberships_company_state", "company_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    #: None for an invitation to an email that has no account yet
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: the address an invitation was sent to
    email: Mapped[str | None] = mapped_column(String(254))
    state: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(10))
    #: may invite, approve, remove and appoint other managers; a company keeps one at least
    is_manager: Mapped[bool] = mapped_column(default=False)
    #: a manager who asked for the weekly digest of the team's progress (app.reminders)
    digest: Mapped[bool] = mapped_column(default=False)
    #: SHA-256 of the secret in an invitation's link: the link works once
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    #: when the invitation was sent or the request made (or the company registered)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: who sent the invitation
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the manager who approved the request
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: who ended it: the person (leaving), a manager (removing, refusing, revoking)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    company: Mapped[Company] = relationship(lazy="joined", innerjoin=True)
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id])

    def __repr__(self) -> str:
        return f"<Membership {self.id} company={self.company_id} user={self.user_id} {self.state}>"
