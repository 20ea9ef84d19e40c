"""Importing learners: the dry run over the whole file (what would be created, updated,
skipped, and every problem), then the import itself, which writes everything or nothing.
New accounts get an e-mail with a link to choose their password."""

from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit, jobs, mail
from app.admin.importing import CompanyCell, Learner, Problem, read_learners, read_table
from app.auth import membership
from app.auth.choices import SECTORS, SIZE_BANDS
from app.auth.models import Company, User
from app.auth.services import NewCompany, create_company, issue_links
from app.db_types import utcnow
from app.extensions import db
from app.languages import DEFAULT_LANGUAGE, LANGUAGES
from app.programmes import services as programme_services
from app.transactions import committed


def _labels(choices: dict) -> list[dict[str, str]]:
    """Per language, {label: key}: a file may name a sector in either."""
    sets = []
    for language in LANGUAGES:
        with force_locale(language):
            sets.append({str(label): key for key, label in choices.items()})
    return sets


@dataclass
class Plan:
    create: list[Learner] = field(default_factory=list)
    update: list[Learner] = field(default_factory=list)
    skip: list[Learner] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """The last line the command prints, always in these words."""
        return (
            f"created {len(self.create)}, updated {len(self.update)}, "
            f"skipped {len(self.skip)}, errors {len(self.problems)}"
        )


def _find(cell: CompanyCell) -> Company | None:
    return membership.find_company(cell.tax_code, cell.name, cell.province or "")


def plan(data: bytes, filename: str, update: bool) -> Plan:
    """The dry run: reads the whole file and says what the import would do. Raises
    importing.FileRefused for a file that cannot be read at all."""
    learners, problems = read_learners(
        read_table(data, filename), _labels(SECTORS), _labels(SIZE_BANDS)
    )
    result = Plan(problems=list(problems))
    existing = set(
        db.session.scalars(select(User.email).where(User.email.in_([x.email for x in learners])))
    ) if learners else set()  # fmt: skip
    described: dict[tuple[str, str], CompanyCell] = {}
    programmes: dict[str, bool] = {}
    found: dict[tuple[str, str], bool] = {}  # companies registered already
    for learner in learners:
        missing = [
            name for name in learner.programmes
            if programmes.setdefault(name, programme_services.find(name) is not None) is False
        ]  # fmt: skip
        if missing:
            result.problems.append(
                Problem(learner.row, "programme", _l("No programme has this name."))
            )
            continue
        cell = learner.company
        key = (cell.name.casefold(), cell.province or "") if cell else ("", "")
        if cell is not None and key not in found:
            found[key] = _find(cell) is not None
        if cell is not None and not found[key]:
            if not (cell.complete or key in described):
                result.problems.append(
                    Problem(learner.row, "company", _l(
                        "This company is not registered: give its name, province, sector"
                        " and size to register it."
                    ))
                )  # fmt: skip
                continue
            described.setdefault(key, cell)
        if learner.email in existing:
            (result.update if update else result.skip).append(learner)
        else:
            result.create.append(learner)
    result.problems.sort(key=lambda problem: problem.row)
    return result


def apply(plan: Plan, by: User | None) -> list[tuple[User, str]]:
    """Write the plan (one transaction: the caller commits, or rolls back on an error):
    the new accounts and their links to choose a password, for the caller to e-mail.
    New accounts are written together, and join their companies together; an account
    that exists already changes one at a time."""
    assert not plan.problems
    companies: dict[tuple[str, str], Company] = {}
    rows = sorted(plan.create + plan.update, key=lambda learner: learner.row)
    for learner in rows:  # in the file's order: a company is described on its first row
        if learner.company is not None:
            _company_of(learner.company, companies)
    users = {
        user.email: user
        for user in db.session.scalars(
            select(User).where(User.email.in_([learner.email for learner in plan.update]))
        )
    } if plan.update else {}  # fmt: skip
    now = utcnow()
    new = []
    for learner in plan.create:
        user = User(
            email=learner.email,
            name=learner.name,
            role=learner.role,
            locale=learner.locale,
            email_confirmed_at=now,
        )  # the programme vouches
        user.set_password(learner.password)  # fmt: skip
        users[learner.email] = user
        new.append(user)
    db.session.add_all(new)
    db.session.flush()
    programme_services.enrol_invited(new)  # the programme vouches for their addresses
    created_rows = {learner.row for learner in plan.create}
    joining: dict[int, list[tuple[User, bool]]] = defaultdict(list)
    enrolling: dict[str, list[str]] = defaultdict(list)
    for learner in rows:
        user = users[learner.email]
        if learner.row not in created_rows:
            user.name, user.role = learner.name, learner.role
            user.locale = learner.locale or user.locale
        for name in learner.programmes:
            enrolling[name].append(user.email)
        if learner.company is None:
            continue
        company = _company_of(learner.company, companies)
        if learner.row in created_rows:
            joining[company.id].append((user, learner.manager))
        elif user.company_id != company.id:
            membership.enrol(company, user, by, manager=learner.manager)
        elif learner.manager and not user.is_company_manager:
            membership.set_manager(user.membership, True, by)
    by_id = {company.id: company for company in companies.values()}
    placed = len(rows) - sum(len(people) for people in joining.values())
    for company_id, people in joining.items():
        membership.enrol_new(by_id[company_id], people, by)
        placed += len(people)
        jobs.report(placed, len(rows))
    for name, emails in enrolling.items():
        programme = programme_services.find(name)
        assert programme is not None  # the plan found it
        programme_services.enrol_learners(programme, emails, by)
    welcome = [users[learner.email] for learner in plan.create if learner.password is None]
    audit.record(by, "user.import", created=len(plan.create), updated=len(plan.update),
                 skipped=len(plan.skip))  # fmt: skip
    db.session.flush()
    return list(zip(welcome, issue_links(welcome, "welcome"), strict=True))


def _company_of(cell: CompanyCell, made: dict[tuple[str, str], Company]) -> Company:
    """The company a cell names: found, created a row earlier, or created now."""
    key = (cell.name.casefold(), cell.province or "")
    company = made.get(key) or _find(cell)
    if company is None:
        company = create_company(
            NewCompany(
                cell.name,
                cell.sector or "",
                cell.size_band or "",
                cell.province or "",
                cell.tax_code,
            )  # fmt: skip
        )
        db.session.flush()
    made[key] = company
    return company


def run(data: bytes, filename: str, update: bool, by_id: int | None, site: str) -> str:
    """The import of a file checked a moment ago, as a background job: plan it again
    (the accounts may have changed since), write it all or nothing, send the welcome
    e-mails, their links on ``site`` (the address the administrator used); what it did,
    in the words of the administrator's language."""
    by = db.session.get(User, by_id) if by_id is not None else None
    with force_locale((by.locale if by else None) or DEFAULT_LANGUAGE):
        checked = plan(data, filename, update)
        if checked.problems:
            return str(_l("The file no longer imports as checked: check it again."))
        welcome = committed(lambda: apply(checked, by))
        # the links are built as in the administrator's request, which no worker has
        with current_app.test_request_context(base_url=site):
            for user, token in welcome:
                send_welcome(user, token)
        return str(_l("Imported: %(summary)s.", summary=checked.summary))


def send_welcome(user: User, token: str) -> None:
    """E-mail a new account the link to choose its password (through the job queue)."""
    days = current_app.config["WELCOME_TOKEN_SECONDS"] // 86400
    link = url_for("auth.reset_password", token=token, _external=True)
    mail.send(user.email, "welcome", user.locale or DEFAULT_LANGUAGE, name=user.name,
              link=link, days=days)  # fmt: skip
