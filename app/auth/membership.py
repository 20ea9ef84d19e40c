"""Who belongs to which company: founding one, asking to join and being approved or
refused, invitations by e-mail and the company's shared link, leaving, removing, and
appointing managers. A person is an active member of one company at most, and a company
with members keeps a manager. Services flush; the caller commits (and sends the e-mails).

Whether a member's answers count in the company result changes when they join or leave:
each change sends ``member_changed``, and the assessment counts the company again.
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import func, inspect, select, update
from sqlalchemy.orm import joinedload

from app import audit
from app.auth.models import Company, Membership, User
from app.auth.services import (
    NewCompany,
    create_company,
    create_user,
    mark_confirmed,
    member_changed,
    normalise_email,
)
from app.db_types import utcnow
from app.errors import DomainError
from app.extensions import db
from app.security import MAX_ID
from app.text import comparable, digest

#: the most addresses one invitation form sends to
MAX_INVITATIONS = 50


def _lock(company_id: int) -> None:
    """One change to a company's members at a time, so that two managers stepping down at
    once cannot leave it with none: writing the company's row (changing nothing) holds
    its lock until the transaction ends, on PostgreSQL the row's and on SQLite the
    database's, and whatever is read after it is the latest. Run the change through
    app.transactions.committed, which starts it again if SQLite was busy."""
    db.session.execute(
        update(Company).where(Company.id == company_id).values(invite_nonce=Company.invite_nonce)
    )


def _locked(row: Membership, *states: str) -> None:
    """Take the company's lock and read ``row`` again, since another request may have
    decided it meanwhile: refused when it is no longer in one of ``states``."""
    _lock(row.company_id)
    if inspect(row).persistent:
        db.session.refresh(row)
        if row.state not in states:
            raise DomainError(
                None, _l("Someone dealt with this a moment ago: the page now shows how it stands.")
            )


def _changed(*company_ids: int | None) -> None:
    db.session.flush()
    for company_id in dict.fromkeys(company_ids):
        if company_id is not None:
            member_changed.send(current_app._get_current_object(), company_id=company_id)


def _refresh(user: User | None) -> None:
    if user is not None:
        db.session.expire(user, ["membership"])


# -- reading ------------------------------------------------------------------------------


def members(company: Company) -> list[Membership]:
    """The company's active members with their accounts, managers first, then by name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .options(joinedload(Membership.user))
            .where(Membership.company_id == company.id, Membership.state == "active")
            .order_by(Membership.is_manager.desc(), func.lower(User.name), User.id)
        )
    )


def managers(company: Company) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.company_id == company.id,
                Membership.state == "active",
                Membership.is_manager,
            )
            .order_by(func.lower(User.name), User.id)
        )
    )


def pending(company: Company, state: str) -> list[Membership]:
    """The company's requests ("requested") or invitations ("invited") waiting, oldest
    first."""
    return list(
        db.session.scalars(
            select(Membership)
            .options(joinedload(Membership.user), joinedload(Membership.invited_by))
            .where(Membership.company_id == company.id, Membership.state == state)
            .order_by(Membership.created_at, Membership.id)
        )
    )


def requests_of(user: User) -> list[Membership]:
    """The person's requests to join that wait for a manager."""
    return list(
        db.session.scalars(
            select(Membership).where(Membership.user_id == user.id, Membership.state == "requested")
        )
    )


def membership_in(company: Company, membership_id: int, *states: str) -> Membership | None:
    """The company's membership ``membership_id`` if it is in one of ``states``."""
    row = db.session.get(Membership, membership_id)
    if row is None or row.company_id != company.id or row.state not in states:
        return None
    return row


def find_company(tax_code: str | None = None, name: str = "", province: str = "") -> Company | None:
    """The company with exactly this tax code, or this name (as names compare) in this
    province."""
    if tax_code:
        return db.session.scalar(select(Company).where(Company.tax_code == tax_code))
    return db.session.scalar(
        select(Company).where(Company.name_key == comparable(name), Company.province == province)
    )


# -- founding and asking -------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    name: str
    email: str
    password: str
    #: the company as the person typed it; with ``found`` False only its tax code, or its
    #: name and province, are read, to find it
    company: NewCompany
    #: register the company when no such company exists yet
    found: bool


def register(data: Registration) -> Membership:
    """A new account and its membership: of the company it founded (as its manager), or
    a request to join the registered company it named. Nothing is written on an error."""
    company = None
    if not data.found:
        wanted = data.company
        company = find_company(wanted.tax_code, wanted.name, wanted.province)
        if company is None:
            field = "tax_code" if wanted.tax_code else "company_name"
            raise DomainError(
                field,
                _l("No registered company has this tax code: check it, or register the company.")
                if wanted.tax_code
                else _l(
                    "No company of this name is registered in this province: check both, or"
                    " register the company."
                ),
            )
    user = create_user(email=data.email, name=data.name, password=data.password)
    return ask_to_join(user, company) if company else found_or_ask(user, data.company)


def found_or_ask(user: User, data: NewCompany) -> Membership:
    """Register the company with ``user`` as its first manager; when it is registered
    already (the same tax code, or the same name in the same province), ask to join it
    instead. Check ``membership.state`` to tell which."""
    _no_company_yet(user)
    existing = find_company(data.tax_code) if data.tax_code else None
    if existing is None:
        existing = find_company(name=data.name, province=data.province)
        if existing is not None and data.tax_code and existing.tax_code:
            raise DomainError(
                "tax_code",
                _l(
                    "A company of this name in this province is registered with another tax"
                    " code: check the tax code."
                ),
            )
    if existing is not None:
        return ask_to_join(user, existing)
    try:
        company = create_company(data)
    except DomainError:  # registered a moment ago, by someone else
        existing = (data.tax_code and find_company(data.tax_code)) or find_company(
            name=data.name, province=data.province
        )
        if existing is None:
            raise
        return ask_to_join(user, existing)
    db.session.flush()
    return _activate(
        Membership(company_id=company.id, user_id=user.id, source="founder", is_manager=True),
        user,
    )


def ask_to_join(user: User, company: Company) -> Membership:
    """A request that waits for one of the company's managers (asking twice is asking
    once)."""
    _no_company_yet(user)
    waiting = db.session.scalar(
        select(Membership).where(
            Membership.company_id == company.id,
            Membership.user_id == user.id,
            Membership.state == "requested",
        )
    )
    if waiting is not None:
        return waiting
    row = Membership(company_id=company.id, user_id=user.id, state="requested", source="request")
    if _member_count(company.id) == 0:
        return _activate(row, user)  # nobody to ask: the first to come in manages it
    db.session.add(row)
    db.session.flush()
    return row


def _no_company_yet(user: User) -> None:
    if user.membership is not None:
        raise DomainError(
            None, _l("You are a member of a company already: leave it first to join another.")
        )


def _close(row: Membership, by: User) -> None:
    """End the membership, request or invitation ``row``, as ``by`` did."""
    row.state, row.ended_at, row.ended_by_id = "removed", utcnow(), by.id


def cancel_request(row: Membership, user: User) -> None:
    _locked(row, "requested")
    _close(row, user)


def approve(row: Membership, manager: User) -> Membership:
    """Let the person who asked in: they become a member (leaving any other company)."""
    _locked(row, "requested")
    assert row.user is not None  # a request has its account
    _refresh(row.user)
    if row.user.membership is not None:  # their other requests close when they join
        raise DomainError(None, _l("This person has joined another company meanwhile."))
    row.approved_by_id = manager.id
    audit.record(manager, "membership.approve", user_id=row.user_id, company_id=row.company_id)
    return _activate(row, row.user)


def refuse(row: Membership, manager: User) -> None:
    _locked(row, "requested")
    _close(row, manager)
    audit.record(manager, "membership.refuse", user_id=row.user_id, company_id=row.company_id)


# -- invitations ---------------------------------------------------------------------------


def _invitations() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="company-invitation")


def invite(
    company: Company, inviter: User, email: str, manager: bool = False
) -> tuple[Membership, str] | None:
    """An invitation for ``email`` (to be a manager, with ``manager``) and the token of
    its link, which works once; None when the address belongs to a member already.
    Inviting again sends a new link (the old one stops working)."""
    email = normalise_email(email)
    account = db.session.scalar(select(User).where(User.email == email))
    if account is not None and account.company_id == company.id:
        return None
    row = db.session.scalar(
        select(Membership).where(
            Membership.company_id == company.id,
            Membership.state == "invited",
            Membership.email == email,
        )
    )
    if row is None:
        row = Membership(company_id=company.id, email=email, state="invited", source="invitation")
        db.session.add(row)
    secret = secrets.token_urlsafe(24)
    row.secret_hash = digest(secret)
    row.invited_by_id = inviter.id
    row.is_manager = manager
    row.created_at = utcnow()
    db.session.flush()
    audit.record(inviter, "membership.invite", company_id=company.id, email=email)
    return row, _invitations().dumps({"id": row.id, "secret": secret})


def invitation_of(token: str) -> Membership | None:
    """The waiting invitation that ``token`` names, if genuine and not expired."""
    max_age = current_app.config["INVITE_TOKEN_SECONDS"]
    try:
        data = _invitations().loads(token, max_age=max_age)
        row_id, secret = int(data["id"]), str(data["secret"])
    except (BadData, KeyError, TypeError, ValueError):
        return None
    row = db.session.get(Membership, row_id) if 0 < row_id <= MAX_ID else None
    if row is None or row.state != "invited" or row.secret_hash is None:
        return None
    return row if secrets.compare_digest(row.secret_hash, digest(secret)) else None


def accept(row: Membership, user: User) -> Membership:
    """The invited person joins (leaving any other company). Following the link sent to
    their own address confirms that address."""
    _locked(row, "invited")
    if user.email == row.email:
        mark_confirmed(user)
    row.secret_hash = None  # the link is used up
    row.approved_by_id = row.invited_by_id
    return _activate(row, user)


def revoke(row: Membership, manager: User) -> None:
    _locked(row, "invited")
    _close(row, manager)
    audit.record(manager, "membership.revoke", company_id=row.company_id, email=row.email)
    row.secret_hash = None


def _shared_links() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="company-link")


def shared_link(company: Company) -> str | None:
    """The token of the company's shared invitation link, if it has one."""
    if company.invite_nonce is None:
        return None
    return _shared_links().dumps({"company": company.id, "nonce": company.invite_nonce})


def new_shared_link(company: Company, by: User) -> str:
    """A new shared link; the previous one stops working."""
    company.invite_nonce = secrets.token_urlsafe(16)
    audit.record(by, "company.new_link", company_id=company.id)
    return shared_link(company) or ""


def revoke_shared_link(company: Company, by: User) -> None:
    company.invite_nonce = None
    audit.record(by, "company.stop_link", company_id=company.id)


def company_of_link(token: str) -> Company | None:
    try:
        data = _shared_links().loads(token)
        company_id, nonce = int(data["company"]), str(data["nonce"])
    except (BadData, KeyError, TypeError, ValueError):
        return None
    company = db.session.get(Company, company_id) if 0 < company_id <= MAX_ID else None
    if company is None or company.invite_nonce is None:
        return None
    return company if secrets.compare_digest(company.invite_nonce, nonce) else None


def join_by_link(company: Company, user: User) -> Membership:
    """Join through the company's shared link, unless a manager removed the person from
    this company: the link does not undo that."""
    removed = db.session.scalar(
        select(Membership.id).where(
            Membership.company_id == company.id,
            Membership.user_id == user.id,
            Membership.joined_at.is_not(None),
            Membership.state == "removed",
            Membership.ended_by_id != user.id,
        )
    )
    if removed is not None:
        raise DomainError(
            None, _l("A manager removed you from this company: ask them to invite you again.")
        )
    return _activate(Membership(company_id=company.id, user_id=user.id, source="link"), user)


def enrol(company: Company, user: User, by: User | None, manager: bool = False) -> Membership:
    """An administrator (None: the command line) puts the person in the company, as an
    import does: they leave any other."""
    row = Membership(company_id=company.id, user_id=user.id, source="import",
                     is_manager=manager, approved_by_id=by.id if by else None)  # fmt: skip
    return _activate(row, user)


def enrol_new(company: Company, people: Sequence[tuple[User, bool]], by: User | None) -> None:
    """Put accounts created a moment ago, who belong to no company, in the company in one
    go, as an import does: (user, manager) each. The company keeps a manager (the first
    of them when it has none), and the invitations to their addresses there close."""
    _lock(company.id)
    now = utcnow()
    rows = [
        Membership(company_id=company.id, user_id=user.id, source="import", state="active",
                   is_manager=manager, approved_by_id=by.id if by else None, joined_at=now)
        for user, manager in people
    ]  # fmt: skip
    if rows and not any(row.is_manager for row in rows) and not _managers_of(company.id):
        rows[0].is_manager = True
    db.session.add_all(rows)
    joining = {user.email: user for user, _manager in people}
    for waiting in db.session.scalars(
        select(Membership).where(
            Membership.company_id == company.id,
            Membership.state == "invited",
            Membership.email.in_(list(joining)),
        )
    ):
        _close(waiting, joining[waiting.email])  # as _activate closes them
        waiting.secret_hash = None
    for user, _manager in people:
        _refresh(user)
    _changed(company.id)


# -- members -------------------------------------------------------------------------------


def _activate(row: Membership, user: User | None) -> Membership:
    """Make ``row`` the person's active membership, ending the one they had."""
    assert user is not None
    _lock(row.company_id)
    _refresh(user)
    previous = user.membership
    if previous is not None and previous.company_id == row.company_id:
        raise DomainError(None, _l("You are a member of this company already."))
    if previous is not None:
        _end(previous, user)
        db.session.flush()  # the one-active-membership index sees the old one ended
    if not _managers_of(row.company_id):
        row.is_manager = True  # a company with members keeps a manager
    row.user_id, row.state, row.joined_at = user.id, "active", utcnow()
    db.session.add(row)
    db.session.flush()
    for waiting in db.session.scalars(
        select(Membership).where(
            Membership.id != row.id,
            ((Membership.user_id == user.id) & (Membership.state == "requested"))
            | (
                (Membership.company_id == row.company_id)
                & (Membership.email == user.email)
                & (Membership.state == "invited")
            ),
        )
    ):
        _close(waiting, user)  # their other requests, and other invitations to them here
        waiting.secret_hash = None
    _refresh(user)
    _changed(row.company_id, previous.company_id if previous else None)
    return row


def _end(row: Membership, by: User) -> None:
    """End an active membership, unless it is the last manager's of a company that has
    other members."""
    _lock(row.company_id)
    if row.is_manager and _other_managers(row) == 0 and _member_count(row.company_id) > 1:
        raise DomainError(
            None,
            _l("A company keeps at least one manager: appoint another before that one leaves."),
        )
    _close(row, by)


def _managers_of(company_id: int) -> int:
    return db.session.scalar(
        select(func.count()).where(
            Membership.company_id == company_id, Membership.state == "active", Membership.is_manager
        )
    )


def _other_managers(row: Membership) -> int:
    return db.session.scalar(
        select(func.count()).where(
            Membership.company_id == row.company_id,
            Membership.state == "active",
            Membership.is_manager,
            Membership.id != row.id,
        )
    )


def _member_count(company_id: int) -> int:
    return db.session.scalar(
        select(func.count()).where(
            Membership.company_id == company_id, Membership.state == "active"
        )
    )


def leave(user: User) -> None:
    row = user.membership
    if row is None:
        return
    _end(row, user)
    _refresh(user)
    _changed(row.company_id)


def remove(row: Membership, manager: User) -> None:
    """A manager removes a member: their answers stop counting in the company result."""
    _end(row, manager)
    audit.record(manager, "membership.remove", user_id=row.user_id, company_id=row.company_id)
    _refresh(row.user)
    _changed(row.company_id)


def set_manager(row: Membership, manager: bool, by: User | None) -> None:
    """Appoint a member manager, or make a manager a member again (not the last one)."""
    _lock(row.company_id)
    if not manager and row.is_manager and _other_managers(row) == 0:
        raise DomainError(None, _l("A company keeps at least one manager: appoint another first."))
    if row.is_manager != manager:
        audit.record(by, "membership.manager", user_id=row.user_id, company_id=row.company_id,
                     manager=manager)  # fmt: skip
    row.is_manager = manager
    if not manager:
        row.digest = False
    db.session.flush()


def split_addresses(text: str) -> Sequence[str]:
    """The addresses in what was typed (separated by commas, semicolons, spaces or lines),
    as addresses compare, each once, in the order typed."""
    for separator in ",;\n\r\t":
        text = text.replace(separator, " ")
    return list(dict.fromkeys(normalise_email(part) for part in text.split(" ") if part))


def data_of(user: User) -> list[dict]:
    """The person's memberships, past and present, for their own download."""
    rows = db.session.scalars(
        select(Membership).where(Membership.user_id == user.id).order_by(Membership.created_at)
    )
    return [
        {
            "company": row.company.name,
            "state": row.state,
            "how": row.source,
            "manager": row.is_manager,
            "since": row.created_at,
            "joined_at": row.joined_at,
            "ended_at": row.ended_at,
        }
        for row in rows
    ]
