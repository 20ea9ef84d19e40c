# stand-in: replaced by the document modules
"""The printable certificate."""

from app.certificates.document import CertificateView


def render(view: CertificateView) -> bytes:
    """The certificate as a PDF document."""
    text = f"{view.holder} {view.code}".encode("ascii", "replace")
    return b"%PDF-1.4\n% " + text + b"\n%%EOF\n"
