"""Numbers as people type them, in Vietnamese and in English."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.numbers import number_readings, read_number


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("2,5", 2.5),
        ("2.5", 2.5),
        ("-2,5", -2.5),
        ("\u22125", -5.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        (".5", 0.5),
        ("1e3", 1000.0),
        (7, 7.0),
        ("1,2,3", None),
        ("", None),
        (True, None),
    ],
)
def test_the_likeliest_reading_takes_a_decimal_comma(typed, value):
    readings = number_readings(typed)
    assert (readings[0] if readings else None) == value


@pytest.mark.parametrize(
    ("typed", "readings"),
    [
        ("1.200", (1.2, 1200.0)),
        ("1,200", (1.2, 1200.0)),
        ("1.234.567", (1234567.0,)),
        ("1 200 000", (1200000.0,)),
        ("1\u00a0200", (1200.0,)),
        ("10.000.000,5", (10000000.5,)),
        ("0.500", (0.5,)),
        ("1.2000", (1.2,)),
        ("1.234.5", ()),
        ("12 34", ()),
    ],
)
def test_number_readings_group_thousands_as_vietnamese_and_english_write_them(typed, readings):
    assert number_readings(typed) == readings


@given(st.integers(min_value=1000, max_value=10**12), st.sampled_from([".", ",", " "]))
def test_a_whole_number_written_with_thousands_separators_reads_as_itself(n, separator):
    assert float(n) in number_readings(f"{n:,}".replace(",", separator))


@pytest.mark.parametrize(
    ("typed", "group", "value"),
    [("1.200", ".", 1200.0), ("1.200", ",", 1.2), ("1,200", ",", 1200.0), ("1,200", ".", 1.2),
     ("2,5", ".", 2.5), ("1.234.567", ",", 1234567.0), ("x", ".", None)],
)  # fmt: skip
def test_read_number_takes_the_readers_thousands_separator(typed, group, value):
    assert read_number(typed, group) == value
