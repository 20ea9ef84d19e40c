"""``flask certificates keygen|issue|revoke|pdf|credential``: the administrators' work on
certificates from the command line (the same rules as the administration's pages)."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app import audit
from app.auth.services import get_user_by_email
from app.certificates import codes, services
from app.certificates.keys import IssuerKeys
from app.certificates.models import Certificate
from app.content.models import Module
from app.errors import DomainError
from app.extensions import db
from app.programmes import services as programme_services

certificates_cli = AppGroup("certificates", help="Issue, revoke and export certificates.")


def _certificate(code: str) -> Certificate:
    certificate = services.find(code)
    if certificate is None:
        raise click.ClickException(f"No certificate has the code {code}.")
    return certificate


def _needs_server_name() -> None:
    if not current_app.config.get("SERVER_NAME"):
        raise click.ClickException(
            "Set SERVER_NAME (DXA_SERVER_NAME=academy.example.vn): the documents hold the"
            " address of the verify page."
        )


@certificates_cli.command("keygen")
def keygen():
    """Make a new current signing key in CERTIFICATE_KEYS_DIR; the older keys stay
    published, so that the credentials they signed still verify."""
    directory = Path(current_app.config["CERTIFICATE_KEYS_DIR"])
    kid = IssuerKeys.create(directory)
    click.echo(f"New current key {kid} in {directory}.")
    if current_app.config.get("CERTIFICATE_KEY"):
        click.echo("warning: CERTIFICATE_KEY is set; see docs/certificates.md.", err=True)


@certificates_cli.command("issue")
@click.option("--email", required=True, help="The learner's email.")
@click.option("--module", "slug", help="The module's identifier (its slug).")
@click.option("--programme", help="Or the programme's name, in either language.")
@click.option("--reason", default="", help="Why it is issued by hand (offline training...).")
def issue(email, slug, programme, reason):
    """Issue a certificate of a module or a programme; print its code."""
    if bool(slug) == bool(programme):
        raise click.ClickException("Give --module or --programme (one of them).")
    user = get_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the email {email}.")
    module, target_programme = None, None
    if slug:
        module = db.session.scalar(select(Module).where(Module.slug == slug))
        if module is None:
            raise click.ClickException(f"No module has the identifier {slug}.")
        target = module.slug
    else:
        target_programme = programme_services.find(programme)
        if target_programme is None:
            raise click.ClickException(f"No programme is named {programme}.")
        target = target_programme.name_vi
    try:
        certificate = services.issue(
            user,
            module=module,
            programme=target_programme,
            reason=reason.strip(),
        )
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    audit.record(None, "certificate.issue", user_id=user.id, code=certificate.code,
                 target=target, reason=certificate.reason)  # fmt: skip
    db.session.commit()
    click.echo(codes.display(certificate.code))


@certificates_cli.command("revoke")
@click.argument("code")
@click.option("--reason", required=True, help="Shown on the public verify page.")
def revoke(code, reason):
    """Revoke the certificate CODE."""
    certificate = _certificate(code)
    try:
        services.revoke(certificate, reason, None)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Revoked {codes.display(certificate.code)}.")


@certificates_cli.command("pdf")
@click.argument("code")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def pdf(code, path):
    """Write the PDF of the certificate CODE to PATH."""
    from app.certificates.documents import pdf_of

    _needs_server_name()
    certificate = _certificate(code)
    path.write_bytes(pdf_of(certificate))
    db.session.commit()
    click.echo(f"wrote {path}")


@certificates_cli.command("credential")
@click.argument("code")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def credential(code, path):
    """Write the signed digital credential (VC-JWT) of the certificate CODE to PATH."""
    from app.certificates.documents import credential_of

    _needs_server_name()
    path.write_text(credential_of(_certificate(code)) + "\n")
    click.echo(f"wrote {path}")
