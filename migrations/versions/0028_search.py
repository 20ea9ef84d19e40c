"""search: an entry per lesson, module and glossary term and language that learners can
read, and its full-text index (FTS5 on SQLite; on PostgreSQL a tsvector under a GIN
index, in a copy of the simple configuration with unaccent, whose extension is created)

Revision ID: 0028_search
Revises: 0027_certificates
Create Date: 2026-12-12 09:00:00

Filled here from the published course, by the rules of app.search (a lesson's HTML as
plain text, words folded), repeated so that the migration does not change if they do.
"""

import json
import re
import unicodedata
from html.parser import HTMLParser

import sqlalchemy as sa
from alembic import op

revision = "0028_search"
down_revision = "0027_certificates"
branch_labels = None
depends_on = None

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


def upgrade():
    op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=True),
        sa.Column("lesson_id", sa.Integer(), nullable=True),
        sa.Column("term_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("folded_title", sa.Text(), nullable=False),
        sa.Column("folded_body", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('lesson', 'module', 'term')", name=op.f("ck_search_entries_kind")
        ),
        sa.CheckConstraint(
            "(kind = 'lesson' AND lesson_id IS NOT NULL AND module_id IS NOT NULL"
            " AND term_id IS NULL)"
            " OR (kind = 'module' AND lesson_id IS NULL AND module_id IS NOT NULL"
            " AND term_id IS NULL)"
            " OR (kind = 'term' AND lesson_id IS NULL AND module_id IS NULL"
            " AND term_id IS NOT NULL)",
            name=op.f("ck_search_entries_target"),
        ),
        sa.ForeignKeyConstraint(
            ["lesson_id"], ["lessons.id"],
            name=op.f("fk_search_entries_lesson_id_lessons"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"],
            name=op.f("fk_search_entries_module_id_modules"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["term_id"], ["glossary_terms.id"],
            name=op.f("fk_search_entries_term_id_glossary_terms"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entries")),
        sa.UniqueConstraint(
            "lesson_id", "locale", name=op.f("uq_search_entries_lesson_id_locale")
        ),
        sa.UniqueConstraint("term_id", "locale", name=op.f("uq_search_entries_term_id_locale")),
    )
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_entries_module_id"), ["module_id"], unique=False
        )
        batch_op.create_index(
            "uq_search_entries_module",
            ["module_id", "locale"],
            unique=True,
            sqlite_where=sa.text("kind = 'module'"),
            postgresql_where=sa.text("kind = 'module'"),
        )
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        statements = SQLITE_INDEX
    else:
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
        schema = connection.exec_driver_sql(
            "SELECT quote_ident(nspname) FROM pg_ts_dict JOIN pg_namespace"
            " ON pg_namespace.oid = dictnamespace WHERE dictname = 'unaccent'"
        ).scalar_one()
        statements = tuple(
            statement.replace("{unaccent}", f"{schema}.unaccent") for statement in POSTGRESQL_INDEX
        )
    for statement in statements:
        connection.exec_driver_sql(statement)
    fill(connection)


def downgrade():
    connection = op.get_bind()
    connection.exec_driver_sql("DROP TABLE IF EXISTS search_index")
    if connection.dialect.name != "sqlite":
        connection.exec_driver_sql(
            "DROP TRIGGER IF EXISTS search_entries_index ON search_entries"
        )
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS search_index_write()")
        connection.exec_driver_sql("DROP TEXT SEARCH CONFIGURATION IF EXISTS dxa_search")
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.drop_index("uq_search_entries_module")
        batch_op.drop_index(batch_op.f("ix_search_entries_module_id"))
    op.drop_table("search_entries")


# -- the rules of app.search, as they were ---------------------------------------------------

WORD = re.compile(r"[^\W_]+")


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def index_text(text):
    return " ".join(WORD.findall(fold(unicodedata.normalize("NFC", text))))


BLOCKS = {
    "address", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "section",
    "table", "tr", "ul",
}  # fmt: skip
CELLS = {"td", "th"}
SKIPPED = {"sup", "script", "style"}
VOID = {"area", "br", "col", "hr", "img", "input", "source", "wbr"}


class TextOf(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = [[]]
        self.skipping = 0

    def written(self):
        return any(part.strip() for part in self.lines[-1])

    def line_break(self):
        if self.written():
            self.lines.append([])

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.skipping or tag in SKIPPED or "footnote-backref" in classes:
            self.skipping += tag not in VOID
        elif tag in BLOCKS:
            self.line_break()
        elif tag in CELLS and self.written():
            self.lines[-1].append(" · ")

    def handle_startendtag(self, tag, attrs):
        if not self.skipping and tag in BLOCKS:
            self.line_break()

    def handle_endtag(self, tag):
        if self.skipping:
            self.skipping -= 1
        elif tag in BLOCKS:
            self.line_break()

    def handle_data(self, data):
        if not self.skipping:
            self.lines[-1].append(data)


def plain_text(html):
    parser = TextOf()
    parser.feed(html)
    parser.close()
    lines = (" ".join("".join(parts).split()) for parts in parser.lines)
    return "\n".join(line for line in lines if line)


def fill(connection):
    entries = sa.table(
        "search_entries", *(sa.column(name) for name in (
            "kind", "locale", "module_id", "lesson_id", "term_id", "title", "body",
            "folded_title", "folded_body",
        ))
    )  # fmt: skip
    rows = []

    def add(kind, locale, title, body, module_id=None, lesson_id=None, term_id=None):
        rows.append({"kind": kind, "locale": locale, "module_id": module_id,
                     "lesson_id": lesson_id, "term_id": term_id, "title": title, "body": body,
                     "folded_title": index_text(title), "folded_body": index_text(body)})  # fmt: skip

    lessons = connection.execute(sa.text(
        "SELECT lessons.module_id, lessons.id, t.locale, t.title, t.html"
        " FROM lesson_translations AS t JOIN lessons ON lessons.id = t.lesson_id"
        " JOIN modules ON modules.id = lessons.module_id WHERE modules.retired_at IS NULL"
        " ORDER BY lessons.module_id, lessons.position, t.locale"
    )).all()  # fmt: skip
    readable = set()
    for module_id, lesson_id, locale, title, html in lessons:
        add("lesson", locale, title, plain_text(html), module_id=module_id, lesson_id=lesson_id)
        readable.add((module_id, locale))
    texts = {
        (module_id, locale): (title, summary, outcomes)
        for module_id, locale, title, summary, outcomes in connection.execute(sa.text(
            "SELECT module_id, locale, title, summary, outcomes FROM module_translations"
        ))
    }  # fmt: skip
    for module_id, locale in sorted(readable):
        title, summary, outcomes = texts.get((module_id, locale)) or texts[(module_id, "vi")]
        if isinstance(outcomes, str):  # JSON, as SQLite returns it
            outcomes = json.loads(outcomes)
        add("module", locale, title, "\n".join([summary, *outcomes]), module_id=module_id)
    for term_id, locale, term, definition in connection.execute(sa.text(
        "SELECT t.term_id, t.locale, t.term, t.definition FROM glossary_translations AS t"
        " JOIN glossary_terms ON glossary_terms.id = t.term_id"
        " WHERE NOT glossary_terms.retired ORDER BY t.term_id, t.locale"
    )):  # fmt: skip
        add("term", locale, term, definition, term_id=term_id)
    if rows:
        connection.execute(entries.insert(), rows)
