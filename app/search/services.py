"""Search over what learners can read: keeping the entries current (the course import and
the studio call ``index_module``, ``index_term`` or ``index_everything`` in the
transaction that changes the content), and answering a query in the reader's language.
Services flush; the caller commits.

The database finds the entries holding every word of the query, folded, and orders them
by its own rank (FTS5's bm25, PostgreSQL's ts_rank, the title weighing more); the best
CANDIDATES of them are ordered again by app.search.matching.rank, which puts the words
typed with their marks first, and the first MAX_RESULTS shown.
"""

from dataclasses import dataclass

from sqlalchemy import Row, Select, column, delete, func, literal_column, select, table
from sqlalchemy.orm import aliased, selectinload

from app.content.models import GlossaryTerm, Lesson, Module, ModuleTranslation
from app.extensions import db
from app.languages import LANGUAGES
from app.search.matching import Piece, Query, index_text, mark, plain_text, rank, snippet
from app.search.models import INDEX_TABLE, SearchEntry

MAX_RESULTS = 20
CANDIDATES = 200


# -- keeping the entries current -------------------------------------------------------------


def _entry(kind: str, locale: str, title: str, body: str, **target: int) -> SearchEntry:
    return SearchEntry(kind=kind, locale=locale, title=title, body=body,
                       folded_title=index_text(title), folded_body=index_text(body),
                       **target)  # fmt: skip


def _module_entries(module: Module) -> list[SearchEntry]:
    """What learners can read of the module: each lesson published in a language, and
    the module itself in each language that has one; nothing of a retired module."""
    if module.retired:
        return []
    entries = []
    for lesson in module.lessons:
        for locale, text in lesson.translations.items():
            entries.append(_entry("lesson", locale, text.title, plain_text(text.html),
                                  module_id=module.id, lesson_id=lesson.id))  # fmt: skip
    for locale in LANGUAGES:
        if any(entry.locale == locale for entry in entries):
            text = module.text(locale)
            body = "\n".join([text.summary, *text.outcomes])
            entries.append(_entry("module", locale, text.title, body, module_id=module.id))
    return entries


def _term_entries(term: GlossaryTerm) -> list[SearchEntry]:
    if term.retired:
        return []
    return [
        _entry("term", locale, text.term, text.definition, term_id=term.id)
        for locale, text in term.translations.items()
    ]


def index_module(module: Module) -> None:
    """Index the module and its lessons again, as learners now read them: after a lesson
    is published, or the module is edited, retired or brought back."""
    db.session.flush()  # the module and its lessons have their ids and texts
    db.session.execute(delete(SearchEntry).where(SearchEntry.module_id == module.id))
    db.session.add_all(_module_entries(module))
    db.session.flush()


def index_term(term: GlossaryTerm) -> None:
    """Index the glossary term again, after it is created, edited or retired."""
    db.session.flush()
    db.session.execute(delete(SearchEntry).where(SearchEntry.term_id == term.id))
    db.session.add_all(_term_entries(term))
    db.session.flush()


def index_everything() -> int:
    """Index the whole course again (after an import that changed it, or
    ``flask search reindex``); how many entries there are."""
    db.session.flush()
    db.session.execute(delete(SearchEntry))
    modules = db.session.scalars(
        select(Module).options(
            selectinload(Module.translations),
            selectinload(Module.lessons).selectinload(Lesson.translations),
        )
    )
    entries = [entry for module in modules for entry in _module_entries(module)]
    terms = select(GlossaryTerm).options(selectinload(GlossaryTerm.translations))
    for term in db.session.scalars(terms):
        entries += _term_entries(term)
    db.session.add_all(entries)
    db.session.flush()
    return len(entries)


# -- answering a query -----------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """One thing found: what it is, where it is, its title and the sentence that matches,
    in pieces (the words found marked)."""

    kind: str
    title: tuple[Piece, ...]
    snippet: tuple[Piece, ...]
    module_slug: str | None
    lesson_slug: str | None
    term_slug: str | None
    #: a lesson's module, by its title
    module_title: str | None


@dataclass(frozen=True)
class Results:
    #: how many entries match, of which ``shown`` are the best
    total: int
    shown: tuple[Result, ...]


_sqlite_index = table(INDEX_TABLE, column("rowid"))
_postgresql_index = table(INDEX_TABLE, column("entry_id"), column("document"))


def _matching(query: Query, locale: str) -> Select[tuple[int, float]]:
    """The entries in ``locale`` holding every word of the query, with the database's
    rank (lower first), as (entry id, rank)."""
    # A term is letters and digits only (matching.WORD): quoted, it is a word to look for
    # in either database's query language, never an operator.
    if db.session.get_bind().dialect.name == "sqlite":
        match = " ".join(f'"{t}"' + ("*" if query.is_prefix(t) else "") for t in query.terms)
        score = func.bm25(literal_column(INDEX_TABLE), 4.0, 1.0)
        return (
            select(SearchEntry.id, score.label("rank"))
            .join(_sqlite_index, _sqlite_index.c.rowid == SearchEntry.id)
            .where(literal_column(INDEX_TABLE).op("MATCH")(match), SearchEntry.locale == locale)
        )
    terms = " & ".join(f"'{t}'" + (":*" if query.is_prefix(t) else "") for t in query.terms)
    tsquery = func.to_tsquery(literal_column("'dxa_search'"), terms)
    document = _postgresql_index.c.document
    return (
        select(SearchEntry.id, (-func.ts_rank(document, tsquery)).label("rank"))
        .join(_postgresql_index, _postgresql_index.c.entry_id == SearchEntry.id)
        .where(document.op("@@")(tsquery), SearchEntry.locale == locale)
    )


def _texts(
    row: Row[tuple[SearchEntry, str | None, str | None, str | None, str | None]],
) -> tuple[str, str, str, str]:
    entry = row[0]
    return entry.title, entry.body, entry.folded_title, entry.folded_body


def search(query: Query, locale: str) -> Results:
    """The entries in ``locale`` that match ``query`` (usable), the best first."""
    matching = _matching(query, locale).subquery()
    total = db.session.scalar(select(func.count()).select_from(matching)) or 0
    if not total:
        return Results(0, ())
    module_text = aliased(ModuleTranslation)
    rows = db.session.execute(
        select(SearchEntry, Module.slug, Lesson.slug, GlossaryTerm.slug, module_text.title)
        .join(matching, matching.c.id == SearchEntry.id)
        .outerjoin(Module, Module.id == SearchEntry.module_id)
        .outerjoin(Lesson, Lesson.id == SearchEntry.lesson_id)
        .outerjoin(GlossaryTerm, GlossaryTerm.id == SearchEntry.term_id)
        .outerjoin(
            module_text,
            (module_text.module_id == SearchEntry.module_id) & (module_text.locale == locale),
        )
        .order_by(matching.c.rank, SearchEntry.id)
        .limit(CANDIDATES)
    ).all()
    best = rank(query, rows, _texts)[:MAX_RESULTS]
    return Results(
        total,
        tuple(
            Result(
                kind=entry.kind,
                title=mark(entry.title, query),
                snippet=snippet(entry.body, query),
                module_slug=module_slug,
                lesson_slug=lesson_slug,
                term_slug=term_slug,
                module_title=module_title if entry.kind == "lesson" else None,
            )
            for entry, module_slug, lesson_slug, term_slug, module_title in best
        ),
    )
