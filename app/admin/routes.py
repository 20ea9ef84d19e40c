"""The administrators' workplace under /admin/: the programme's dashboard, its users, and
the audit log."""

import csv
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import audit
from app.access import admin_required
from app.admin import services
from app.admin.forms import ROLE_NAMES, STATUS_NAMES, ActiveForm, RoleForm, UserFilterForm
from app.assessment import services as assessment_services
from app.auth import browsers
from app.auth import services as auth_services
from app.auth.models import Company, User
from app.auth.routes import send_reset_link
from app.content.catalogue import get_catalogue
from app.db_types import utcnow
from app.extensions import db
from app.forms import BaseForm
from app.i18n import current_locale
from app.security import MAX_ID, requested_page
from app.text import spreadsheet_cell

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 50


@bp.get("/")
@admin_required
def dashboard():
    catalogue = get_catalogue(current_locale())
    now = utcnow()
    return render_template(
        "admin/dashboard.html",
        figures=services.figures(catalogue, now),
        funnel=services.funnel(catalogue, assessment_services.get_instrument()),
        weeks=services.completions_per_week(catalogue, now.date()),
        spread=services.maturity_spread(),
    )


# -- users ---------------------------------------------------------------------------------


def _company_filter(value: str | None) -> int | None:
    return (
        int(value)
        if value and value.isascii() and value.isdigit() and int(value) <= MAX_ID
        else None
    )


@bp.get("/users")
@admin_required
def users():
    form = UserFilterForm(request.args)
    valid = form.validate()
    chosen = services.UserFilter(
        query=form.q.data or "",
        role=form.role.data or "",
        company_id=_company_filter(form.company.data),
        province=form.province.data or "",
        status=form.status.data or "",
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
        sessions=auth_services.list_sessions(person),
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
    token = auth_services.issue_link(person, "reset")
    audit.record(current_user, "user.reset_link", user_id=person.id)
    db.session.commit()
    send_reset_link(person, token)
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
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at", "actor", "action", "user_id", "company_id", "details"])
    for entry in db.session.scalars(audit.entries(request.args.get("action", ""))):
        writer.writerow([entry.at.isoformat(), spreadsheet_cell(entry.actor_name), entry.action,
                         entry.user_id or "", entry.company_id or "",
                         spreadsheet_cell(audit.describe(entry.details))])  # fmt: skip
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="dx-academy-audit.csv"'},
    )
