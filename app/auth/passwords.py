"""The rules a new password meets. Pure: no Flask, no database.

Long enough, not longer than a password field holds, not only spaces, not one of the
10,000 most common passwords (common-passwords.txt) nor a common Vietnamese one, and not
the person's email or name. Each broken rule has its own message (marked for the
catalogue).
"""

from functools import cache
from pathlib import Path

from app.languages import N_
from app.text import comparable

MIN_LENGTH = 8
MAX_LENGTH = 128
#: common in Vietnam and missing from the list, which comes from mostly English sites
VIETNAMESE = (
    "matkhau", "matkhau123", "anhyeuem", "emyeuanh", "anhyeuem123", "yeuem123",
    "vietnam123", "123456a@", "12345678a", "a12345678", "hanoi123", "saigon123",
)  # fmt: skip

TOO_SHORT = N_("Use at least %(n)s characters.")
TOO_LONG = N_("Use at most %(n)s characters.")
ONLY_SPACES = N_("A password cannot be only spaces.")
COMMON = N_("This is one of the most common passwords, which are guessed first: choose another.")
PERSONAL = N_("A password cannot be your email or your name.")


@cache
def common_passwords() -> frozenset[str]:
    text = (Path(__file__).with_name("common-passwords.txt")).read_text(encoding="utf-8")
    listed = (line for line in text.splitlines() if line and not line.startswith("#"))
    return frozenset(listed) | frozenset(VIETNAMESE)


def password_problem(
    password: str, email: str = "", name: str = ""
) -> tuple[str, dict[str, int]] | None:
    """The rule ``password`` breaks, as a message template and its placeholders; None
    when it breaks none."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT, {"n": MIN_LENGTH}
    if len(password) > MAX_LENGTH:
        return TOO_LONG, {"n": MAX_LENGTH}
    if not password.strip():
        return ONLY_SPACES, {}
    folded = comparable(password)
    if folded in common_passwords():
        return COMMON, {}
    personal = {comparable(email), comparable(email).partition("@")[0], comparable(name)}
    if folded.replace(" ", "") in {p.replace(" ", "") for p in personal if p}:
        return PERSONAL, {}
    return None
