"""The certificate's documents: the PDF, the issuer's keys, the status list and the
Open Badges credential, tested without Flask."""

from dataclasses import replace
from datetime import date
from typing import Any

from app.certificates.document import CertificateView

VIEW = CertificateView(
    code="K7QX-4M9P-2RTA",
    holder="Nguyễn Thị Ánh Tuyết",
    titles={
        "vi": "Bước 6: Chuyển hóa — mô hình kinh doanh mới dựa trên dữ liệu",
        "en": "Step 6: Transformation — new business models built on data",
    },
    kind="module",
    issued_on=date(2026, 12, 3),
    issuer="DX Academy",
    locale="vi",
    verify_url="https://academy.example.vn/verify/K7QX4M9P2RTA",
)


def make_view(**changes: Any) -> CertificateView:
    """A certificate view as a test wants it: the defaults above with its changes."""
    return replace(VIEW, **changes)
