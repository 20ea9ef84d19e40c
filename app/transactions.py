"""Units of work that a concurrent one can force to start again: a serialisation
failure or deadlock on PostgreSQL, a busy database on SQLite, or a row inserted by
another request a moment earlier. ``committed(work)`` runs ``work`` and commits; on such
a failure it rolls back and runs it again from the start, a few times, after a short
random pause."""

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

from app.extensions import db

T = TypeVar("T")
ATTEMPTS = 6
#: SQLSTATEs of PostgreSQL: serialization_failure, deadlock_detected, unique_violation
_AGAIN = {"40001", "40P01", "23505"}
_SQLITE_AGAIN = ("database is locked", "UNIQUE constraint failed")


def may_succeed_again(error: DBAPIError) -> bool:
    """Whether running the same work again may succeed, now that the other is done."""
    sqlstate = getattr(error.orig, "sqlstate", None)
    return sqlstate in _AGAIN or any(text in str(error.orig) for text in _SQLITE_AGAIN)


def committed(work: Callable[[], T]) -> T:
    for attempt in range(ATTEMPTS):
        try:
            result = work()
            db.session.commit()
            return result
        except DBAPIError as error:
            db.session.rollback()
            if attempt == ATTEMPTS - 1 or not may_succeed_again(error):
                raise
            time.sleep(random.uniform(0, 0.02 * 2**attempt))  # noqa: S311 - a pause, not a secret
    raise AssertionError("unreachable")
