"""The printed certificate, read back with a PDF reader as a verifier would."""

import io
import re
import unicodedata

import pytest
import segno
from pypdf import PdfReader

from app.certificates.pdf import render
from app.certificates.texts import formatted_date
from tests.certificates import make_view

NAMES = ["Nguyễn Thị Ánh Tuyết", "Đặng Quốc Bảo"]


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    return read(pdf).pages[0].extract_text()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_the_holder_name_reads_back_exactly_whichever_form_it_was_stored_in(name, form):
    stored = unicodedata.normalize(form, name)
    text = text_of(render(make_view(holder=stored)))
    # no normalising here: the reader must get the composed letters back as they are
    assert name in text
    assert unicodedata.normalize("NFD", name) not in text


def test_the_module_title_reads_back_in_both_languages():
    text = text_of(render(make_view()))
    assert "Bước 6: Chuyển hóa — mô hình kinh doanh mới dựa trên dữ liệu" in text
    assert "Step 6: Transformation — new business models built on data" in text


def test_the_page_is_a4_landscape_and_only_one():
    reader = read(render(make_view()))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_noto_sans_is_embedded_in_the_file():
    page = read(render(make_view())).pages[0]
    fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    names = {str(font["/BaseFont"]).split("+")[-1] for font in fonts}
    assert names == {"NotoSans", "NotoSansBold"}
    for font in fonts:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor


@pytest.mark.parametrize(
    ("locale", "first", "second"),
    [
        ("vi", "Chứng nhận hoàn thành", "Certificate of completion"),
        ("en", "Certificate of completion", "Chứng nhận hoàn thành"),
    ],
)
def test_the_holders_language_comes_first_and_the_other_beneath(locale, first, second):
    text = text_of(render(make_view(locale=locale)))
    assert first in text and second in text
    assert text.index(first) < text.index(second)
    assert "K7QX-4M9P-2RTA" in text


def test_a_programme_certificate_says_so_in_both_languages():
    text = text_of(render(make_view(kind="programme")))
    assert "Chứng nhận hoàn thành chương trình" in text
    assert "Certificate of completion of a programme" in text
    assert "đã hoàn thành chương trình đào tạo" in text


def test_the_issue_date_is_written_as_each_language_writes_it():
    view = make_view()
    assert formatted_date(view, "vi") == "3 tháng 12, 2026"
    assert formatted_date(view, "en") == "3 December 2026"
    text = text_of(render(view))
    assert "3 tháng 12, 2026" in text and "3 December 2026" in text


def test_the_qr_code_links_to_the_verify_page():
    page = read(render(make_view())).pages[0]
    uris = [annot.get_object()["/A"]["/URI"] for annot in page["/Annots"]]
    assert uris and set(uris) == {"https://academy.example.vn/verify/K7QX4M9P2RTA"}


def drawn_squares(pdf: bytes) -> tuple[list[float], list[tuple[float, float, float, float]]]:
    """The QR's link rectangle, and every filled rectangle drawn inside it (x, y, w, h)."""
    page = read(pdf).pages[0]
    rect = [float(v) for v in page["/Annots"][0].get_object()["/Rect"]]
    stream = page.get_contents().get_data().decode("latin-1")
    number = r"(-?[\d.]+)"
    found = [
        tuple(float(v) for v in match)
        for match in re.findall(rf"{number} {number} {number} {number} re", stream)
    ]
    inside = [
        (x, y, w, h)
        for x, y, w, h in found
        if rect[0] - 0.1 <= x <= rect[2]
        and rect[1] - 0.1 <= y + min(h, 0) <= rect[3]
        and abs(w) < rect[2] - rect[0]
    ]
    return rect, inside


def test_the_qr_drawn_is_segnos_matrix_for_the_verify_url():
    url = "https://academy.example.vn/verify/K7QX4M9P2RTA"
    rect, squares = drawn_squares(render(make_view(verify_url=url)))
    expected = [list(row) for row in segno.make(url, error="m").matrix_iter(border=0)]
    size = len(expected)
    cell = (rect[2] - rect[0]) / size
    drawn = [[False] * size for _ in range(size)]
    for x, y, w, h in squares:
        top = max(y, y + h)  # PDF space grows upwards; fpdf2 writes negative heights
        row = round((rect[3] - top) / cell)
        first = round((x - rect[0]) / cell)
        for column in range(first, first + round(w / cell)):
            drawn[row][column] = True
    assert drawn == [[bool(v) for v in row] for row in expected]


def test_the_same_certificate_always_makes_the_same_bytes():
    assert render(make_view()) == render(make_view())


def test_a_long_name_and_title_stay_on_the_page_on_one_line_each():
    view = make_view(holder="Tôn Nữ Hoàng Phương Thảo Nguyễn Thị Ánh Tuyết")
    lines = text_of(render(view)).splitlines()
    assert "Tôn Nữ Hoàng Phương Thảo Nguyễn Thị Ánh Tuyết" in lines
    assert "Bước 6: Chuyển hóa — mô hình kinh doanh mới dựa trên dữ liệu" in lines
