"""A certificate as its documents show it: the printable PDF and the signed Open Badges
credential are made from this one view, so that they never say different things. Pure."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CertificateView:
    """What a certificate says, in both languages."""

    #: the code printed on it, grouped for reading aloud, e.g. "K7QX-4M9P-2RTA"
    code: str
    #: the holder's name, in Unicode NFC
    holder: str
    #: the module's or the programme's title, by language ("vi", "en")
    titles: Mapping[str, str]
    #: "module" or "programme"
    kind: str
    issued_on: date
    #: the organisation that issues it, e.g. "DX Academy"
    issuer: str
    #: the holder's language: the PDF shows it first, the other beneath
    locale: str
    #: the public page that says whether it is valid (absolute URL)
    verify_url: str
