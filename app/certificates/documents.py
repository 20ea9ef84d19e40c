"""A certificate's documents, for anyone who has its code: the PDF and the signed Open
Badges credential (VC-JWT); and what a verifier needs to check a credential: the issuer's
public keys (JWKS and a did:web document) and the signed revocation status list. All made
from the one certificate record, so that they never disagree with the verify page."""

from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

from flask import Response, abort, jsonify, request, url_for

from app.certificates import codes, credential, pdf, services, status_list
from app.certificates.models import Certificate
from app.certificates.routes import bp
from app.extensions import db
from app.text import digest

#: the one status list so far: every certificate has its place in it
STATUS_LIST = 1
VC_JWT = "application/vc+jwt"


def _certificate_or_404(code: str) -> Certificate:
    certificate = services.find(code)
    if certificate is None:
        abort(404)
    return certificate


def did() -> str:
    """The issuer's did:web: this site's host (a port written %3A)."""
    return "did:web:" + quote(urlsplit(url_for("home.index", _external=True)).netloc, safe="")


def _verify_url(certificate: Certificate) -> str:
    return url_for("certificates.verify", code=codes.display(certificate.code), _external=True)


def pdf_of(certificate: Certificate) -> bytes:
    """The certificate's PDF: made again only when what it shows has changed (the caller
    commits, to keep it)."""
    view = services.view_of(certificate, _verify_url(certificate))
    key = digest(f"{view!r} {certificate.state}")
    if certificate.pdf_key == key and certificate.pdf is not None:
        return certificate.pdf
    body = pdf.render(view)
    certificate.pdf, certificate.pdf_key = body, key
    return body


def credential_of(certificate: Certificate) -> str:
    """The certificate as an Open Badges credential, signed with the current key."""
    view = services.view_of(certificate, _verify_url(certificate))
    if certificate.module is not None:
        achievement = url_for("learn.module", slug=certificate.module.slug, _external=True)
    else:
        achievement = (
            url_for("home.index", _external=True) + f"#programme-{certificate.programme_id}"
        )
    badge = credential.open_badge(
        view,
        credential_id=url_for(
            "certificates.credential", code=codes.display(certificate.code), _external=True
        ),
        issuer_id=did(),
        issuer_url=url_for("home.index", _external=True),
        achievement_id=achievement,
        status_list_url=url_for("certificates.status", list_id=STATUS_LIST, _external=True),
        status_index=certificate.status_index,
        issued_at=certificate.issued_at,
    )
    return credential.sign(badge, services.issuer_keys())


@bp.get("/certificates/<code>.pdf", endpoint="pdf")
def pdf_file(code):
    """The PDF, for the holder and anyone with the code; a revoked one still downloads,
    and its verify page says it is revoked."""
    certificate = _certificate_or_404(code)
    body = pdf_of(certificate)
    db.session.commit()
    name = f"dx-academy-certificate-{certificate.code}.pdf"
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/certificates/<code>/credential.jwt", endpoint="credential")
def credential_file(code):
    """The signed digital credential (VC-JWT), to keep in a wallet or give to a verifier."""
    certificate = _certificate_or_404(code)
    response = Response(credential_of(certificate), mimetype=VC_JWT)
    name = f"dx-academy-certificate-{certificate.code}.jwt"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/.well-known/jwks.json")
def jwks():
    """The issuer's public keys, the older ones too, for credentials signed before a
    rotation."""
    response = jsonify(services.issuer_keys().public_jwks())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/.well-known/did.json")
def did_document():
    response = jsonify(services.issuer_keys().did_document(did()))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/certificates/status/<int:list_id>")
def status(list_id):
    """The signed Bitstring Status List: the bit of each revoked certificate set. Cached
    briefly, so that a revocation is seen within a minute."""
    if list_id != STATUS_LIST:
        abort(404)
    revoked, since = services.status_list_state()
    keys = services.issuer_keys()
    encoded = status_list.encode(revoked)
    url = url_for("certificates.status", list_id=list_id, _external=True)
    # From the latest revocation (or the first issue): the same list, the same document.
    valid_from = since or datetime(2026, 1, 1, tzinfo=UTC)
    listing = status_list.status_list_credential(
        url=url, issuer=did(), encoded=encoded, valid_from=valid_from
    )
    response = Response(credential.sign(listing, keys), mimetype=VC_JWT)
    response.headers["Cache-Control"] = "public, max-age=60"
    response.set_etag(digest(f"{encoded} {keys.current_kid} {since} {url}"))
    return response.make_conditional(request)
