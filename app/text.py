"""Text helpers shared by the features: a digest, the two ways texts are compared, and
the characters no text holds. Pure: no Flask, no database."""

import hashlib
import re
import unicodedata

#: C0 control characters and DEL, but tab and line breaks: no text of the platform holds
#: one (and PostgreSQL cannot store a NUL)
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def digest(text: str) -> str:
    """The SHA-256 of the text's UTF-8 bytes, in hex: how a file's content is remembered."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def comparable(text: str) -> str:
    """Text as equal answers and names compare: NFC, case folded, whitespace trimmed and
    collapsed ("CÀ PHÊ  Sông Hàn" and "cà phê sông hàn" are the same)."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    return " ".join(folded.split())


def fold(text: str) -> str:
    """Text without case or diacritics, for searching and for ASCII anchors:
    "Đơn HÀNG" -> "don hang"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def spreadsheet_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text and never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
