"""Programmes: named intakes that require modules and enrol companies (with all their
members) and learners. Services flush; the caller commits."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, func, insert, select

from app import audit
from app.auth.models import Company, Membership, User
from app.auth.services import email_confirmed, normalise_email
from app.content.models import Module
from app.errors import DomainError
from app.extensions import db
from app.programmes.models import (
    Programme,
    ProgrammeInvitation,
    programme_companies,
    programme_learners,
    programme_modules,
)
from app.text import comparable


@dataclass(frozen=True)
class ProgrammeData:
    name_vi: str
    name_en: str
    starts_on: date | None
    ends_on: date | None
    module_ids: Sequence[int]


def save(programme: Programme | None, data: ProgrammeData, by: User) -> Programme:
    """Create a programme (``programme`` None) or change one."""
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise DomainError("ends_on", _l("The end comes after the start."))
    created = programme is None
    if programme is None:
        programme = Programme()
        db.session.add(programme)
    programme.name_vi, programme.name_en = data.name_vi, data.name_en
    programme.starts_on, programme.ends_on = data.starts_on, data.ends_on
    programme.modules = list(
        db.session.scalars(select(Module).where(Module.id.in_(list(data.module_ids))))
    )
    db.session.flush()
    audit.record(by, "programme.create" if created else "programme.edit",
                 programme=programme.id, name=programme.name_vi,
                 modules=[module.slug for module in programme.modules])  # fmt: skip
    return programme


def every() -> list[Programme]:
    """Every programme, the newest first."""
    return list(db.session.scalars(select(Programme).order_by(Programme.id.desc())))


def listing() -> list[tuple[Programme, int, int]]:
    """Every programme, the newest first, with its numbers of companies and learners."""
    companies = (
        select(func.count())
        .where(programme_companies.c.programme_id == Programme.id)
        .scalar_subquery()
    )
    learners = (
        select(func.count())
        .where(programme_learners.c.programme_id == Programme.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Programme, companies, learners).order_by(Programme.id.desc())
    ).all()
    return [(programme, n_companies, n_learners) for programme, n_companies, n_learners in rows]


def find(name: str) -> Programme | None:
    """The programme of this name, in either language."""
    key = comparable(name)
    for programme in db.session.scalars(select(Programme)):
        if key in (comparable(programme.name_vi), comparable(programme.name_en)):
            return programme
    return None


def enrol_companies(programme: Programme, refs: Sequence[str], by: User) -> list[str]:
    """Enrol the companies named by their numbers or tax codes; the refs not found."""
    unknown, found = [], []
    for ref in refs:
        digits = ref.replace(".", "").replace("-", "").replace(" ", "")
        company = None
        if digits.isdigit() and len(digits) in (10, 13):
            company = db.session.scalar(select(Company).where(Company.tax_code == digits))
        if company is None and digits.isdigit() and int(digits) < 2**31:
            company = db.session.get(Company, int(digits))
        (found.append(company) if company else unknown.append(ref))
    enrolled = set(programme_company_ids(programme))
    new = [company for company in dict.fromkeys(found) if company.id not in enrolled]
    if new:
        db.session.execute(
            insert(programme_companies),
            [{"programme_id": programme.id, "company_id": company.id} for company in new],
        )
        audit.record(by, "programme.enrol_companies", programme=programme.id,
                     companies=[company.id for company in new])  # fmt: skip
    return unknown


def enrol_learners(programme: Programme, emails: Sequence[str], by: User | None) -> list[str]:
    """Enrol the accounts with these emails; the emails that have none."""
    wanted = [normalise_email(email) for email in emails]
    users = {
        user.email: user for user in db.session.scalars(select(User).where(User.email.in_(wanted)))
    }
    enrolled = set(
        db.session.scalars(
            select(programme_learners.c.user_id).where(
                programme_learners.c.programme_id == programme.id
            )
        )
    )
    new = [
        users[email]
        for email in dict.fromkeys(wanted)
        if email in users and users[email].id not in enrolled
    ]
    if new:
        db.session.execute(
            insert(programme_learners),
            [{"programme_id": programme.id, "user_id": user.id} for user in new],
        )
        audit.record(by, "programme.enrol_learners", programme=programme.id,
                     users=[user.id for user in new])  # fmt: skip
    return [email for email in wanted if email not in users]


def programme_company_ids(programme: Programme) -> list[int]:
    return list(
        db.session.scalars(
            select(programme_companies.c.company_id).where(
                programme_companies.c.programme_id == programme.id
            )
        )
    )


def remove_company(programme: Programme, company_id: int, by: User) -> None:
    db.session.execute(
        delete(programme_companies).where(
            programme_companies.c.programme_id == programme.id,
            programme_companies.c.company_id == company_id,
        )
    )
    audit.record(by, "programme.remove_company", programme=programme.id, company_id=company_id)


def invite_learners(programme: Programme, emails: Sequence[str], by: User | None) -> list[str]:
    """Invite to the programme the addresses that have no account yet (those that have
    one are enrolled instead, by enrol_learners); the addresses newly invited, for the
    caller to e-mail once committed."""
    wanted = list(dict.fromkeys(normalise_email(email) for email in emails))
    taken = set(db.session.scalars(select(User.email).where(User.email.in_(wanted))))
    waiting = {row.email for row in programme.invitations}
    new = [email for email in wanted if email not in taken and email not in waiting]
    for email in new:
        programme.invitations.append(
            ProgrammeInvitation(email=email, invited_by_id=by.id if by else None)
        )
    if new:
        db.session.flush()
        audit.record(by, "programme.invite", programme=programme.id, emails=new)
    return new


def withdraw_invitation(programme: Programme, email: str, by: User) -> None:
    db.session.execute(
        delete(ProgrammeInvitation).where(
            ProgrammeInvitation.programme_id == programme.id, ProgrammeInvitation.email == email
        )
    )
    audit.record(by, "programme.withdraw_invitation", programme=programme.id, email=email)


def enrol_invited(users: Sequence[User]) -> None:
    """Enrol the accounts in the programmes their addresses were invited to, and close
    those invitations: the addresses are confirmed as theirs."""
    by_email = {user.email: user for user in users}
    rows = list(
        db.session.scalars(
            select(ProgrammeInvitation).where(ProgrammeInvitation.email.in_(list(by_email)))
        )
    ) if by_email else []  # fmt: skip
    if not rows:
        return
    enrolled = {
        (programme_id, user_id)
        for programme_id, user_id in db.session.execute(
            select(programme_learners.c.programme_id, programme_learners.c.user_id).where(
                programme_learners.c.user_id.in_([user.id for user in users])
            )
        )
    }
    new = [(row.programme_id, by_email[row.email]) for row in rows
           if (row.programme_id, by_email[row.email].id) not in enrolled]  # fmt: skip
    if new:
        rows_ = [{"programme_id": pid, "user_id": user.id} for pid, user in new]
        db.session.execute(insert(programme_learners), rows_)
    for programme_id, user in new:
        audit.record(user, "programme.invitation_accepted", programme=programme_id,
                     user_id=user.id)  # fmt: skip
    for row in rows:
        db.session.delete(row)
    db.session.flush()


@email_confirmed.connect
def _enrol_when_confirmed(app, user: User) -> None:
    enrol_invited([user])


def remove_learner(programme: Programme, user_id: int, by: User) -> None:
    db.session.execute(
        delete(programme_learners).where(
            programme_learners.c.programme_id == programme.id,
            programme_learners.c.user_id == user_id,
        )
    )
    audit.record(by, "programme.remove_learner", programme=programme.id, user_id=user_id)


def learner_ids(programme_id: int) -> Select:
    """The ids of everyone in the programme: enrolled themselves, or active members of a
    company enrolled."""
    direct = select(programme_learners.c.user_id).where(
        programme_learners.c.programme_id == programme_id
    )
    through_company = (
        select(Membership.user_id)
        .join(programme_companies, programme_companies.c.company_id == Membership.company_id)
        .where(programme_companies.c.programme_id == programme_id, Membership.state == "active")
    )
    return direct.union(through_company)


def company_ids(programme_id: int) -> Select:
    return select(programme_companies.c.company_id).where(
        programme_companies.c.programme_id == programme_id
    )


def data_of(user: User) -> list[dict]:
    """The programmes the person is enrolled in themselves, for their own download."""
    rows = db.session.scalars(
        select(Programme)
        .join(programme_learners, programme_learners.c.programme_id == Programme.id)
        .where(programme_learners.c.user_id == user.id)
    )
    return [{"programme": row.name_en, "starts_on": row.starts_on} for row in rows]


def required_slugs(programme_id: int) -> set[str]:
    """The slugs of the modules the programme requires."""
    return set(
        db.session.scalars(
            select(Module.slug)
            .join(programme_modules, programme_modules.c.module_id == Module.id)
            .where(programme_modules.c.programme_id == programme_id)
        )
    )
