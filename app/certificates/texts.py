"""What a certificate says in each language, shared by the PDF and the credential: the
printed wording, the title in a language, the date as that language writes it. Pure.

These are constants rather than messages in the catalogue because a certificate shows
both languages whatever the language of the page that asks for it.
"""

import unicodedata
from dataclasses import dataclass

from babel.dates import format_date

from app.certificates.document import CertificateView


@dataclass(frozen=True)
class Wording:
    """What the certificate says around the names, in one language."""

    title: str
    certifies: str
    completed: str
    issued_on: str
    code: str
    scan: str
    issued_by: str
    date_format: str


#: the printed texts, by language and by kind of certificate
WORDING: dict[str, dict[str, Wording]] = {
    "vi": {
        "module": Wording(
            title="Chứng nhận hoàn thành",
            certifies="Trân trọng chứng nhận",
            completed="đã hoàn thành học phần",
            issued_on="Ngày cấp",
            code="Mã chứng nhận",
            scan="Quét mã để xác minh",
            issued_by="Đơn vị cấp",
            date_format="d 'tháng' M, y",
        ),
        "programme": Wording(
            title="Chứng nhận hoàn thành chương trình",
            certifies="Trân trọng chứng nhận",
            completed="đã hoàn thành chương trình đào tạo",
            issued_on="Ngày cấp",
            code="Mã chứng nhận",
            scan="Quét mã để xác minh",
            issued_by="Đơn vị cấp",
            date_format="d 'tháng' M, y",
        ),
    },
    "en": {
        "module": Wording(
            title="Certificate of completion",
            certifies="This is to certify that",
            completed="has completed the module",
            issued_on="Issued on",
            code="Certificate code",
            scan="Scan to verify",
            issued_by="Issued by",
            date_format="d MMMM y",
        ),
        "programme": Wording(
            title="Certificate of completion of a programme",
            certifies="This is to certify that",
            completed="has completed the training programme",
            issued_on="Issued on",
            code="Certificate code",
            scan="Scan to verify",
            issued_by="Issued by",
            date_format="d MMMM y",
        ),
    },
}


def languages(view: CertificateView) -> tuple[str, str]:
    """The holder's language first, then the other one."""
    first = view.locale if view.locale in WORDING else "vi"
    return first, "en" if first == "vi" else "vi"


def wording(language: str, kind: str) -> Wording:
    """The texts for one language and kind ("module" or "programme")."""
    return WORDING[language]["programme" if kind == "programme" else "module"]


def formatted_date(view: CertificateView, language: str) -> str:
    """The issue date as that language writes it: "3 tháng 12, 2026", "3 December 2026"."""
    return format_date(view.issued_on, wording(language, view.kind).date_format, locale=language)


def nfc(text: str) -> str:
    """The text composed, so that a name stored decomposed prints and extracts the same."""
    return unicodedata.normalize("NFC", text)


def title_in(view: CertificateView, language: str) -> str:
    """The module's or programme's title in that language, else in the other one."""
    return nfc(view.titles.get(language) or next(iter(view.titles.values()), ""))
