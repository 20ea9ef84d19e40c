"""Certificates on the site: the public verify pages, that anyone opens without logging
in, and a learner's own certificates. The documents (PDF, credential, keys, status list)
are in documents.py, on the same blueprint."""

from dataclasses import dataclass

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.certificates import codes, services
from app.certificates.forms import VerifyForm
from app.certificates.models import Certificate
from app.content.catalogue import ModuleView
from app.extensions import limiter
from app.i18n import current_locale
from app.learn.services import completion_asked

bp = Blueprint("certificates", __name__)


def _miss_limit() -> str:
    return current_app.config["VERIFY_MISS_LIMIT"]


def _missed(response) -> bool:
    """Only a code that matches nothing counts toward the limit."""
    return response.status_code in (400, 404)


# One count for both pages, whichever a guesser uses.
verify_limit = limiter.shared_limit(_miss_limit, scope="verify", deduct_when=_missed)


@dataclass(frozen=True)
class Links:
    """Where a certificate can be seen, downloaded and shared."""

    verify: str
    pdf: str
    credential: str
    linkedin: str


def links_of(certificate: Certificate, title: str) -> Links:
    code = codes.display(certificate.code)
    verify = url_for("certificates.verify", code=code, _external=True)
    return Links(
        verify=verify,
        pdf=url_for("certificates.pdf", code=code),
        credential=url_for("certificates.credential", code=code),
        linkedin=services.linkedin_url(certificate, title, verify),
    )


@bp.get("/verify")
@verify_limit
def verify_form():
    """A form to type the code of a printed certificate."""
    form = VerifyForm(request.args)
    if "code" not in request.args:
        return render_template("certificates/verify_form.html", form=form)
    if not form.validate():
        return render_template("certificates/verify_form.html", form=form), 400
    code = codes.normalise(form.code.data)
    return redirect(url_for("certificates.verify", code=codes.display(code)))  # type: ignore[arg-type]


@bp.get("/verify/<code>")
@verify_limit
def verify(code):
    """Whether a certificate is valid, for anyone who has its code: the holder's name,
    what it certifies, when and by whom it was issued, and its status; never an email."""
    canonical = codes.normalise(code)
    certificate = services.find(code) if canonical else None
    if certificate is None:
        form = VerifyForm(formdata=None, code=code[:40])
        return render_template("certificates/verify_form.html", form=form, unknown=True), 404
    if code != codes.display(certificate.code):
        return redirect(url_for("certificates.verify", code=codes.display(certificate.code)), 301)
    locale = current_locale()
    title = certificate.titles()[locale]
    return render_template(
        "certificates/verify.html",
        certificate=certificate,
        code=codes.display(certificate.code),
        title=title,
        issued_on=services.issued_on(certificate),
        issuer=current_app.config["CERTIFICATE_ISSUER"],
        replaced_by=certificate.replaced_by,
        display=codes.display,
        links=links_of(certificate, title),
    )


@bp.get("/certificates")
@login_required
def mine():
    """The learner's certificates, with what to do with each."""
    locale = current_locale()
    rows = []
    for certificate in services.held_by(current_user):
        title = certificate.titles()[locale]
        rows.append((certificate, title, links_of(certificate, title)))
    return render_template("certificates/mine.html", rows=rows, display=codes.display,
                           issued_on=services.issued_on)  # fmt: skip


@completion_asked.connect
def _certificate_moment(app, user, module: ModuleView) -> dict:
    certificate = services.standing_for_module(user.id, module.id)
    if certificate is None:
        return {}
    return {"certificate": (codes.display(certificate.code), links_of(certificate, module.title))}


from app.certificates import documents  # noqa: E402, F401 - its routes on this blueprint
