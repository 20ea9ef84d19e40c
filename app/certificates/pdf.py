"""The printable certificate: one A4 landscape page in the holder's language, the other
language beneath, with a QR code to the public verification page. Pure: a view in, the
PDF's bytes out.

The page shows both languages whatever the language of the page that asks for it (its
texts are in texts.py). Noto Sans is embedded (a subset of it, by fpdf2) so that
Vietnamese reads the same in every viewer, and text shaping places the marks of any
sequence the font has no single glyph for.
"""

from datetime import UTC, datetime, time
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, XPos, YPos

from app.certificates.document import CertificateView
from app.certificates.texts import formatted_date, languages, nfc, title_in, wording

FONTS = Path(__file__).parent / "fonts"
FONT = "NotoSans"

# A4 landscape, in millimetres
WIDTH, HEIGHT = 297.0, 210.0
#: the width that the centred lines may take, inside the frame
TEXT_WIDTH = 225.0
#: a name or title takes at most this many lines, shrunk down to at most this size
MOST_LINES, SMALLEST_TEXT = 2, 8.0
#: millimetres in a point, and the line height as a multiple of the font size
POINT, LEADING = 0.3528, 1.3

BRAND = (11, 90, 74)
BRAND_DARK = (7, 61, 51)
ACCENT = (214, 168, 64)
INK = (29, 36, 39)
MUTED = (77, 90, 96)
PAPER = (253, 251, 245)


class _Page:
    """One certificate page being drawn, with the helpers the layout needs."""

    def __init__(self, view: CertificateView) -> None:
        self.view = view
        pdf = FPDF(orientation="L", unit="mm", format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_margins(0, 0, 0)
        pdf.add_font(FONT, "", FONTS / "NotoSans-Regular.ttf")
        pdf.add_font(FONT, "B", FONTS / "NotoSans-Bold.ttf")
        pdf.set_text_shaping(True)
        first = languages(view)[0]
        pdf.set_lang(first)
        pdf.set_title(f"{wording(first, view.kind).title}: {nfc(view.holder)}")
        pdf.set_author(nfc(view.issuer))
        pdf.set_creator(nfc(view.issuer))
        pdf.set_subject(title_in(view, first))
        # dated by the certificate rather than the clock, so that the same view always
        # makes the same bytes (an ETag or a cache can then stand for it)
        pdf.set_creation_date(datetime.combine(view.issued_on, time(), tzinfo=UTC))
        pdf.add_page()
        self.pdf = pdf

    def line(
        self,
        text: str,
        y: float,
        size: float,
        *,
        bold: bool = False,
        colour: tuple[int, int, int] = INK,
        smallest: float | None = None,
        spacing: float = 0,
    ) -> float:
        """A centred line at y (its top), shrunk down to `smallest` points to fit the
        text width, wrapped onto a second line below that (and shrunk further if even
        two lines are not enough, so that it never runs into the footer); returns the y
        under it."""
        pdf = self.pdf
        style = "B" if bold else ""
        pdf.set_font(FONT, style, size)
        pdf.set_char_spacing(spacing)
        room = TEXT_WIDTH - 2 * pdf.c_margin
        while smallest is not None and size > smallest and pdf.get_string_width(text) > room:
            size -= 0.5
            pdf.set_font(FONT, style, size)
        while (
            size > SMALLEST_TEXT
            and pdf.get_string_width(text) > room
            and len(self.wrapped(text, size)) > MOST_LINES
        ):
            size -= 0.5
            pdf.set_font(FONT, style, size)
        pdf.set_text_color(*colour)
        height = size * POINT * LEADING
        pdf.set_xy((WIDTH - TEXT_WIDTH) / 2, y)
        pdf.multi_cell(TEXT_WIDTH, height, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_char_spacing(0)
        return pdf.get_y()

    def wrapped(self, text: str, size: float) -> list[str]:
        """The lines that the text takes across the text width at that size."""
        lines = self.pdf.multi_cell(
            TEXT_WIDTH, size * POINT * LEADING, text, dry_run=True, output=MethodReturnValue.LINES
        )
        assert isinstance(lines, list)
        return lines

    def frame(self) -> None:
        """The paper, a double frame and a short rule in the corners."""
        pdf = self.pdf
        pdf.set_fill_color(*PAPER)
        pdf.rect(0, 0, WIDTH, HEIGHT, style="F")
        pdf.set_draw_color(*BRAND)
        pdf.set_line_width(2.2)
        pdf.rect(9, 9, WIDTH - 18, HEIGHT - 18)
        pdf.set_draw_color(*ACCENT)
        pdf.set_line_width(0.5)
        pdf.rect(13.5, 13.5, WIDTH - 27, HEIGHT - 27)
        pdf.set_fill_color(*ACCENT)
        for x, y in ((13.5, 13.5), (WIDTH - 13.5, 13.5), (13.5, HEIGHT - 13.5)):
            self.diamond(x, y, 2.4)
        self.diamond(WIDTH - 13.5, HEIGHT - 13.5, 2.4)

    def diamond(self, x: float, y: float, r: float) -> None:
        """A small filled diamond centred on (x, y)."""
        self.pdf.polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], style="F")

    def rule(self, y: float, half_width: float, colour: tuple[int, int, int] = ACCENT) -> None:
        """A centred horizontal rule with a diamond in its middle."""
        pdf = self.pdf
        pdf.set_draw_color(*colour)
        pdf.set_line_width(0.4)
        pdf.line(WIDTH / 2 - half_width, y, WIDTH / 2 - 3, y)
        pdf.line(WIDTH / 2 + 3, y, WIDTH / 2 + half_width, y)
        pdf.set_fill_color(*colour)
        self.diamond(WIDTH / 2, y, 1.4)

    def qr(self, x: float, y: float, size: float) -> None:
        """The QR code to the verify page as vector squares, one rectangle per run of
        dark modules in a row, and a link over it to the same address."""
        pdf = self.pdf
        code = segno.make(self.view.verify_url, error="m")
        rows = [list(row) for row in code.matrix_iter(border=0)]
        cell = size / len(rows)
        pdf.set_fill_color(*INK)
        for r, row in enumerate(rows):
            c = 0
            while c < len(row):
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                # a hair of overlap so that viewers draw no seams between the squares
                pdf.rect(
                    x + start * cell, y + r * cell, (c - start) * cell + 0.02, cell + 0.02, "F"
                )
        pdf.link(x, y, size, size, self.view.verify_url, alt_text=self.view.verify_url)

    def footer_block(
        self,
        x: float,
        y: float,
        width: float,
        label: str,
        value: str,
        other_label: str,
        align: Align,
    ) -> None:
        """A label in both languages over a value, aligned within a column."""
        pdf = self.pdf
        pdf.set_xy(x, y)
        pdf.set_font(FONT, "B", 8)
        pdf.set_text_color(*BRAND)
        pdf.set_char_spacing(0.4)
        pdf.cell(width, 4, f"{label.upper()}  ·  {other_label.upper()}", align=align)
        pdf.set_char_spacing(0)
        pdf.set_xy(x, y + 5)
        pdf.set_font(FONT, "B", 12)
        pdf.set_text_color(*INK)
        pdf.cell(width, 6, value, align=align)

    def draw(self) -> bytes:
        """The whole page, top to bottom."""
        view, pdf = self.view, self.pdf
        first, second = languages(view)
        one, two = wording(first, view.kind), wording(second, view.kind)
        self.frame()

        y = self.line(nfc(view.issuer).upper(), 22, 13, bold=True, colour=BRAND, spacing=2.5)
        self.rule(y + 2.5, 22)

        y = self.line(one.title, y + 10, 30, bold=True, colour=BRAND_DARK, smallest=22)
        y = self.line(two.title, y - 0.5, 13, colour=MUTED, smallest=10)

        y = self.line(one.certifies, y + 10, 12, colour=INK)
        y = self.line(two.certifies, y - 0.5, 9.5, colour=MUTED)

        y = self.line(nfc(view.holder), y + 4, 32, bold=True, colour=INK, smallest=20)
        self.rule(y + 2, 70, colour=BRAND)

        y = self.line(one.completed, y + 8, 12, colour=INK)
        y = self.line(two.completed, y - 0.5, 9.5, colour=MUTED)

        y = self.line(title_in(view, first), y + 3, 19, bold=True, colour=BRAND_DARK, smallest=14)
        if title_in(view, second) != title_in(view, first):
            self.line(title_in(view, second), y, 11.5, colour=MUTED, smallest=9)

        # the footer: date on the left, the code in the middle, the QR on the right
        qr_size, qr_x, qr_y = 30.0, WIDTH - 26 - 30.0, HEIGHT - 26 - 30.0
        self.qr(qr_x, qr_y, qr_size)
        pdf.set_font(FONT, "", 7)
        pdf.set_text_color(*MUTED)
        pdf.set_xy(qr_x - 10, qr_y + qr_size + 1)
        pdf.cell(qr_size + 20, 3.5, f"{one.scan} · {two.scan}", align=Align.C)

        base = HEIGHT - 40
        self.footer_block(
            26, base, 80, one.issued_on, formatted_date(view, first), two.issued_on, Align.L
        )
        pdf.set_xy(26, base + 11)
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*MUTED)
        pdf.cell(80, 4, formatted_date(view, second), align=Align.L)

        self.footer_block(WIDTH / 2 - 45, base, 90, one.code, view.code, two.code, Align.C)
        pdf.set_xy(WIDTH / 2 - 55, base + 11)
        pdf.set_font(FONT, "", 8)
        pdf.set_text_color(*MUTED)
        pdf.cell(110, 4, view.verify_url, align=Align.C, link=view.verify_url)

        self.footer_block(
            26, base - 17, 80, one.issued_by, nfc(view.issuer), two.issued_by, Align.L
        )
        return bytes(pdf.output())


def render(view: CertificateView) -> bytes:
    """The certificate as a one-page A4 landscape PDF: the issuer, the title, the holder's
    name, the module or programme, the issue date, the code and a QR code to the verify
    page, in the holder's language with the other language beneath."""
    return _Page(view).draw()
