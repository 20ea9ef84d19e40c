"""The one cache of published content: whatever is built from the content alone (the
catalogue, a quiz's pool, the assessment instrument, a shared page fragment) is kept by
each worker under the content version, and forgotten when the version changes.

Whatever changes the published content calls ``bump_version`` in the same transaction.
This worker forgets its values at once (and keeps nothing more until the request ends,
since the change may yet be rolled back); every other worker reads the version at most
once every CONTENT_CHECK_SECONDS (0: on every request), so it serves the change within
that time. One request sees one version from its start to its end.

A value must follow from the content and its key alone, so that whoever asks with the
same key may be given it: nothing from the request, the session or the user goes in
unless it is in the key (a learner's recommendations are kept under their submitted,
unchangeable assessment and the modules they completed, and only their pages ask for
them). At most CONTENT_CACHE_SIZE values are kept; the least recently used goes first.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app, g
from sqlalchemy import CheckConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

T = TypeVar("T")
_EXTENSION = "dxa_content_cache"


class ContentVersion(db.Model):
    """One row: a counter raised by every change to the published content."""

    __tablename__ = "content_state"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


class _Store:
    """A worker's values for one content version."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version = -1
        self.checked = float("-inf")
        self.values: OrderedDict[Hashable, object] = OrderedDict()


def _store() -> _Store:
    store = current_app.extensions.get(_EXTENSION)
    if store is None:
        store = current_app.extensions.setdefault(_EXTENSION, _Store())
    return store


def content_version() -> int:
    """The content version this request sees (see the module's docstring)."""
    if "content_version" in g:
        return g.content_version
    store = _store()
    now = time.monotonic()
    if now - store.checked >= current_app.config["CONTENT_CHECK_SECONDS"]:
        version = db.session.scalar(select(ContentVersion.version)) or 0
        with store.lock:
            if version != store.version:
                store.values = OrderedDict()
                store.version = version
            store.checked = now
    g.content_version = store.version
    return store.version


def cached(key: Hashable, build: Callable[[], T]) -> T:
    """The value kept under ``key`` for the current content version, built by ``build()``
    the first time it is asked for."""
    content_version()
    store = _store()
    values = store.values
    with store.lock:  # another thread may drop the least recently used meanwhile
        if key in values:
            values.move_to_end(key)
            return values[key]  # type: ignore[return-value]
    value = build()
    if not g.get("content_changed"):
        with store.lock:
            if store.values is values:  # not forgotten meanwhile
                values[key] = value
                if len(values) > current_app.config["CONTENT_CACHE_SIZE"]:
                    values.popitem(last=False)
    return value


def bump_version() -> None:
    """Mark the published content as changed: call it in the transaction that changes it."""
    row = db.session.get(ContentVersion, 1)
    if row is None:
        db.session.add(ContentVersion(id=1, version=1))
    else:
        row.version += 1
    current_app.extensions.pop(_EXTENSION, None)
    g.pop("content_version", None)
    g.content_changed = True
