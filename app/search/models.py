"""What search finds: one row per lesson, module or glossary term and language that
learners can read (``search_entries``), and beside it the full-text index of its folded
words, which each database builds in its own way and keeps in step by triggers:

- SQLite: ``search_index``, an FTS5 table (rowid = the entry's id);
- PostgreSQL: ``search_index``, a table of one ``tsvector`` per entry under a GIN index,
  in the text search configuration ``dxa_search``: the ``simple`` one (no stemming, for
  Vietnamese and English alike) with ``unaccent`` before it.

The index is not a model: ``create_all`` builds it after the table (the tests), and
migration 0028 does the same; ``migrations/env.py`` leaves it out when comparing the
models with the database. The text it indexes is folded already (app.search.matching),
so both databases find the same words; FTS5's ``remove_diacritics`` and ``unaccent``
only repeat that rule.
"""

from sqlalchemy import CheckConstraint, Connection, ForeignKey, Index, String, Text, event, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

KINDS = ("lesson", "module", "term")
INDEX_TABLE = "search_index"


class SearchEntry(db.Model):
    """A lesson, a module or a glossary term in one language, as search shows it (the
    title and the text) and as the index holds it (the same, folded)."""

    __tablename__ = "search_entries"
    __table_args__ = (
        CheckConstraint(f"kind IN {KINDS}", name="kind"),
        # a lesson's entry names its lesson and module; a module's, its module; a term's,
        # its term alone
        CheckConstraint(
            "(kind = 'lesson' AND lesson_id IS NOT NULL AND module_id IS NOT NULL"
            " AND term_id IS NULL)"
            " OR (kind = 'module' AND lesson_id IS NULL AND module_id IS NOT NULL"
            " AND term_id IS NULL)"
            " OR (kind = 'term' AND lesson_id IS NULL AND module_id IS NULL"
            " AND term_id IS NOT NULL)",
            name="target",
        ),
        db.UniqueConstraint("lesson_id", "locale"),
        db.UniqueConstraint("term_id", "locale"),
        Index(
            "uq_search_entries_module",
            "module_id",
            "locale",
            unique=True,
            sqlite_where=text("kind = 'module'"),
            postgresql_where=text("kind = 'module'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "lesson", "module" or "term"
    kind: Mapped[str] = mapped_column(String(10))
    locale: Mapped[str] = mapped_column(String(5))
    #: the module, or the lesson's module: an entry goes when its module, lesson or term
    #: does
    module_id: Mapped[int | None] = mapped_column(
        ForeignKey("modules.id", ondelete="CASCADE"), index=True
    )
    lesson_id: Mapped[int | None] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    term_id: Mapped[int | None] = mapped_column(ForeignKey("glossary_terms.id", ondelete="CASCADE"))
    #: shown: the title, and the text as plain text, one line per paragraph
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    #: indexed: their words without case or diacritics (app.search.matching.index_text)
    folded_title: Mapped[str] = mapped_column(Text)
    folded_body: Mapped[str] = mapped_column(Text)


# The full-text index, as each database builds it. Migration 0028 runs the same statements.
SQLITE_INDEX = (
    "CREATE VIRTUAL TABLE search_index USING fts5(folded_title, folded_body,"
    " tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN"
    " INSERT INTO search_index (rowid, folded_title, folded_body)"
    " VALUES (new.id, new.folded_title, new.folded_body); END",
    "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN"
    " UPDATE search_index SET folded_title = new.folded_title,"
    " folded_body = new.folded_body WHERE rowid = old.id; END",
    "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN"
    " DELETE FROM search_index WHERE rowid = old.id; END",
)
POSTGRESQL_INDEX = (
    "CREATE TEXT SEARCH CONFIGURATION dxa_search (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION dxa_search ALTER MAPPING FOR asciiword, word, numword,"
    " asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart"
    " WITH {unaccent}, simple",
    "CREATE TABLE search_index (entry_id integer PRIMARY KEY REFERENCES search_entries (id)"
    " ON DELETE CASCADE, document tsvector NOT NULL)",
    "CREATE INDEX ix_search_index_document ON search_index USING gin (document)",
    "CREATE FUNCTION search_index_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " INSERT INTO search_index (entry_id, document) VALUES (NEW.id,"
    " setweight(to_tsvector('dxa_search', NEW.folded_title), 'A')"
    " || setweight(to_tsvector('dxa_search', NEW.folded_body), 'B'))"
    " ON CONFLICT (entry_id) DO UPDATE SET document = EXCLUDED.document;"
    " RETURN NULL; END $$",
    "CREATE TRIGGER search_entries_index AFTER INSERT OR UPDATE ON search_entries"
    " FOR EACH ROW EXECUTE FUNCTION search_index_write()",
)
DROP_INDEX = {
    "sqlite": (f"DROP TABLE IF EXISTS {INDEX_TABLE}",),
    "postgresql": (
        f"DROP TABLE IF EXISTS {INDEX_TABLE}",
        "DROP TRIGGER IF EXISTS search_entries_index ON search_entries",
        "DROP FUNCTION IF EXISTS search_index_write()",
        "DROP TEXT SEARCH CONFIGURATION IF EXISTS dxa_search",
    ),
}


def unaccent_dictionary(connection: Connection) -> str:
    """The ``unaccent`` dictionary by its schema's name, the extension created if it is
    missing: it may live in a schema outside the search path."""
    connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema = connection.exec_driver_sql(
        "SELECT quote_ident(nspname) FROM pg_ts_dict JOIN pg_namespace"
        " ON pg_namespace.oid = dictnamespace WHERE dictname = 'unaccent'"
    ).scalar_one()
    return f"{schema}.unaccent"


def create_index(connection: Connection) -> None:
    """Build the full-text index beside ``search_entries`` (which exists, empty)."""
    if connection.dialect.name == "sqlite":
        statements: tuple[str, ...] = SQLITE_INDEX
    else:
        unaccent = unaccent_dictionary(connection)
        statements = tuple(s.replace("{unaccent}", unaccent) for s in POSTGRESQL_INDEX)
    for statement in statements:
        connection.exec_driver_sql(statement)


def drop_index(connection: Connection) -> None:
    for statement in DROP_INDEX[connection.dialect.name]:
        connection.exec_driver_sql(statement)


def is_index(name: str | None, type_: str, _parents: object = None) -> bool:
    """Whether a database object is (part of) the full-text index, which is no model."""
    return type_ == "table" and name is not None and name.startswith(INDEX_TABLE)


event.listen(
    SearchEntry.__table__, "after_create", lambda _t, connection, **_kw: create_index(connection)
)
event.listen(
    SearchEntry.__table__, "before_drop", lambda _t, connection, **_kw: drop_index(connection)
)
