"""Accounts and companies. Services flush; the caller commits."""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from blinker import Namespace
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash

from app.auth.models import ROLES, AccountToken, Company, LoginSession, User
from app.db_types import utcnow
from app.errors import DomainError
from app.extensions import db
from app.text import comparable, digest

# A real scrypt hash of a random string: checking against it when the email is unknown
# takes as long as a real check, so timing does not tell which emails have accounts.
_DUMMY_HASH = (
    "scrypt:32768:8:1$qYCpPwc1fF9FITLP$dd1d6909f9825f4814f9126bd05f8a9be45a8a825551c7e56c9a9e"
    "bdec7d1707380b5d89f144f4a797f9f02a43e83fe26a6f43f2ed5020004ea5ca873bfac14f"
)


@dataclass(frozen=True)
class NewCompany:
    name: str
    sector: str
    size_band: str
    province: str
    tax_code: str | None = None  # digits only (app.auth.forms reads it)


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return email.strip().lower()


def is_email(text: str) -> bool:
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return False
    return len(text) <= 254


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_company(data: NewCompany) -> Company:
    exists = db.session.scalar(
        select(Company.id).where(
            Company.name_key == comparable(data.name), Company.province == data.province
        )
    )
    if exists:
        raise DomainError(
            "company_name",
            _l("This company is already registered in that province."),
        )
    if data.tax_code and db.session.scalar(select(Company.id).filter_by(tax_code=data.tax_code)):
        raise DomainError(
            "tax_code",
            _l("A company with this tax code is already registered."),
        )
    company = Company(
        name=data.name,
        sector=data.sector,
        size_band=data.size_band,
        province=data.province,
        tax_code=data.tax_code or None,
    )
    db.session.add(company)
    return company


def create_user(*, email: str, name: str, password: str, role: str = "learner") -> User:
    if role not in ROLES:
        raise DomainError("role", _l("Unknown role."))
    if get_user_by_email(email) is not None:
        raise DomainError("email", _l("An account with this email already exists. Log in instead."))
    user = User(email=normalise_email(email), name=name, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None: the caller shows one message
    for an unknown email and a wrong password alike."""
    user = get_user_by_email(email)
    if user is None or not user.has_password:  # as long to answer as a wrong password
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    user.last_login_at = utcnow()
    return user


def change_password(user: User, current: str, new: str, keep_token: str | None) -> None:
    """Set a new password and end every other session of the user (a browser signed in
    by someone who knew the old one is signed out)."""
    if not user.check_password(current):
        raise DomainError("current_password", _l("The current password is not right."))
    user.set_password(new)
    end_sessions(user, keep_token=keep_token)


# -- sessions ------------------------------------------------------------------------------

#: the key of the session cookie that holds the token of its LoginSession
SESSION_TOKEN = "_session_token"  # noqa: S105 - a key, not a secret


def start_session(user: User, user_agent: str = "") -> str:
    """A new signed-in session for ``user``; the token for the session cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        LoginSession(user_id=user.id, token_hash=digest(token), user_agent=user_agent[:200])
    )
    return token


def list_sessions(user: User) -> list[LoginSession]:
    """The user's signed-in browsers, the newest first."""
    return list(
        db.session.scalars(
            select(LoginSession)
            .where(LoginSession.user_id == user.id)
            .order_by(LoginSession.created_at.desc(), LoginSession.id.desc())
        )
    )


def is_this_session(row: LoginSession, token: str | None) -> bool:
    return bool(token) and secrets.compare_digest(row.token_hash, digest(token or ""))


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == digest(token)))


def end_sessions(user: User, keep_token: str | None = None) -> None:
    """End every session of ``user`` but the one of ``keep_token``."""
    statement = delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep_token:
        statement = statement.where(LoginSession.token_hash != digest(keep_token))
    db.session.execute(statement)


def set_active(user: User, active: bool) -> None:
    """Deactivate (ending every session: nobody is signed in as them any more) or
    reactivate an account."""
    user.active = active
    if not active:
        end_sessions(user)
    db.session.flush()
    member_changed.send(current_app._get_current_object(), company_id=user.company_id)


def set_locale(user: User, locale: str) -> None:
    user.locale = locale


# -- links sent by e-mail -----------------------------------------------------------------

#: how long each kind of link works, by the setting that says so
LINK_LIFETIMES = {
    "reset": "RESET_TOKEN_SECONDS",
    "confirm": "CONFIRM_TOKEN_SECONDS",
    "welcome": "WELCOME_TOKEN_SECONDS",  # an imported account's first password
}


def _links(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"account-{purpose}")


def issue_link(user: User, purpose: str) -> str:
    """The token of a new single-use link for ``user``: the row's id and a secret, signed;
    the row keeps the secret's hash."""
    return issue_links([user], purpose)[0]


def issue_links(users: Sequence[User], purpose: str) -> list[str]:
    """A new link for each of ``users`` (issue_link), written together."""
    secrets_ = [secrets.token_urlsafe(24) for _user in users]
    rows = [
        AccountToken(user_id=user.id, purpose=purpose, secret_hash=digest(secret))
        for user, secret in zip(users, secrets_, strict=True)
    ]
    db.session.add_all(rows)
    db.session.flush()
    links = _links(purpose)
    return [
        links.dumps({"id": row.id, "secret": secret})
        for row, secret in zip(rows, secrets_, strict=True)
    ]


def link_of(token: str, purpose: str) -> AccountToken | None:
    """The unused link that ``token`` names, if it is genuine, for ``purpose``, not
    expired, and its account is active."""
    max_age = current_app.config[LINK_LIFETIMES[purpose]]
    try:
        data = _links(purpose).loads(token, max_age=max_age)
        row_id, secret = int(data["id"]), str(data["secret"])
    except (BadData, KeyError, TypeError, ValueError):
        return None
    row = db.session.get(AccountToken, row_id) if 0 < row_id < 2**31 else None
    if row is None or row.purpose != purpose or row.used_at is not None:
        return None
    if not secrets.compare_digest(row.secret_hash, digest(secret)):
        return None
    return row if row.user.is_active else None


def start_password_reset(email: str) -> tuple[User, str] | None:
    """The active account with ``email`` and the token of a new reset link for it; None
    when there is no such account (the caller answers the same either way)."""
    user = get_user_by_email(email)
    if user is None or not user.is_active:
        return None
    return user, issue_link(user, "reset")


def reset_password(link: AccountToken, password: str) -> User:
    """Set the new password, use the link up, and end every session of the user; the
    link came to their address, which is therefore theirs."""
    link.used_at = utcnow()
    user = link.user
    user.set_password(password)
    end_sessions(user)
    mark_confirmed(user)
    return user


#: sent with ``company_id`` when whether a member's answers count in that company may have
#: changed (an email confirmed, or changed and not yet confirmed, an account deleted): the
#: assessment listens and counts the company again
member_changed = Namespace().signal("member-changed")


#: sent with ``user`` when the account's address has just been confirmed as its owner's:
#: what waited for that address (a programme's invitation) may now take the account in
email_confirmed = Namespace().signal("email-confirmed")


def mark_confirmed(user: User) -> None:
    """Record that the account's address is its owner's (a link sent there was
    followed), and tell whoever listens."""
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        db.session.flush()
        app = current_app._get_current_object()
        member_changed.send(app, company_id=user.company_id)
        email_confirmed.send(app, user=user)


def confirm_email(link: AccountToken) -> User:
    """Mark the account's email confirmed, and tell whoever listens."""
    link.used_at = utcnow()
    user = link.user
    mark_confirmed(user)
    return user


def change_details(user: User, name: str, email: str) -> bool:
    """Set the person's name and email; True when the email changed, which then waits
    for its confirmation (and their answers stop counting until it comes)."""
    user.name = name
    email = normalise_email(email)
    if email == user.email:
        return False
    if get_user_by_email(email) is not None:
        raise DomainError("email", _l("An account with this email already exists."))
    user.email = email
    user.email_confirmed_at = None
    db.session.flush()
    member_changed.send(current_app._get_current_object(), company_id=user.company_id)
    return True


def require_password(user: User, password: str) -> None:
    """Refuse an action that needs the person's password when this is not it."""
    if not user.check_password(password):
        raise DomainError("password", _l("The password is not right."))


def delete_account(user: User) -> None:
    """Delete the account and all it holds (sessions, links, reading, quiz attempts,
    assessments, memberships: the database cascades); its company is counted without it.
    The caller has the person leave their company first (which a company's last manager
    cannot do while it has other members)."""
    company_id = user.company_id
    db.session.execute(delete(User).where(User.id == user.id))
    db.session.expunge(user)
    member_changed.send(current_app._get_current_object(), company_id=company_id)


def data_of(user: User) -> dict:
    """What the platform keeps about the person's account, for their own download."""
    company = user.company
    return {
        "name": user.name,
        "email": user.email,
        "email_confirmed_at": user.email_confirmed_at,
        "language": user.locale,
        "created_at": user.created_at,
        "last_login_at": user.last_login_at,
        "company": company
        and {
            "name": company.name,
            "province": company.province,
            "tax_code": company.tax_code,
            "manager": user.is_company_manager,
            "joined_at": user.membership.joined_at if user.membership else None,
        },  # fmt: skip
        "sessions": [
            {"browser": row.user_agent, "since": row.created_at} for row in list_sessions(user)
        ],
    }
