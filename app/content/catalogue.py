"""The published course as learners read it, in one language: the modules with their
lessons in order, and the glossary. Built once per worker and content version (app.cache),
so that a page reads its outline from memory; a lesson's text is read and linked to the
glossary the first time it is shown.
"""

from dataclasses import dataclass, field

from flask import abort, redirect, request, url_for
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.cache import cached
from app.content.glossary import link_terms, sort_key
from app.content.models import FormerSlug, GlossaryTerm, Lesson, LessonTranslation, Module
from app.extensions import db


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
    #: the term in English, shown beside it in the other languages ("" in English, or
    #: where it is written the same, as "KPI" is)
    english: str = ""


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

    @property
    def tagline(self) -> str:
        """The summary's first sentence, for a compact card."""
        first, dot, rest = self.summary.partition(". ")
        return f"{first}." if dot and rest else self.summary

    def lesson_index(self, slug: str) -> int | None:
        for index, lesson in enumerate(self.lessons):
            if lesson.slug == slug:
                return index
        return None


@dataclass(frozen=True)
class Catalogue:
    locale: str
    modules: tuple[ModuleView, ...]
    by_slug: dict[str, ModuleView]
    glossary: tuple[GlossaryEntry, ...] = ()
    #: a renamed module's former identifiers, and its identifier now
    moved: dict[str, str] = field(default_factory=dict)

    @property
    def lessons(self) -> list[LessonItem]:
        """Every lesson in catalogue order."""
        return [lesson for module in self.modules for lesson in module.lessons]

    def module_by_id(self, module_id: int) -> ModuleView | None:
        return next((m for m in self.modules if m.id == module_id), None)


def get_catalogue(locale: str) -> Catalogue:
    """The catalogue in ``locale`` as of the current content version."""
    return cached(("catalogue", locale), lambda: _build(locale))


def module_or_404(catalogue: Catalogue, slug: str) -> ModuleView:
    """The module a page's address names; under a name it had before being renamed, the
    same page under its name now (a permanent redirect); 404 otherwise."""
    module = catalogue.by_slug.get(slug)
    if module is not None:
        return module
    if slug not in catalogue.moved or request.endpoint is None:
        abort(404)
    values = {**request.args.to_dict(), **(request.view_args or {}), "slug": catalogue.moved[slug]}
    abort(redirect(url_for(request.endpoint, **values), 301 if request.method == "GET" else 308))


def lesson_body(catalogue: Catalogue, lesson: LessonItem) -> LessonBody:
    """The lesson's HTML in the catalogue's language, with the first use of each of its
    module's glossary terms linked to the glossary."""

    def build() -> LessonBody:
        title, html = db.session.execute(
            select(LessonTranslation.title, LessonTranslation.html).where(
                LessonTranslation.lesson_id == lesson.id,
                LessonTranslation.locale == catalogue.locale,
            )
        ).one()
        page = url_for("learn.glossary")
        entries = [entry for entry in catalogue.glossary if lesson.module_slug in entry.modules]
        terms = [(entry.term, f"{page}#term-{entry.id}") for entry in entries]
        definitions = {f"{page}#term-{entry.id}": entry.definition for entry in entries}
        more = gettext("In the glossary")
        return LessonBody(lesson.id, title, link_terms(html, terms, definitions, more))

    return cached(("lesson-body", lesson.id, catalogue.locale), build)


def _english(term: GlossaryTerm, locale: str) -> str:
    english = term.translations["en"].term
    return "" if english.casefold() == term.translations[locale].term.casefold() else english


def _build(locale: str) -> Catalogue:
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
        if module.retired or module.id not in lessons:  # nothing for learners to read
            continue
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
                prerequisites=tuple(
                    p.slug for p in module.prerequisites if not p.retired and p.id in lessons
                ),
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
                _english(term, locale),
            )
            for term in db.session.scalars(
                select(GlossaryTerm).where(GlossaryTerm.retired.is_(False))
            )
        ),
        key=lambda entry: sort_key(entry.term),
    )
    by_slug = {view.slug: view for view in views}
    moved = {
        former: slugs[module_id]
        for former, module_id in db.session.execute(select(FormerSlug.slug, FormerSlug.module_id))
        if slugs[module_id] in by_slug
    }
    return Catalogue(locale, tuple(views), by_slug, tuple(glossary), moved)
