"""The administrators' certificates under /admin/certificates: search them, revoke one
with a reason, re-issue one after a name correction, issue one by hand for training done
elsewhere. Each action is in the audit log (app.certificates.services records it)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import audit
from app.access import admin_required
from app.admin.forms import CertificateFilterForm
from app.admin.routes import PER_PAGE, bp
from app.certificates import codes
from app.certificates import services as certificate_services
from app.certificates.forms import IssueForm, ReissueForm, RevokeForm
from app.certificates.models import Certificate
from app.content.models import Module
from app.errors import DomainError
from app.extensions import db
from app.forms import refuse
from app.i18n import current_locale
from app.programmes import services as programme_services
from app.security import requested_page


def _certificate_or_404(code: str) -> Certificate:
    certificate = certificate_services.find(code)
    if certificate is None:
        abort(404)
    return certificate


@bp.get("/certificates")
@admin_required
def certificates():
    form = CertificateFilterForm(request.args)
    form.set_programmes(programme_services.every(), current_locale())
    valid = form.validate()
    query = (form.q.data or "").strip() if valid else ""
    programme = int(form.programme.data) if valid and form.programme.data else None
    page = db.paginate(certificate_services.listing(query, programme), page=requested_page(),
                       per_page=PER_PAGE)  # fmt: skip
    return render_template(
        "admin/certificates.html",
        form=form,
        page=page,
        display=codes.display,
        locale=current_locale(),
        arguments={
            key: value for key, value in (("q", query), ("programme", programme)) if value
        },  # fmt: skip
    ), 200 if valid else 400


def _certificate_page(certificate, revoke_form=None, reissue_form=None, status=200):
    return render_template(
        "admin/certificate.html",
        certificate=certificate,
        code=codes.display(certificate.code),
        title=certificate.titles()[current_locale()],
        issued_on=certificate_services.issued_on(certificate),
        revoke_form=revoke_form or RevokeForm(formdata=None),
        reissue_form=reissue_form or ReissueForm(formdata=None),
        entries=db.session.scalars(
            audit.entries()
            .where(
                audit.AuditEntry.action.like("certificate.%"),
                audit.AuditEntry.user_id == certificate.user_id,
            )
            .limit(20)
        ),  # fmt: skip
        describe=audit.describe,
        display=codes.display,
    ), status


@bp.get("/certificates/<code>")
@admin_required
def certificate(code):
    return _certificate_page(_certificate_or_404(code))


@bp.post("/certificates/<code>/revoke")
@admin_required
def revoke_certificate(code):
    certificate = _certificate_or_404(code)
    form = RevokeForm()
    if not form.validate_on_submit():
        return _certificate_page(certificate, revoke_form=form, status=400)
    try:
        certificate_services.revoke(certificate, form.reason.data, current_user)
    except DomainError as error:
        refuse(form, error)
        return _certificate_page(_certificate_or_404(code), revoke_form=form, status=400)
    db.session.commit()
    flash(_("Certificate %(code)s revoked.", code=codes.display(certificate.code)), "success")
    return redirect(url_for("admin.certificate", code=codes.display(certificate.code)))


@bp.post("/certificates/<code>/reissue")
@admin_required
def reissue_certificate(code):
    certificate = _certificate_or_404(code)
    form = ReissueForm()
    if not form.validate_on_submit():
        return _certificate_page(certificate, reissue_form=form, status=400)
    try:
        new = certificate_services.reissue(certificate, current_user)
    except DomainError as error:
        db.session.rollback()
        form.submit.errors = [error.message]
        return _certificate_page(_certificate_or_404(code), reissue_form=form, status=400)
    db.session.commit()
    flash(_("Re-issued as %(code)s, in the name %(name)s.", code=codes.display(new.code),
            name=new.holder_name), "success")  # fmt: skip
    return redirect(url_for("admin.certificate", code=codes.display(new.code)))


@bp.route("/certificates/issue", methods=["GET", "POST"])
@admin_required
def issue_certificate():
    form = IssueForm()
    locale = current_locale()
    modules = db.session.scalars(
        select(Module).where(Module.retired_at.is_(None)).order_by(Module.position)
    )
    form.set_choices(modules, programme_services.every(), locale)
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("admin/issue_certificate.html", form=form), status
    data = certificate_services.ManualIssue(
        email=form.email.data,
        module_id=int(form.module.data) if form.module.data else None,
        programme_id=int(form.programme.data) if form.programme.data else None,
        reason=form.reason.data,
    )
    try:
        issued = certificate_services.issue_by_hand(data, current_user)
    except DomainError as error:
        refuse(form, error)
        return render_template("admin/issue_certificate.html", form=form), 400
    db.session.commit()
    flash(_("Certificate %(code)s issued to %(name)s.", code=codes.display(issued.code),
            name=issued.holder_name), "success")  # fmt: skip
    return redirect(url_for("admin.certificate", code=codes.display(issued.code)))
