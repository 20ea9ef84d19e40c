"""A certificate's code: what is printed on it and typed in to verify it. Twelve
characters of Crockford's base32 (60 random bits), an alphabet without the letters that
read like others (no I, L, O or U), shown in groups of four. Pure."""

import secrets

#: Crockford's base32: the digits and the letters but I, L, O and U
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: characters in a code: 12 × 5 = 60 random bits
LENGTH = 12
GROUP = 4
# What a reader may type for what is printed: case, and the letters that look like digits.
_LOOK_ALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = str.maketrans("", "", " -\u2010\u2011\u2012\u2013\u2014\t")


def generate() -> str:
    """A new random code, ungrouped (``secrets``: unpredictable)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str | None:
    """The code that ``text`` stands for, ungrouped, forgiving case, spaces, hyphens and
    the look-alikes I and L (for 1) and O (for 0); None when it cannot be a code."""
    code = text.upper().translate(_SEPARATORS).translate(_LOOK_ALIKES)
    if len(code) != LENGTH or any(character not in ALPHABET for character in code):
        return None
    return code


def display(code: str) -> str:
    """The code grouped for reading aloud: "K7QX-4M9P-2RTA"."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
