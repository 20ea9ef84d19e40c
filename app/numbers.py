"""Numbers as people type them, in Vietnamese and in English: a pure module."""

import math
import re

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_SPACED = re.compile(r"[+-]?\d{1,3}(?: \d{3})+(?:[.,]\d+)?")
_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(?:([.,])\d{3})(?:\1\d{3})*")


def number_readings(typed: str | int | float) -> tuple[float, ...]:
    """Every value a typed number can mean, the likeliest first; empty when it is no
    number. "2,5" and "2.5" are 2.5; with both separators the last one is the decimal
    point ("1.234,5" and "1,234.5" are 1234.5); a separator used twice, or a space, groups
    thousands ("1.234.567", "1 200"); a single separator before exactly three digits reads
    both ways, since "1.200" is 1200 written in Vietnamese and 1.2 in English."""
    if isinstance(typed, bool):
        return ()
    if isinstance(typed, int | float):
        return (float(typed),) if math.isfinite(typed) else ()
    if not isinstance(typed, str):
        return ()
    text = typed.strip().replace("\u2212", "-").replace("\u00a0", " ").replace("\u202f", " ")
    if " " in text:
        if not _SPACED.fullmatch(text):
            return ()
        text = text.replace(" ", "")
    if "," in text and "." in text:
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        readings = [text.replace(thousands, "").replace(",", ".")]
    elif grouped := _THOUSANDS.fullmatch(text):
        whole = re.sub(r"[.,]", "", text)
        once = text.count(grouped.group(1)) == 1
        readings = [text.replace(",", "."), whole] if once else [whole]
    else:
        readings = [text.replace(",", ".")]
    values = (float(r) for r in readings if _NUMBER.fullmatch(r))
    return tuple(dict.fromkeys(v for v in values if math.isfinite(v)))  # 1e309 is no number


def read_number(typed: str, group: str) -> float | None:
    """The value of a typed number for a reader whose language groups thousands with
    ``group`` ("." in Vietnamese, "," in English): "1.200" is 1200 to the first and 1.2 to
    the second. None when it is no number."""
    readings = number_readings(typed)
    if len(readings) == 2 and group in typed:
        return readings[1]
    return readings[0] if readings else None
