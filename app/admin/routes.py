"""The administrators' workplace under /admin/: the programme's dashboard, its users, its
companies, and the audit log."""

import base64
import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import func, select

from app import audit, jobs, mail
from app.access import admin_required
from app.admin import exports, imports, services
from app.admin.forms import (
    ROLE_NAMES,
    STATUS_NAMES,
    ActiveForm,
    CompanyEditForm,
    CompanyFilterForm,
    CompanyInviteForm,
    EnrolCompaniesForm,
    EnrolLearnersForm,
    ImportConfirmForm,
    ImportForm,
    MaturityForm,
    MergeForm,
    ProgrammeForm,
    RoleForm,
    UserFilterForm,
    WithdrawForm,
)
from app.admin.importing import FileRefused
from app.assessment import services as assessment_services
from app.auth import browsers, membership
from app.auth import services as auth_services
from app.auth.choices import SECTORS, SIZE_BANDS
from app.auth.forms import company_of
from app.auth.membership import split_addresses
from app.auth.models import Company, User
from app.auth.notices import send_invitation
from app.auth.routes import send_reset_link
from app.certificates import codes
from app.certificates import services as certificate_services
from app.companies import services as company_services
from app.companies.forms import ManagerForm
from app.content.catalogue import get_catalogue
from app.db_types import utcnow
from app.errors import DomainError
from app.extensions import db
from app.forms import BaseForm, refuse
from app.i18n import current_locale
from app.programmes import services as programme_services
from app.programmes.models import Programme
from app.security import MAX_ID, requested_page
from app.text import spreadsheet_cell
from app.transactions import committed

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 50


@bp.get("/")
@admin_required
def dashboard():
    now = utcnow()
    return render_template(
        "admin/dashboard.html",
        figures=services.figures(now),
        funnel=services.funnel(),
        weeks=services.completions_per_week(now.date()),
        spread=services.maturity_spread(),
    )


# -- users ---------------------------------------------------------------------------------


def _id_of(value: str | None) -> int | None:
    """A row's number typed in an address, or None for anything else."""
    return (
        int(value)
        if value and value.isascii() and value.isdigit() and int(value) <= MAX_ID
        else None
    )


@bp.get("/users")
@admin_required
def users():
    form = UserFilterForm(request.args)
    form.set_programmes(programme_services.every(), current_locale())
    valid = form.validate()
    chosen = services.UserFilter(
        query=form.q.data or "",
        role=form.role.data or "",
        company_id=_id_of(form.company.data),
        province=form.province.data or "",
        status=form.status.data or "",
        programme_id=int(form.programme.data) if form.programme.data else None,
    ) if valid else services.UserFilter()  # fmt: skip
    page = db.paginate(services.users(chosen), page=requested_page(), per_page=PER_PAGE)
    company = db.session.get(Company, chosen.company_id) if chosen.company_id else None
    return render_template(
        "admin/users.html",
        form=form,
        page=page,
        company=company,
        role_names=ROLE_NAMES,
        arguments={k: v for k, v in request.args.items() if k != "page" and v},
    ), 200 if valid else 400


def _account(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.get("/users/<int:user_id>")
@admin_required
def user(user_id):
    person = _account(user_id)
    return _user_page(person)


def _user_page(person, role_form=None, status=200):
    catalogue = get_catalogue(current_locale())
    completed = services.completed_by_learner(catalogue).get(person.id, set())
    return render_template(
        "admin/user.html",
        person=person,
        catalogue=catalogue,
        completed=completed,
        attempts=services.attempts_of(person),
        assessments=assessment_services.list_history(person),
        certificates=certificate_services.held_by(person),
        display_code=codes.display,
        sessions=auth_services.list_sessions(person),
        invitations=services.invitations_to(person.email),
        invite_form=CompanyInviteForm(formdata=None),
        entries=db.session.scalars(
            audit.entries().where(audit.AuditEntry.user_id == person.id).limit(20)
        ),
        role_form=role_form or RoleForm(formdata=None, role=person.role),
        active_form=ActiveForm(formdata=None),
        form=BaseForm(),
        role_names=ROLE_NAMES,
        status_names=STATUS_NAMES,
        describe=audit.describe,
        describe_browser=browsers.describe,
    ), status


def _not_oneself(person) -> None:
    if person.id == current_user.id:
        abort(400)  # an administrator does not lock themselves out


@bp.post("/users/<int:user_id>/role")
@admin_required
def change_role(user_id):
    person = _account(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _user_page(person, role_form=form, status=400)
    _not_oneself(person)
    if form.role.data != person.role:
        audit.record(current_user, "user.role", user_id=person.id,
                     role=[person.role, form.role.data])  # fmt: skip
        person.role = form.role.data
        db.session.commit()
        flash(_("%(name)s is now: %(role)s.", name=person.name, role=ROLE_NAMES[person.role]),
              "success")  # fmt: skip
    return redirect(url_for("admin.user", user_id=person.id))


@bp.post("/users/<int:user_id>/active")
@admin_required
def set_active(user_id):
    person = _account(user_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)
    _not_oneself(person)
    active = form.active.data == "1"
    if active != person.active:
        auth_services.set_active(person, active)
        audit.record(current_user, "user.reactivate" if active else "user.deactivate",
                     user_id=person.id, company_id=person.company_id)  # fmt: skip
        db.session.commit()
    if active:
        flash(_("%(name)s can log in again.", name=person.name), "success")
    else:
        flash(_("%(name)s can no longer log in, and every session of theirs has ended.",
                name=person.name), "info")  # fmt: skip
    return redirect(url_for("admin.user", user_id=person.id))


@bp.post("/users/<int:user_id>/reset")
@admin_required
def send_reset(user_id):
    if not BaseForm().validate_on_submit():
        abort(400)
    person = _account(user_id)
    if not person.active:
        abort(400)
    if person.has_password:
        token = auth_services.issue_link(person, "reset")
        audit.record(current_user, "user.reset_link", user_id=person.id)
        db.session.commit()
        send_reset_link(person, token)
    else:  # an imported account whose owner has not chosen a password yet
        token = auth_services.issue_link(person, "welcome")
        audit.record(current_user, "user.welcome_link", user_id=person.id)
        db.session.commit()
        imports.send_welcome(person, token)
    flash(_("A link to choose a new password is on its way to %(email)s.", email=person.email),
          "success")  # fmt: skip
    return redirect(url_for("admin.user", user_id=person.id))


# -- the audit log -------------------------------------------------------------------------


@bp.get("/audit")
@admin_required
def audit_log():
    action = request.args.get("action", "")
    statement = audit.entries(action)
    page = db.paginate(statement, page=requested_page(), per_page=PER_PAGE)
    return render_template(
        "admin/audit.html",
        page=page,
        action=action,
        actions=audit.actions(),
        describe=audit.describe,
    )


@bp.get("/audit.csv")
@admin_required
def audit_csv():
    table = [["at", "actor", "action", "user_id", "company_id", "details"]]
    for entry in db.session.scalars(audit.entries(request.args.get("action", ""))):
        table.append([entry.at.isoformat(), spreadsheet_cell(entry.actor_name), entry.action,
                      entry.user_id or "", entry.company_id or "",
                      spreadsheet_cell(audit.describe(entry.details))])  # fmt: skip
    return _download(table, "dx-academy-audit", "csv")


# -- companies -----------------------------------------------------------------------------


@bp.get("/companies")
@admin_required
def companies():
    form = CompanyFilterForm(request.args)
    form.set_programmes(programme_services.every(), current_locale())
    valid = form.validate()
    chosen = services.CompanyFilter(
        query=form.q.data or "",
        sector=form.sector.data or "",
        size_band=form.size_band.data or "",
        province=form.province.data or "",
        step=int(form.step.data) if form.step.data else None,
        programme_id=int(form.programme.data) if form.programme.data else None,
    ) if valid else services.CompanyFilter()  # fmt: skip
    page = db.paginate(services.companies(chosen), page=requested_page(), per_page=PER_PAGE)
    return render_template(
        "admin/companies.html",
        form=form,
        page=page,
        facts=services.company_facts([company.id for company in page.items]),
        sectors=SECTORS,
        arguments={k: v for k, v in request.args.items() if k != "page" and v},
    ), 200 if valid else 400


def _company(company_id: int) -> Company:
    return db.get_or_404(Company, company_id)


@bp.get("/companies/<int:company_id>")
@admin_required
def company(company_id):
    return _company_page(_company(company_id))


def _company_page(company, edit_form=None, invite_form=None, merge_form=None, status=200):
    catalogue = get_catalogue(current_locale())
    team = company_services.team(company, catalogue)
    return render_template(
        "admin/company.html",
        company=company,
        memberships=services.memberships_of(company),
        team=team,
        completions=company_services.completions(team, catalogue),
        lessons=len(catalogue.lessons),
        result=assessment_services.get_company_result(company.id),
        edit_form=edit_form
        or CompanyEditForm(
            formdata=None,
            company_name=company.name,
            sector=company.sector,
            size_band=company.size_band,
            province=company.province,
            tax_code=company.tax_code,
        ),  # fmt: skip
        invite_form=invite_form or CompanyInviteForm(formdata=None),
        merge_form=merge_form or MergeForm(formdata=None),
        form=BaseForm(),
        sectors=SECTORS,
        size_bands=SIZE_BANDS,
    ), status


@bp.post("/companies/<int:company_id>/edit")
@admin_required
def edit_company(company_id):
    company = _company(company_id)
    form = CompanyEditForm()
    if not form.validate_on_submit():
        return _company_page(company, edit_form=form, status=400)
    try:
        changes = committed(lambda: services.edit_company(company, company_of(form), _admin()))
    except DomainError as error:
        refuse(form, error)
        return _company_page(_company(company_id), edit_form=form, status=400)
    flash(_("Saved.") if changes else _("Nothing changed."), "success")
    return redirect(url_for("admin.company", company_id=company_id))


@bp.post("/companies/<int:company_id>/members/<int:membership_id>/manager")
@admin_required
def set_manager(company_id, membership_id):
    company = _company(company_id)
    form = ManagerForm()
    if not form.validate_on_submit():
        abort(400)

    def work():
        row = membership.membership_in(company, membership_id, "active")
        if row is None:
            abort(404)
        membership.set_manager(row, form.manager.data == "1", _admin())

    try:
        committed(work)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    return redirect(url_for("admin.company", company_id=company_id, _anchor="members"))


@bp.post("/companies/<int:company_id>/invitations")
@admin_required
def invite(company_id):
    company = _company(company_id)
    form = CompanyInviteForm()
    if not form.validate_on_submit():
        return _company_page(company, invite_form=form, status=400)
    sent = []
    for address in form.emails.addresses:
        invited = membership.invite(company, _admin(), address, manager=form.manager.data)
        if invited is not None:
            sent.append(invited)
    db.session.commit()
    for row, token in sent:
        send_invitation(row, token, current_user.name)
    flash(_("Invitations sent: %(n)s.", n=len(sent)), "success")
    return redirect(url_for("admin.company", company_id=company_id, _anchor="members"))


@bp.post("/companies/<int:company_id>/merge")
@admin_required
def merge(company_id):
    source = _company(company_id)
    form = MergeForm()
    if not form.validate_on_submit():
        return _company_page(source, merge_form=form, status=400)
    target = db.session.get(Company, form.into.data)
    if target is None:
        form.into.errors.append(_("No company has this number."))
        return _company_page(source, merge_form=form, status=400)
    name = source.name
    try:
        committed(lambda: services.merge_companies(source, target, _admin()))
    except DomainError as error:
        db.session.rollback()
        form.into.errors.append(error.message)
        return _company_page(_company(company_id), merge_form=form, status=400)
    flash(_("%(source)s is merged into %(target)s.", source=name, target=target.name), "success")
    return redirect(url_for("admin.company", company_id=target.id))


def _admin():
    return current_user._get_current_object()


# -- importing learners --------------------------------------------------------------------

IMPORT_TOKEN_AGE = 3600


def _import_tokens() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="admin-import")


@bp.route("/imports", methods=["GET", "POST"])
@admin_required
def import_learners():
    """Upload a file: the dry run over all of it, then a button that imports it."""
    form = ImportForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("admin/import.html", form=form), status
    data, name = form.file.data.read(), form.file.data.filename or "learners.csv"
    try:
        plan = imports.plan(data, name, form.update.data)
    except FileRefused as error:
        form.file.errors.append(error.message)
        return render_template("admin/import.html", form=form), 400
    confirm = ImportConfirmForm(formdata=None)
    confirm.token.data = _import_tokens().dumps(
        {"name": name, "data": base64.b64encode(data).decode(), "update": form.update.data}
    )
    return render_template("admin/import.html", form=form, plan=plan, confirm=confirm), (
        400 if plan.problems else 200
    )


@bp.post("/imports/confirm")
@admin_required
def confirm_import():
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        saved = _import_tokens().loads(form.token.data, max_age=IMPORT_TOKEN_AGE)
        data, name, update = base64.b64decode(saved["data"]), str(saved["name"]), saved["update"]
    except (BadData, KeyError, TypeError, ValueError):
        flash(_("The check has expired: upload the file again."), "error")
        return redirect(url_for("admin.import_learners"))
    if jobs.available():
        job_id = jobs.enqueue(imports.run, data, name, bool(update), current_user.id,
                              request.url_root)  # fmt: skip
        return redirect(url_for("admin.import_progress", job_id=job_id))
    plan = imports.plan(data, name, bool(update))
    if plan.problems:  # the accounts changed since the check
        flash(_("The file no longer imports as checked: check it again."), "error")
        return redirect(url_for("admin.import_learners"))
    welcome = committed(lambda: imports.apply(plan, _admin()))
    for user, token in welcome:
        imports.send_welcome(user, token)
    flash(_("Imported: %(summary)s.", summary=plan.summary), "success")
    return redirect(url_for("admin.users"))


@bp.get("/imports/<job_id>")
@admin_required
def import_progress(job_id):
    """How far an import running in the background has got; the page reloads itself
    until it is over, then says what it did."""
    return render_template("admin/import_progress.html", progress=_job(job_id))


# -- programmes ----------------------------------------------------------------------------


def _with_modules(form: ProgrammeForm) -> ProgrammeForm:
    form.set_modules(get_catalogue(current_locale()).modules)
    return form


def _programme_data(form: ProgrammeForm) -> programme_services.ProgrammeData:
    return programme_services.ProgrammeData(
        name_vi=form.name_vi.data,
        name_en=form.name_en.data,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        module_ids=form.modules.data or [],
    )


@bp.route("/programmes", methods=["GET", "POST"])
@admin_required
def programmes():
    form = _with_modules(ProgrammeForm())
    if form.validate_on_submit():
        try:
            programme = committed(
                lambda: programme_services.save(None, _programme_data(form), _admin())
            )
        except DomainError as error:
            refuse(form, error)
        else:
            flash(_("The programme is created."), "success")
            return redirect(url_for("admin.programme", programme_id=programme.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "admin/programmes.html", form=form, programmes=programme_services.listing()
    ), status


def _programme(programme_id: int) -> Programme:
    return db.get_or_404(Programme, programme_id)


@bp.get("/programmes/<int:programme_id>")
@admin_required
def programme(programme_id):
    return _programme_page(_programme(programme_id))


def _programme_page(programme, form=None, companies_form=None, learners_form=None, status=200):
    values = {
        "name_vi": programme.name_vi,
        "name_en": programme.name_en,
        "starts_on": programme.starts_on,
        "ends_on": programme.ends_on,
        "modules": [module.id for module in programme.modules],
    }
    return render_template(
        "admin/programme.html",
        programme=programme,
        form=form or _with_modules(ProgrammeForm(formdata=None, **values)),
        companies_form=companies_form or EnrolCompaniesForm(formdata=None),
        learners_form=learners_form or EnrolLearnersForm(formdata=None),
        learners=db.session.scalar(
            select(func.count()).select_from(
                programme_services.learner_ids(programme.id).subquery()
            )
        ),
        base=BaseForm(),
    ), status


@bp.post("/programmes/<int:programme_id>/edit")
@admin_required
def edit_programme(programme_id):
    programme = _programme(programme_id)
    form = _with_modules(ProgrammeForm())
    if not form.validate_on_submit():
        return _programme_page(programme, form=form, status=400)
    try:
        committed(lambda: programme_services.save(programme, _programme_data(form), _admin()))
    except DomainError as error:
        refuse(form, error)
        return _programme_page(_programme(programme_id), form=form, status=400)
    flash(_("Saved."), "success")
    return redirect(url_for("admin.programme", programme_id=programme_id))


@bp.post("/programmes/<int:programme_id>/<any(companies, learners):kind>")
@admin_required
def enrol(programme_id, kind):
    """Enrol companies (by their numbers or tax codes) or learners (by their emails); if
    any is not found, none is enrolled and the form says which."""
    programme = _programme(programme_id)
    form = EnrolCompaniesForm() if kind == "companies" else EnrolLearnersForm()
    field = form.companies if kind == "companies" else form.emails
    page_form = {f"{kind}_form": form}
    if not form.validate_on_submit():
        return _programme_page(programme, **page_form, status=400)
    enrol_them = (
        programme_services.enrol_companies if kind == "companies"
        else programme_services.enrol_learners
    )  # fmt: skip
    unknown = enrol_them(programme, split_addresses(field.data), _admin())
    invited = []
    if unknown and kind == "learners" and form.invite.data:
        invited, unknown = programme_services.invite_learners(programme, unknown, _admin()), []
    if unknown:
        db.session.rollback()
        field.errors.append(_("Not found: %(names)s", names=", ".join(unknown[:10])))
        return _programme_page(_programme(programme_id), **page_form, status=400)
    db.session.commit()
    for email in invited:
        mail.send(email, "programme_invitation", current_locale(), inviter=current_user.name,
                  programme=programme.name(current_locale()),
                  link=url_for("auth.register", _external=True))  # fmt: skip
    flash(_("Saved.") if not invited else _("Saved. Invitations sent: %(n)s.", n=len(invited)),
          "success")  # fmt: skip
    return redirect(url_for("admin.programme", programme_id=programme_id, _anchor=kind))


@bp.post("/programmes/<int:programme_id>/invitations/withdraw")
@admin_required
def withdraw_invitation(programme_id):
    programme = _programme(programme_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    programme_services.withdraw_invitation(programme, form.email.data, _admin())
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("admin.programme", programme_id=programme_id, _anchor="learners"))


@bp.post("/programmes/<int:programme_id>/<any(companies, learners):kind>/<int:item_id>/remove")
@admin_required
def unenrol(programme_id, kind, item_id):
    if not BaseForm().validate_on_submit():
        abort(400)
    programme = _programme(programme_id)
    remove = programme_services.remove_company if kind == "companies" else (
        programme_services.remove_learner
    )  # fmt: skip
    remove(programme, item_id, _admin())
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("admin.programme", programme_id=programme_id, _anchor=kind))


# -- reports -------------------------------------------------------------------------------


#: the page shows this many rows of a report (a report by learner may have thousands:
#: the download has them all), and its chart the first of them
REPORT_ROWS_SHOWN, CHART_ROWS = 200, 40


@bp.get("/reports")
@admin_required
def reports():
    form, rows = exports.completion(request.args, limit=REPORT_ROWS_SHOWN)
    shown = (rows or [])[:REPORT_ROWS_SHOWN]
    total = len(rows or [])
    if form.by.data == "learner" and rows is not None:
        total = services.learners_in(int(form.programme.data) if form.programme.data else None)
    return render_template(
        "admin/reports.html",
        form=form,
        rows=shown,
        more=total - len(shown),
        chart_rows=[(row.key, row.figures.completed) for row in shown[:CHART_ROWS]],
        headings=exports.headings(),
        arguments={k: v for k, v in request.args.items() if v},
    ), 200 if rows is not None else 400


@bp.get("/reports.<any(csv, xlsx):kind>")
@admin_required
def report_file(kind):
    form, rows = exports.completion(request.args)
    if rows is None:
        abort(400)
    name = exports.completion_name(form)
    if kind == "xlsx" and form.by.data == "learner" and jobs.available():
        job_id = jobs.enqueue(exports.write_completion, request.args.to_dict(),
                              current_locale(), request.url_root)  # fmt: skip
        return redirect(url_for("admin.export_progress", job_id=job_id))
    return _download(exports.table(rows), name, kind)


@bp.get("/exports/<job_id>")
@admin_required
def export_progress(job_id):
    """A large file being written in the background: the page reloads itself until the
    file is ready, then links to it."""
    return render_template("admin/export_progress.html", progress=_job(job_id), job_id=job_id)


@bp.get("/exports/<job_id>/file")
@admin_required
def export_file(job_id):
    saved = exports.saved(_job(job_id).result)
    if saved is None:  # not finished, gone, or not an export
        abort(404)
    return send_file(saved.path, as_attachment=True, download_name=saved.name)


def _job(job_id: str) -> jobs.Progress:
    """Where the queue's job ``job_id`` stands; 404 for one the queue does not know."""
    progress = jobs.progress(job_id) if len(job_id) <= 64 else None
    if progress is None:
        abort(404)
    return progress


def _download(table: Iterable[list], name: str, kind: str) -> Response:
    """``table`` as a CSV (UTF-8 with a BOM, for spreadsheets) or XLSX file to save; a CSV
    is sent as its rows come, so that an iterator of rows is never held whole."""
    if kind == "csv":

        def lines():
            yield "\ufeff"
            out = io.StringIO()
            writer = csv.writer(out)
            for row in table:
                writer.writerow(row)
                yield out.getvalue()
                out.seek(0)
                out.truncate()

        body, mimetype = stream_with_context(lines()), "text/csv; charset=utf-8"
    else:
        body = exports.xlsx_of(table)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = f'attachment; filename="{name}.{kind}"'
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition})


def _maturity():
    form = MaturityForm(request.args)
    form.set_programmes(programme_services.every(), current_locale())
    if not form.validate():
        return form, None, None
    by = form.by.data or "sector"
    programme_id = int(form.programme.data) if form.programme.data else None
    names = {"sector": SECTORS, "size_band": SIZE_BANDS}.get(by, {})
    spread = services.maturity_distribution(by, programme_id)
    table = [(str(names.get(key, key)), counts) for key, counts in spread.items()]
    return form, table, services.maturity_movement(programme_id)


@bp.get("/maturity", defaults={"kind": "html"})
@bp.get("/maturity.<any(csv, xlsx):kind>")
@admin_required
def maturity(kind):
    """How companies spread over the steps, by sector, size or province, and how those
    assessed more than once moved."""
    form, table, movement = _maturity()
    if table is None:
        if kind != "html":
            abort(400)
        return render_template("admin/maturity.html", form=form, table=[]), 400
    if kind != "html":
        rows = [[_("Group"), *(_("Step %(n)s", n=step) for step in range(8)), _("Total")]]
        rows += [[spreadsheet_cell(label), *counts, sum(counts)] for label, counts in table]
        rows += [[], [_("First assessment → latest"), *(_("Step %(n)s", n=step)
                                                        for step in range(8))]]  # fmt: skip
        rows += [[_("Step %(n)s", n=step), *line] for step, line in enumerate(movement)]
        return _download(rows, f"dx-academy-maturity-by-{form.by.data or 'sector'}", kind)
    up = sum(movement[a][b] for a in range(8) for b in range(8) if b > a)
    down = sum(movement[a][b] for a in range(8) for b in range(8) if b < a)
    same = sum(movement[a][a] for a in range(8))
    totals = [sum(counts[step] for _label, counts in table) for step in range(8)]
    return render_template(
        "admin/maturity.html",
        form=form,
        table=table,
        step_rows=[
            (_("Step %(n)s", n=step) if step else _("Not yet on the ladder"), count)
            for step, count in enumerate(totals)
        ],  # fmt: skip
        transitions=[
            (first, latest, count)
            for first, line in enumerate(movement)
            for latest, count in enumerate(line)
            if count
        ],  # fmt: skip
        moved=[(_("Moved up"), up), (_("Stayed on the same step"), same), (_("Moved down"), down)],
        arguments={k: v for k, v in request.args.items() if v},
    )


@bp.get("/at-risk", defaults={"kind": "html"})
@bp.get("/at-risk.csv", defaults={"kind": "csv"})
@admin_required
def at_risk(kind):
    """Learners with no activity for two weeks and a module to finish."""
    programme_id = _id_of(request.args.get("programme"))
    if programme_id is not None and db.session.get(Programme, programme_id) is None:
        abort(404)
    rows = services.at_risk(get_catalogue(current_locale()), utcnow(), programme_id)
    if kind == "html":
        page = ListPage(rows, requested_page(), PER_PAGE)
        if page.page > page.pages:
            abort(404)  # as db.paginate's pages past the last
        return render_template(
            "admin/at_risk.html", page=page, days=services.AT_RISK_DAYS,
            programmes=programme_services.every(), programme_id=programme_id,
            arguments={"programme": programme_id} if programme_id else {},
        )  # fmt: skip
    table = [[_("Name"), _("Email"), _("Company"), _("Last active"), _("To finish")]]
    for row in rows:
        table.append([spreadsheet_cell(row.name), spreadsheet_cell(row.email),
                      spreadsheet_cell(row.company or ""),
                      row.last_activity.date().isoformat() if row.last_activity else "",
                      spreadsheet_cell("; ".join(row.unfinished))])  # fmt: skip
    return _download(table, "dx-academy-at-risk", "csv")


@dataclass(frozen=True)
class ListPage:
    """One page of rows already in a list, for admin/_pager.html as db.paginate's are."""

    rows: list
    page: int
    per_page: int

    @property
    def items(self) -> list:
        return self.rows[(self.page - 1) * self.per_page : self.page * self.per_page]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
