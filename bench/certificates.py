"""The certificate's PDF made on demand: the median time to render one (a long
Vietnamese name and module title, both languages, the QR code, the embedded font
subset), in this process. Target: under 300 ms.

Usage: python bench/certificates.py [--runs N]
"""

import argparse
import statistics
import sys
import time
import unicodedata
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.certificates.document import CertificateView  # noqa: E402
from app.certificates.pdf import render  # noqa: E402

TARGET_MS = 300


def view(n: int) -> CertificateView:
    return CertificateView(
        code=f"K7QX-4M9P-{n:04d}",
        # decomposed, as the slowest case: the name is composed before it is drawn
        holder=unicodedata.normalize("NFD", "Tôn Nữ Hoàng Phương Thảo Nguyễn Thị Ánh Tuyết"),
        titles={
            "vi": "Bước 6: Chuyển hóa — mô hình kinh doanh mới dựa trên dữ liệu",
            "en": "Step 6: Transformation — new business models built on data",
        },
        kind="module",
        issued_on=date(2026, 12, 3),
        issuer="DX Academy",
        locale="vi",
        verify_url=f"https://academy.example.vn/verify/K7QX4M9P{n:04d}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    render(view(0))  # warm-up: imports and the first font parse
    times, size = [], 0
    for n in range(1, options.runs + 1):
        start = time.perf_counter()
        size = len(render(view(n)))
        times.append((time.perf_counter() - start) * 1000)
    ms = statistics.median(times)
    verdict = "ok" if ms < TARGET_MS else "ABOVE TARGET"
    print(f"certificate PDF ({size // 1024} KB): {ms:.0f} ms (target < {TARGET_MS} ms) {verdict}")


if __name__ == "__main__":
    main()
