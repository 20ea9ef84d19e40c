"""The published course as learners read it: a snapshot per language, kept in memory
by each worker and rebuilt when the content version changes.

A lesson page then costs one primary-key read of the version instead of the queries for
module texts, lesson outline and lesson body. Whatever writes content (import, editing)
bumps the version in the same transaction, so every worker sees the change on its next
request; nothing is served stale.
"""

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

from flask import current_app, g, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.content.glossary import link_terms, sort_key
from app.content.models import (
    ContentState,
    GlossaryTerm,
    Lesson,
    LessonTranslation,
    Module,
)
from app.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class LessonItem:
    """A lesson's place and title: what menus and lists need."""

    id: int
    module_slug: str
    slug: str
    position: int
    title: str


@dataclass(frozen=True)
class LessonBody:
    id: int
    title: str
    html: str


@dataclass(frozen=True)
class GlossaryEntry:
    id: str
    term: str
    definition: str
    modules: tuple[str, ...]


@dataclass(frozen=True)
class ModuleView:
    id: int
    slug: str
    position: int
    track: str
    step: int | None
    minutes: int
    title: str
    summary: str
    outcomes: tuple[str, ...]
    prerequisites: tuple[str, ...]  # slugs
    lessons: tuple[LessonItem, ...]

    def lesson_index(self, slug: str) -> int | None:
        for index, lesson in enumerate(self.lessons):
            if lesson.slug == slug:
                return index
        return None


@dataclass
class Catalogue:
    version: int
    locale: str
    modules: tuple[ModuleView, ...]
    by_slug: dict[str, ModuleView]
    glossary: tuple[GlossaryEntry, ...] = ()
    _bodies: dict[int, LessonBody] = field(default_factory=dict)

    @property
    def lessons(self) -> list[LessonItem]:
        """Every lesson in catalogue order."""
        return [lesson for module in self.modules for lesson in module.lessons]

    def body(self, lesson: LessonItem) -> LessonBody:
        """The lesson's HTML with the first use of each of its module's glossary terms
        linked; read from the database and linked the first time only."""
        body = self._bodies.get(lesson.id)
        if body is None:
            row = db.session.execute(
                select(LessonTranslation.title, LessonTranslation.html).where(
                    LessonTranslation.lesson_id == lesson.id,
                    LessonTranslation.locale == self.locale,
                )
            ).one()
            page = url_for("learn.glossary")
            terms = [
                (entry.term, f"{page}#term-{entry.id}")
                for entry in self.glossary
                if lesson.module_slug in entry.modules
            ]
            html = link_terms(row.html, terms)
            body = self._bodies[lesson.id] = LessonBody(lesson.id, row.title, html)
        return body


_lock = threading.Lock()


def current_version() -> int:
    return db.session.scalar(select(ContentState.version).where(ContentState.id == 1)) or 0


def cached(name: Hashable, build: Callable[[int], T]) -> T:
    """``build(version)``'s value, kept per worker until the content version changes. The
    version is read at most once every CATALOGUE_CHECK_SECONDS (0: once per request), so
    another worker's change shows within that time."""
    state = current_app.extensions.setdefault("dxa_catalogue", {"checked": 0.0, "version": -1})
    now = time.monotonic()
    if (
        now - state["checked"] >= current_app.config["CATALOGUE_CHECK_SECONDS"]
        and "content_version_checked" not in g
    ):
        g.content_version_checked = True
        version = current_version()
        with _lock:
            if version != state["version"]:
                for key in [key for key in state if key not in ("checked", "version")]:
                    del state[key]
                state["version"] = version
            state["checked"] = now
    value = state.get(name)
    if value is None:
        value = build(state["version"])
        with _lock:
            state[name] = value
    return value


def get_catalogue(locale: str) -> Catalogue:
    """The catalogue in ``locale`` as of the current content version."""
    return cached(f"catalogue:{locale}", lambda version: _build(version, locale))


def _build(version: int, locale: str) -> Catalogue:
    modules = db.session.scalars(
        select(Module).order_by(Module.position).options(selectinload(Module.prerequisites))
    ).all()
    lesson_rows = db.session.execute(
        select(Lesson.id, Lesson.module_id, Lesson.slug, Lesson.position, LessonTranslation.title)
        .join(LessonTranslation)
        .where(LessonTranslation.locale == locale)
        .order_by(Lesson.position)
    ).all()
    slugs = {m.id: m.slug for m in modules}
    lessons: dict[int, list[LessonItem]] = {}
    for row in lesson_rows:
        lessons.setdefault(row.module_id, []).append(
            LessonItem(row.id, slugs[row.module_id], row.slug, row.position, row.title)
        )
    views = []
    for module in modules:
        text = module.text(locale)
        views.append(
            ModuleView(
                id=module.id,
                slug=module.slug,
                position=module.position,
                track=module.track,
                step=module.step,
                minutes=module.minutes,
                title=text.title,
                summary=text.summary,
                outcomes=tuple(text.outcomes),
                prerequisites=tuple(p.slug for p in module.prerequisites),
                lessons=tuple(lessons.get(module.id, ())),
            )
        )
    glossary = sorted(
        (
            GlossaryEntry(
                term.slug,
                term.translations[locale].term,
                term.translations[locale].definition,
                tuple(term.modules),
            )
            for term in db.session.scalars(select(GlossaryTerm))
        ),
        key=lambda entry: sort_key(entry.term),
    )
    return Catalogue(version, locale, tuple(views), {v.slug: v for v in views}, tuple(glossary))


def bump_version() -> None:
    """Mark the content as changed; call in the transaction that changes it. This worker
    forgets its snapshots at once; the others within CATALOGUE_CHECK_SECONDS."""
    current_app.extensions.pop("dxa_catalogue", None)
    state = db.session.get(ContentState, 1)
    if state is None:
        db.session.add(ContentState(id=1, version=1))
    else:
        state.version += 1
