"""The certificate code: its alphabet, its randomness, and the ways a reader may type it."""

from hypothesis import given
from hypothesis import strategies as st

from app.certificates import codes

code_strings = st.text(alphabet=codes.ALPHABET, min_size=codes.LENGTH, max_size=codes.LENGTH)


def test_a_code_has_twelve_characters_of_crockford_base32_and_sixty_random_bits():
    code = codes.generate()
    assert len(code) == codes.LENGTH == 12
    assert set(code) <= set(codes.ALPHABET)
    assert len(codes.ALPHABET) == 32 and not set("ILOU") & set(codes.ALPHABET)
    assert codes.LENGTH * 5 >= 50


def test_codes_do_not_repeat():
    made = {codes.generate() for _ in range(20000)}
    assert len(made) == 20000


@given(code_strings)
def test_a_code_shown_grouped_reads_back_as_itself(code):
    shown = codes.display(code)
    assert shown.count("-") == 2 and len(shown) == 14
    assert codes.normalise(shown) == code


@given(code_strings, st.lists(st.sampled_from([" ", "-", "  "]), max_size=4), st.booleans())
def test_case_spaces_and_hyphens_are_forgiven(code, separators, lower):
    typed = code.lower() if lower else code
    for n, separator in enumerate(separators):
        at = (n * 3 + 1) % len(typed)
        typed = typed[:at] + separator + typed[at:]
    assert codes.normalise(typed) == code


@given(code_strings)
def test_look_alike_letters_are_read_as_the_digits_they_resemble(code):
    typed = code.replace("1", "I").replace("0", "O")
    assert codes.normalise(typed) == code
    assert codes.normalise(code.replace("1", "l")) == code


@given(st.text(max_size=30))
def test_anything_else_is_no_code_or_a_code_of_the_alphabet(text):
    code = codes.normalise(text)
    assert code is None or (len(code) == codes.LENGTH and set(code) <= set(codes.ALPHABET))


def test_u_and_wrong_lengths_are_no_code():
    assert codes.normalise("UUUU-UUUU-UUUU") is None
    assert codes.normalise("K7QX-4M9P-2RT") is None
    assert codes.normalise("K7QX-4M9P-2RTAA") is None
    assert codes.normalise("") is None
