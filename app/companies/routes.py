"""My company: the members' page, the managers' workplace (requests, invitations, the
team's learning), and the pages that invitation links open."""

from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth import membership
from app.auth.forms import CompanyForm, FindCompanyForm, NewAccountForm, company_of
from app.auth.membership import split_addresses
from app.auth.notices import (
    requested_message,
    send_invitation,
    tell_managers_of_request,
    tell_of_decision,
)
from app.auth.routes import auth_rate_limit, start_signed_in, welcome
from app.auth.services import create_user
from app.companies import services
from app.companies.forms import DigestForm, InviteForm, ManagerForm
from app.content.catalogue import get_catalogue
from app.db_types import utcnow
from app.errors import DomainError
from app.extensions import db, limiter
from app.forms import BaseForm, refuse
from app.i18n import current_locale
from app.transactions import committed

bp = Blueprint("companies", __name__)

#: the prefixes of the two company forms on one page, so that their fields' ids differ
FIND, REGISTER = "find", "register"


def _managed():
    """The company the signed-in manager manages; 403 for anyone else."""
    if not current_user.is_company_manager:
        abort(403)
    return current_user.company


def _user():
    return current_user._get_current_object()


def _check_form() -> None:
    if not BaseForm().validate_on_submit():
        abort(400)


def _back(anchor: str | None = None):
    return redirect(url_for("companies.my_company", _anchor=anchor))


def _refused(error: DomainError, anchor: str | None = None):
    db.session.rollback()
    flash(str(error.message), "error")
    return _back(anchor)


# -- the page ------------------------------------------------------------------------------


@bp.get("/my-company")
@login_required
def my_company():
    company = current_user.company
    if company is None:
        return _no_company_page()
    if not current_user.is_company_manager:
        return render_template(
            "companies/member.html",
            company=company,
            managers=membership.managers(company),
            joined=current_user.membership.joined_at,
            form=BaseForm(),
        )
    return _manager_page(company)


def _no_company_page(find_form=None, company_form=None, status=200):
    return render_template(
        "companies/none.html",
        requests=membership.requests_of(current_user),
        find_form=find_form or FindCompanyForm(formdata=None, prefix=FIND),
        company_form=company_form or CompanyForm(formdata=None, prefix=REGISTER),
        form=BaseForm(),
    ), status


def _manager_page(company, invite_form=None, status=200):
    catalogue = get_catalogue(current_locale())
    team = services.team(company, catalogue)
    sort = request.args.get("sort", "")
    descending = request.args.get("order") == "desc"
    link = membership.shared_link(company)
    return render_template(
        "companies/manage.html",
        company=company,
        team=services.sort_team(team, sort, descending),
        sort=sort,
        descending=descending,
        completions=services.completions(team, catalogue),
        lessons=len(catalogue.lessons),
        requests=membership.pending(company, "requested"),
        invitations=membership.pending(company, "invited"),
        expired_before=utcnow() - timedelta(seconds=current_app.config["INVITE_TOKEN_SECONDS"]),
        shared_link=link and url_for("companies.join_by_link", token=link, _external=True),
        invite_form=invite_form or InviteForm(formdata=None),
        digest_form=DigestForm(formdata=None, digest=current_user.membership.digest),
        manager_form=ManagerForm(formdata=None),
        form=BaseForm(),
    ), status


def _team_headings() -> list[str]:
    return [
        _("Name"),
        _("Email"),
        _("Role"),
        _("Joined"),
        _("Last active"),
        _("Lessons completed"),
        _("Modules completed"),
        _("Quizzes passed"),
    ]


@bp.get("/my-company/team.csv")
@login_required
def team_csv():
    company = _managed()
    catalogue = get_catalogue(current_locale())
    body = services.team_csv(
        services.team(company, catalogue),
        catalogue,
        _team_headings(),
        (_("manager"), _("member")),
    )
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="dx-academy-team.csv"'},
    )


# -- without a company ---------------------------------------------------------------------


def _setting(name: str):
    return lambda: current_app.config[name]


def _per_user() -> str:
    return f"user:{current_user.get_id()}"


def _addresses() -> int:
    """What an invitation form costs against the limit: one per address in it."""
    return max(1, len(split_addresses(request.form.get("emails", ""))))


@bp.post("/my-company/join")
@login_required
@limiter.limit(_setting("JOIN_REQUEST_LIMIT"), key_func=_per_user)
def ask_to_join():
    form = FindCompanyForm(prefix=FIND)
    if not form.validate_on_submit():
        return _no_company_page(find_form=form, status=400)
    wanted = company_of(form)
    company = membership.find_company(wanted.tax_code, wanted.name, wanted.province)
    if company is None:
        field = form.tax_code if wanted.tax_code else form.company_name
        field.errors.append(_("No registered company matches: check what you typed."))
        return _no_company_page(find_form=form, status=400)
    asked_before = any(row.company_id == company.id for row in membership.requests_of(_user()))
    try:
        row = committed(lambda: membership.ask_to_join(_user(), company))
    except DomainError as error:
        return _refused(error)
    _tell_of(row, asked_before)
    return _back()


def _tell_of(row, asked_before: bool = False) -> None:
    """Say where the person stands with the company they asked to join or registered,
    and e-mail its managers of a new request."""
    if row.state == "requested":
        if not asked_before:
            tell_managers_of_request(row)
        flash(requested_message(row.company), "info")
    elif row.is_manager:
        flash(_("%(company)s is registered: you are its manager.", company=row.company.name),
              "success")  # fmt: skip
    else:
        flash(_("Welcome to %(company)s!", company=row.company.name), "success")


@bp.post("/my-company/register")
@login_required
def register_company():
    form = CompanyForm(prefix=REGISTER)
    if not form.validate_on_submit():
        return _no_company_page(company_form=form, status=400)
    try:
        row = committed(lambda: membership.found_or_ask(_user(), company_of(form)))
    except DomainError as error:
        if error.field is None:
            return _refused(error)
        refuse(form, error)
        return _no_company_page(company_form=form, status=400)
    _tell_of(row)
    return _back()


@bp.post("/my-company/requests/<int:membership_id>/cancel")
@login_required
def cancel_request(membership_id):
    _check_form()
    row = next((r for r in membership.requests_of(current_user) if r.id == membership_id), None)
    if row is None:
        abort(404)
    membership.cancel_request(row, _user())
    db.session.commit()
    flash(_("Your request is withdrawn."), "info")
    return _back()


# -- a manager's actions -------------------------------------------------------------------


def _row(membership_id: int, *states: str):
    row = membership.membership_in(_managed(), membership_id, *states)
    if row is None:
        abort(404)
    return row


@bp.post("/my-company/requests/<int:membership_id>/<any(approve, refuse):decision>")
@login_required
def decide(membership_id, decision):
    _check_form()
    act = membership.approve if decision == "approve" else membership.refuse

    def work():
        row = _row(membership_id, "requested")
        act(row, _user())
        return row

    try:
        row = committed(work)
    except DomainError as error:
        return _refused(error, "requests")
    tell_of_decision(row, approved=decision == "approve")
    if decision == "approve":
        flash(_("%(name)s is now a member.", name=row.user.name), "success")
    else:
        flash(_("The request of %(name)s is refused.", name=row.user.name), "info")
    return _back("requests")


@bp.post("/my-company/invitations")
@login_required
@limiter.limit(_setting("INVITE_LIMIT"), key_func=_per_user, cost=_addresses)
def invite():
    company = _managed()
    form = InviteForm()
    if not form.validate_on_submit():
        return _manager_page(company, invite_form=form, status=400)
    sent, members = [], []
    for address in form.emails.addresses:
        invited = membership.invite(company, _user(), address)
        if invited is None:
            members.append(address)
        else:
            sent.append(invited)
    db.session.commit()
    for row, token in sent:
        send_invitation(row, token, current_user.name)
    if sent:
        flash(_("Invitations sent: %(n)s.", n=len(sent)), "success")
    if members:
        flash(_("Already members: %(emails)s.", emails=", ".join(members)), "info")
    return _back("invite")


@bp.post("/my-company/invitations/<int:membership_id>/revoke")
@login_required
def revoke(membership_id):
    _check_form()
    row = _row(membership_id, "invited")
    membership.revoke(row, _user())
    db.session.commit()
    flash(_("The invitation to %(email)s no longer works.", email=row.email), "info")
    return _back("invite")


@bp.post("/my-company/link/<any(new, revoke):action>")
@login_required
def shared_link(action):
    _check_form()
    company = _managed()
    if action == "new":
        had_one = membership.shared_link(company) is not None
        membership.new_shared_link(company, _user())
        if had_one:
            flash(_("A new invitation link is ready: the previous one no longer works."), "success")
        else:
            flash(_("An invitation link is ready: share it with your staff."), "success")
    else:
        membership.revoke_shared_link(company, _user())
        flash(_("The invitation link no longer works."), "info")
    db.session.commit()
    return _back("invite")


@bp.post("/my-company/members/<int:membership_id>/remove")
@login_required
def remove(membership_id):
    _check_form()

    def work():
        row = _row(membership_id, "active")
        if row.user_id == current_user.id:
            abort(400)  # leaving has its own button
        membership.remove(row, _user())
        return row

    try:
        row = committed(work)
    except DomainError as error:
        return _refused(error, "team")
    flash(_("%(name)s is no longer a member.", name=row.user.name), "info")
    return _back("team")


@bp.post("/my-company/members/<int:membership_id>/manager")
@login_required
def set_manager(membership_id):
    _row(membership_id, "active")
    form = ManagerForm()
    if not form.validate_on_submit():
        abort(400)

    def work():
        row = _row(membership_id, "active")
        membership.set_manager(row, form.manager.data == "1", _user())
        return row

    try:
        row = committed(work)
    except DomainError as error:
        return _refused(error, "team")
    if row.is_manager:
        flash(_("%(name)s is now a manager.", name=row.user.name), "success")
    else:
        flash(_("%(name)s is no longer a manager.", name=row.user.name), "info")
    return _back("team")


@bp.post("/my-company/digest")
@login_required
def digest():
    _managed()
    form = DigestForm()
    if not form.validate_on_submit():
        abort(400)
    current_user.membership.digest = form.digest.data
    db.session.commit()
    flash(_("Saved."), "success")
    return _back("weekly-digest")


@bp.post("/my-company/leave")
@login_required
def leave():
    _check_form()
    company = current_user.company
    try:
        committed(lambda: membership.leave(_user()))
    except DomainError as error:
        return _refused(error)
    if company is not None:
        flash(_("You have left %(company)s.", company=company.name), "info")
    return _back()


# -- invitation links ----------------------------------------------------------------------


@bp.route("/join/<token>", methods=["GET", "POST"])
@limiter.limit(auth_rate_limit, methods=["POST"])
def invitation(token):
    """The link of an invitation e-mail: a signed-in person joins with a button; anyone
    else creates an account here (or logs in and comes back)."""
    row = membership.invitation_of(token)
    if row is None:
        return render_template("companies/invitation_invalid.html"), 400
    return _join_page(row.company, row, lambda user: membership.accept(row, user))


@bp.route("/join/team/<token>", methods=["GET", "POST"])
@limiter.limit(auth_rate_limit, methods=["POST"])
def join_by_link(token):
    """The company's shared invitation link."""
    company = membership.company_of_link(token)
    if company is None:
        return render_template("companies/invitation_invalid.html"), 400
    return _join_page(company, None, lambda user: membership.join_by_link(company, user))


def _join_page(company, invitation, join):
    signed_in = current_user.is_authenticated
    form = BaseForm() if signed_in else NewAccountForm(formdata=None)
    if request.method == "GET":
        if not signed_in and invitation is not None:
            form.email.data = invitation.email
        return _join_template(company, invitation, form)
    form = BaseForm() if signed_in else NewAccountForm()
    if not form.validate_on_submit():
        return _join_template(company, invitation, form, 400)

    def work():
        if signed_in:
            user = _user()
        else:
            user = create_user(
                email=form.email.data, name=form.name.data, password=form.password.data
            )
        join(user)
        return user

    try:
        user = committed(work)
    except DomainError as error:
        db.session.rollback()
        if error.field and not signed_in:
            getattr(form, error.field).errors.append(error.message)
            return _join_template(company, invitation, form, 400)
        flash(str(error.message), "error")
        return _back()
    if signed_in:
        flash(_("Welcome to %(company)s!", company=company.name), "success")
        return _back()
    start_signed_in(user)
    db.session.commit()
    welcome(user)
    return redirect(url_for("home.index"))


def _join_template(company, invitation, form, status=200):
    return render_template(
        "companies/join.html",
        company=company,
        invitation=invitation,
        form=form,
        member_elsewhere=current_user.is_authenticated
        and current_user.company_id not in (None, company.id),
        login_url=url_for("auth.login", next=request.path),
    ), status
