"""Certificates: issued when a learner completes a module, or every module a programme
requires; issued by hand by an administrator (offline training), revoked with a reason,
re-issued after a name correction. Services flush; the caller commits.

The e-mail that brings a learner their certificate is sent once the transaction that
issued it commits (a rolled-back issue sends nothing), through the job queue."""

import unicodedata
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, event, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app import audit, mail
from app.auth.models import User
from app.auth.services import get_user_by_email
from app.certificates import codes
from app.certificates.document import CertificateView
from app.certificates.keys import IssuerKeys
from app.certificates.models import Certificate
from app.content.models import Module
from app.db_types import utcnow
from app.errors import DomainError
from app.extensions import db
from app.languages import DEFAULT_LANGUAGE, LANGUAGES
from app.learn.models import ModuleRecord
from app.learn.services import module_completed
from app.programmes.models import Programme, programme_modules
from app.programmes.services import learner_ids
from app.text import fold

#: how many times an issue is tried again when another took its code or its place in
#: the status list at the same moment
_ATTEMPTS = 5
_TO_MAIL = "dxa_certificates_to_mail"


class AlreadyHeld(DomainError):
    message = _l("This person already holds a valid certificate of it.")


class NotValid(DomainError):
    message = _l("Only a valid certificate can be changed: this one was revoked or replaced.")


class NameUnchanged(DomainError):
    message = _l(
        "The holder's name has not changed since this certificate was issued: correct it on"
        " their account first, then re-issue."
    )


# -- finding ---------------------------------------------------------------------------------


def find(text: str) -> Certificate | None:
    """The certificate of a code however it was typed; None for no such code."""
    code = codes.normalise(text)
    if code is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def held_by(user: User) -> list[Certificate]:
    """The person's certificates, the newest first."""
    return list(
        db.session.scalars(
            select(Certificate)
            .options(selectinload(Certificate.module), selectinload(Certificate.programme))
            .where(Certificate.user_id == user.id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def standing_for_module(user_id: int, module_id: int) -> Certificate | None:
    """The learner's valid certificate of the module, if they hold one."""
    return db.session.scalar(
        select(Certificate).where(
            Certificate.user_id == user_id,
            Certificate.module_id == module_id,
            Certificate.revoked_at.is_(None),
            Certificate.replaced_at.is_(None),
        )
    )


def listing(query: str = "", programme_id: int | None = None) -> Select:
    """Every certificate, the newest first; those whose code is ``query`` (however
    typed), or whose holder's name and title hold each of its words; of a programme
    (``programme_id``): its own certificates, and those of the modules it requires held
    by its learners."""
    statement = select(Certificate).options(
        selectinload(Certificate.module), selectinload(Certificate.programme)
    )
    if programme_id is not None:
        required = select(programme_modules.c.module_id).where(
            programme_modules.c.programme_id == programme_id
        )
        statement = statement.where(
            or_(
                Certificate.programme_id == programme_id,
                and_(
                    Certificate.module_id.in_(required),
                    Certificate.user_id.in_(learner_ids(programme_id)),
                ),
            )
        )
    code = codes.normalise(query)
    words = fold(query).split()
    if words:
        matches = []
        for word in words:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            matches.append(Certificate.search_key.like(f"%{escaped}%", escape="\\"))
        by_words = and_(*matches)
        statement = statement.where(or_(Certificate.code == code, by_words) if code else by_words)
    return statement.order_by(Certificate.issued_at.desc(), Certificate.id.desc())


def issued_count() -> int:
    """How many certificates were issued (re-issues and revoked ones included)."""
    return db.session.scalar(select(func.count(Certificate.id))) or 0


# -- issuing ---------------------------------------------------------------------------------


def _search_key(holder: str, code: str, module: Module | None, programme: Programme | None):
    if module is not None:
        titles = [module.slug, *(module.text(locale).title for locale in LANGUAGES)]
    else:
        assert programme is not None
        titles = [programme.name_vi, programme.name_en]
    return fold(" ".join([holder, code, *titles]))[:800]


def _standing_exists(user: User, module: Module | None, programme: Programme | None) -> bool:
    column = Certificate.module_id if module is not None else Certificate.programme_id
    target = module if module is not None else programme
    assert target is not None
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Certificate.user_id == user.id,
                    column == target.id,
                    Certificate.revoked_at.is_(None),
                    Certificate.replaced_at.is_(None),
                )
            )
        )
    )


def issue(
    user: User,
    *,
    module: Module | None = None,
    programme: Programme | None = None,
    by: User | None = None,
    reason: str = "",
    notify: bool = True,
) -> Certificate:
    """Issue the person a certificate of ``module`` or of ``programme``, in their name
    and language as they are now; ``by`` an administrator (None: on completion). Raises
    AlreadyHeld when they hold a valid one (also when another request issued it at the
    same moment). ``notify``: e-mail it to them once committed."""
    if (module is None) == (programme is None):
        raise ValueError("a certificate is of a module or of a programme")
    holder = unicodedata.normalize("NFC", " ".join(user.name.split()))
    for _attempt in range(_ATTEMPTS):
        if _standing_exists(user, module, programme):
            raise AlreadyHeld("module" if module is not None else "programme")
        code = codes.generate()
        next_index = select(func.coalesce(func.max(Certificate.status_index), -1) + 1)
        certificate = Certificate(
            code=code,
            user_id=user.id,
            module_id=module.id if module is not None else None,
            programme_id=programme.id if programme is not None else None,
            holder_name=holder,
            holder_locale=user.locale if user.locale in LANGUAGES else DEFAULT_LANGUAGE,
            issued_at=utcnow(),
            issued_by_id=by.id if by is not None else None,
            reason=reason,
            status_index=db.session.scalar(next_index),
            search_key=_search_key(holder, code, module, programme),
        )
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
        except IntegrityError:
            continue  # a code or a place in the list taken meanwhile, or the same issue
        if notify:
            _mail_once_committed(certificate, user, module, programme)
        return certificate
    if _standing_exists(user, module, programme):
        raise AlreadyHeld("module" if module is not None else "programme")
    raise RuntimeError("no certificate could be issued: codes and places kept being taken")


def _ever_issued(user_id: int, column, target_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(exists().where(Certificate.user_id == user_id, column == target_id))
        )
    )


def issue_on_completion(user_id: int, module_id: int) -> list[Certificate]:
    """The certificates that completing the module earns the learner: the module's, and
    those of the programmes they are in whose required modules are now all completed;
    each once (a revoked one is not issued again on its own). Those newly issued."""
    issued = []
    user = db.session.get(User, user_id)
    module = db.session.get(Module, module_id)
    if user is None or module is None:
        return issued
    if not _ever_issued(user_id, Certificate.module_id, module_id):
        with suppress(AlreadyHeld):  # issued by another request a moment ago
            issued.append(issue(user, module=module))
    for programme in _programmes_completed(user_id, module_id):
        with suppress(AlreadyHeld):
            issued.append(issue(user, programme=programme))
    return issued


def _programmes_completed(user_id: int, module_id: int) -> list[Programme]:
    """The programmes the learner is in that require the module, whose every required
    module they have completed, and that have never certified them."""
    required_modules = programme_modules.alias("required_modules")
    completed_modules = programme_modules.alias("completed_modules")
    required = (
        select(func.count())
        .select_from(required_modules)
        .where(required_modules.c.programme_id == Programme.id)
        .correlate(Programme)
        .scalar_subquery()
    )
    done = (
        select(func.count())
        .select_from(completed_modules)
        .join(
            ModuleRecord,
            (ModuleRecord.module_id == completed_modules.c.module_id)
            & (ModuleRecord.user_id == user_id)
            & ModuleRecord.completed_at.is_not(None),
        )
        .where(completed_modules.c.programme_id == Programme.id)
        .correlate(Programme)
        .scalar_subquery()
    )
    candidates = db.session.scalars(
        select(Programme)
        .join(programme_modules, programme_modules.c.programme_id == Programme.id)
        .where(programme_modules.c.module_id == module_id, done == required)
    )
    return [
        programme
        for programme in candidates
        if not _ever_issued(user_id, Certificate.programme_id, programme.id)
        and db.session.scalar(
            select(exists().where(learner_ids(programme.id).subquery().c.user_id == user_id))
        )
    ]


@module_completed.connect
def _on_completion(app, user_id: int, module_id: int) -> None:
    issue_on_completion(user_id, module_id)


@dataclass(frozen=True)
class ManualIssue:
    email: str
    module_id: int | None
    programme_id: int | None
    reason: str


def issue_by_hand(data: ManualIssue, by: User | None) -> Certificate:
    """An administrator issues a certificate for training done elsewhere, with a
    reason. Raises DomainError on the field at fault."""
    user = get_user_by_email(data.email)
    if user is None:
        raise DomainError("email", _l("No account has this email."))
    module = db.session.get(Module, data.module_id) if data.module_id else None
    programme = db.session.get(Programme, data.programme_id) if data.programme_id else None
    if module is None and programme is None:
        raise DomainError("module", _l("Choose a module or a programme."))
    if module is not None and programme is not None:
        raise DomainError("programme", _l("Choose a module or a programme, not both."))
    if not data.reason.strip():
        raise DomainError("reason", _l("Say why it is issued by hand."))
    certificate = issue(user, module=module, programme=programme, by=by,
                        reason=data.reason.strip())  # fmt: skip
    audit.record(by, "certificate.issue", user_id=user.id, code=certificate.code,
                 target=module.slug if module else programme.name_vi,  # type: ignore[union-attr]
                 reason=certificate.reason)  # fmt: skip
    return certificate


def revoke(certificate: Certificate, reason: str, by: User | None) -> None:
    """Revoke the certificate: its verify page and its credential's status say so."""
    if certificate.state != "valid":
        raise NotValid("reason")
    if not reason.strip():
        raise DomainError("reason", _l("Say why it is revoked: the verify page shows it."))
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = by.id if by is not None else None
    certificate.revoke_reason = reason.strip()
    db.session.flush()
    audit.record(by, "certificate.revoke", user_id=certificate.user_id, code=certificate.code,
                 reason=certificate.revoke_reason)  # fmt: skip


def reissue(certificate: Certificate, by: User | None) -> Certificate:
    """Replace the certificate by a new one in the holder's name as it is now (after a
    correction); the old code's page then points to the new one."""
    if certificate.state != "valid":
        raise NotValid("reason")
    user = certificate.user
    if unicodedata.normalize("NFC", " ".join(user.name.split())) == certificate.holder_name:
        raise NameUnchanged("reason")
    certificate.replaced_at = utcnow()
    db.session.flush()  # the old one no longer stands, so that the new one may
    new = issue(user, module=certificate.module, programme=certificate.programme, by=by,
                reason=f"re-issue of {codes.display(certificate.code)}")  # fmt: skip
    certificate.replaced_by_id = new.id
    db.session.flush()
    audit.record(by, "certificate.reissue", user_id=user.id,
                 code=[certificate.code, new.code],
                 name=[certificate.holder_name, new.holder_name])  # fmt: skip
    return new


# -- what documents and pages show -----------------------------------------------------------


def issued_on(certificate: Certificate) -> date:
    """The day it was issued where the programme runs."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "UTC"))
    return certificate.issued_at.astimezone(zone).date()


def view_of(certificate: Certificate, verify_url: str) -> CertificateView:
    """What the certificate's documents say."""
    return CertificateView(
        code=codes.display(certificate.code),
        holder=certificate.holder_name,
        titles=certificate.titles(),
        kind=certificate.kind,
        issued_on=issued_on(certificate),
        issuer=current_app.config["CERTIFICATE_ISSUER"],
        locale=certificate.holder_locale,
        verify_url=verify_url,
    )


def linkedin_url(certificate: Certificate, title: str, verify_url: str) -> str:
    """LinkedIn's documented "Add to profile" address for a certification."""
    day = issued_on(certificate)
    return "https://www.linkedin.com/profile/add?" + urlencode(
        {
            "startTask": "CERTIFICATION_NAME",
            "name": title,
            "organizationName": current_app.config["CERTIFICATE_ISSUER"],
            "issueYear": day.year,
            "issueMonth": day.month,
            "certUrl": verify_url,
            "certId": codes.display(certificate.code),
        }
    )


def issuer_keys() -> IssuerKeys:
    """The issuer's keys: from CERTIFICATE_KEY, or CERTIFICATE_KEYS_DIR, where the first
    key is made when none is there yet (so that a new installation signs at once)."""
    directory = Path(current_app.config["CERTIFICATE_KEYS_DIR"])
    pem = current_app.config.get("CERTIFICATE_KEY") or None
    if pem is None and not (directory.is_dir() and any(directory.iterdir())):
        IssuerKeys.create(directory)
    return IssuerKeys.load(directory, pem)


def data_of(user: User) -> list[dict]:
    """The person's certificates, for their own download."""
    return [
        {
            "code": codes.display(certificate.code),
            "title": certificate.titles()["en"],
            "name": certificate.holder_name,
            "issued_at": certificate.issued_at,
            "status": certificate.state,
        }
        for certificate in held_by(user)
    ]


# -- the e-mail, once committed --------------------------------------------------------------


def _links_possible() -> bool:
    return has_request_context() or bool(current_app.config.get("SERVER_NAME"))


def _mail_once_committed(
    certificate: Certificate, user: User, module: Module | None, programme: Programme | None
) -> None:
    if not _links_possible():
        current_app.logger.warning(
            "certificate %s issued without e-mail: set SERVER_NAME for its links",
            certificate.code,
        )
        return
    locale = certificate.holder_locale
    title = (module.text(locale).title if module is not None
             else programme.name(locale))  # type: ignore[union-attr]  # fmt: skip
    code = codes.display(certificate.code)
    db.session.info.setdefault(_TO_MAIL, []).append(
        {
            "to": user.email,
            "locale": locale,
            "name": certificate.holder_name,
            "title": title,
            "code": code,
            "verify": url_for("certificates.verify", code=code, _external=True),
            "pdf": url_for("certificates.pdf", code=code, _external=True),
            "mine": url_for("certificates.mine", _external=True),
        }
    )


@event.listens_for(Session, "after_commit")
def _send_mail(session: Session) -> None:
    for message in session.info.pop(_TO_MAIL, []):
        to, locale = message.pop("to"), message.pop("locale")
        mail.send(to, "certificate", locale, **message)


@event.listens_for(Session, "after_soft_rollback")
def _forget_mail(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_TO_MAIL, None)


def status_list_state() -> tuple[list[int], datetime | None]:
    """The places of the revoked certificates in the status list, and since when the
    list says so: the latest revocation, or the first issue (None before any)."""
    rows = db.session.execute(
        select(Certificate.status_index, Certificate.revoked_at).where(
            Certificate.revoked_at.is_not(None)
        )
    ).all()
    latest = max((at for _index, at in rows), default=None)
    if latest is None:
        latest = db.session.scalar(select(func.min(Certificate.issued_at)))
    return [index for index, _at in rows], latest
