"""What search matches and how it shows it, as plain functions over text: the words of a
text without case or diacritics (what the index holds and a query looks for), a lesson's
HTML as plain text, the sentence that answers a query best with its words marked, and
the order of the results, the words typed with their marks first. Pure: no Flask, no
database.

A text matches a query when it holds every word of the query, folded ("chuyen doi so"
finds "chuyển đổi số"). In English a query word of three letters or more also finds the
words it begins ("customer" finds "customers"); Vietnamese words are syllables, and
there a word finds only itself ("hoa" finds "hóa" and "hoa", not "hoạch").
"""

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TypeVar

from app.text import fold

#: a word: letters and digits (an underscore, an apostrophe or a hyphen separates two)
WORD = re.compile(r"[^\W_]+")
#: a query needs one word this long at least
MIN_LENGTH = 2
#: the languages in which a query word this long also finds the words it begins
PREFIX_LENGTH = {"en": 3}
#: how long a snippet is, about, in characters
SNIPPET_LENGTH = 220
ELLIPSIS = "…"

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def words(text: str) -> list[str]:
    """The words of ``text`` without case or diacritics: "Đổi MỚI, số-hóa" -> ["doi",
    "moi", "so", "hoa"]."""
    return WORD.findall(fold(unicodedata.normalize("NFC", text)))


def index_text(text: str) -> str:
    """What the index holds of a text: its folded words, one space between two. Both
    databases split this into the same words, whatever their own rules."""
    return " ".join(words(text))


def _exact_words(text: str) -> list[str]:
    """The words of ``text`` as written, but for case."""
    return WORD.findall(unicodedata.normalize("NFC", text).casefold())


@dataclass(frozen=True)
class Query:
    """A query as typed, and the words it looks for."""

    text: str
    #: its words folded, in the order typed
    words: tuple[str, ...]
    #: its words as typed but for case, in the order typed
    typed: tuple[str, ...]
    #: a word this long finds the words it begins too (None: only itself)
    prefix_length: int | None = None

    @property
    def terms(self) -> tuple[str, ...]:
        """Its words folded, each once: a text matches when it holds every one."""
        return tuple(dict.fromkeys(self.words))

    @property
    def marked(self) -> tuple[str, ...]:
        """The words typed with their marks, each once: texts holding them as typed rank
        first."""
        return tuple(word for word in dict.fromkeys(self.typed) if fold(word) != word)

    @property
    def usable(self) -> bool:
        """Whether it has a word long enough to look for."""
        return any(len(term) >= MIN_LENGTH for term in self.words)

    def is_prefix(self, term: str) -> bool:
        """Whether the word ``term`` also finds the words it begins."""
        return self.prefix_length is not None and len(term) >= self.prefix_length

    def finds(self, term: str, word: str) -> bool:
        """Whether the query's word ``term`` finds ``word`` (both folded, or both as
        typed)."""
        return word == term or (self.is_prefix(term) and word.startswith(term))

    def count(self, terms: Sequence[str], found: Sequence[str]) -> int:
        """How many of ``terms`` find a word of ``found``."""
        present = set(found)
        return sum(
            term in present
            or (self.is_prefix(term) and any(word.startswith(term) for word in present))
            for term in terms
        )

    def together(self, terms: Sequence[str], found: Sequence[str]) -> bool:
        """Whether ``terms`` find words of ``found`` that follow one another, in order."""
        if not terms:
            return False
        first, rest = terms[0], terms[1:]
        for start in range(len(found) - len(rest)):
            if self.finds(first, found[start]) and all(
                self.finds(term, found[start + 1 + n]) for n, term in enumerate(rest)
            ):
                return True
        return False


def parse_query(text: str, language: str) -> Query:
    """The query typed in the search box (trimmed and cut by the caller), to look for in
    the texts of ``language``."""
    return Query(text, tuple(words(text)), tuple(_exact_words(text)), PREFIX_LENGTH.get(language))


def matches(query: Query, text: str) -> bool:
    """Whether ``text`` holds every word of the query (the rule the index applies)."""
    return query.count(query.terms, words(text)) == len(query.terms)


def _together(query: Query, exact: Sequence[str], folded: Sequence[str]) -> int:
    """Whether words of a text (``exact``: as written but for case; ``folded``) hold the
    query's words one after another: as typed (2), once folded (1), or not (0)."""
    if query.together(query.typed, exact):
        return 2
    return int(query.together(query.words, folded))


# -- a lesson's text ------------------------------------------------------------------------

# Elements whose end ends a sentence of the plain text, and those left out: a footnote's
# number and its link back are no words of the lesson.
_BLOCKS = {
    "address", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "section",
    "table", "tr", "ul",
}  # fmt: skip
_CELLS = {"td", "th"}
_SKIPPED = {"sup", "script", "style"}
_VOID = {"area", "br", "col", "hr", "img", "input", "source", "wbr"}


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[list[str]] = [[]]
        self.skipping = 0  # how deep inside an element left out

    def _written(self) -> bool:
        return any(part.strip() for part in self.lines[-1])

    def _break(self) -> None:
        if self._written():
            self.lines.append([])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.skipping or tag in _SKIPPED or "footnote-backref" in classes:
            self.skipping += tag not in _VOID
        elif tag in _BLOCKS:
            self._break()
        elif tag in _CELLS and self._written():
            self.lines[-1].append(" · ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skipping and tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= 1
        elif tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.lines[-1].append(data)


def plain_text(html: str) -> str:
    """The text of sanitised lesson HTML, one line per paragraph, list item, heading or
    table row (a row's cells separated by " · "), without the footnotes' numbers."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    lines = (" ".join("".join(parts).split()) for parts in parser.lines)
    return "\n".join(line for line in lines if line)


# -- snippets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A run of text, and whether it is a word the query found (shown marked)."""

    text: str
    marked: bool = False


def _found(query: Query, token: str) -> bool:
    return any(query.finds(term, word) for word in words(token) for term in query.terms)


def mark(text: str, query: Query) -> tuple[Piece, ...]:
    """``text`` in pieces, the words the query finds marked (a run of them together);
    joined, the pieces are ``text``."""
    pieces: list[Piece] = []
    position = 0
    for token in WORD.finditer(text):
        if not _found(query, token.group()):
            continue
        between = text[position : token.start()]
        if pieces and pieces[-1].marked and not between.strip():
            # "khách hàng" is one marked run, not two
            pieces[-1] = Piece(pieces[-1].text + between + token.group(), marked=True)
        else:
            if between:
                pieces.append(Piece(between))
            pieces.append(Piece(token.group(), marked=True))
        position = token.end()
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return tuple(pieces)


def sentences(text: str) -> list[str]:
    """The sentences of a plain text: split after ".", "!", "?" or "…" and at line ends."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def _sentence_score(query: Query, sentence: str) -> tuple[int, int, int]:
    exact, folded = _exact_words(sentence), words(sentence)
    return (
        query.count(query.terms, folded),
        _together(query, exact, folded),
        query.count(query.marked, exact),
    )


def _cut(sentence: str, query: Query, length: int) -> str:
    """About ``length`` characters of the sentence, from a little before its first word
    the query finds, cut between words."""
    if len(sentence) <= length:
        return sentence
    first = next((t.start() for t in WORD.finditer(sentence) if _found(query, t.group())), 0)
    start = max(0, first - length // 4)
    if start:
        space = sentence.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = start + length
    if end < len(sentence):
        space = sentence.rfind(" ", start, end)
        end = space if space > first else end
    return (
        (ELLIPSIS if start else "")
        + sentence[start:end]
        + (ELLIPSIS if end < len(sentence) else "")
    )


def snippet(text: str, query: Query, length: int = SNIPPET_LENGTH) -> tuple[Piece, ...]:
    """The sentence of ``text`` that answers the query best (most of its words, then its
    words together, then most of them as typed, then the first), about ``length``
    characters of it around the first word found, with the words found marked; the
    text's first sentence, unmarked, when none holds a word of the query."""
    found = sentences(unicodedata.normalize("NFC", text))
    if not found:
        return ()
    best = max(found, key=lambda sentence: _sentence_score(query, sentence))
    if _sentence_score(query, best)[0] == 0:
        return (Piece(_cut(found[0], query, length)),)
    return mark(_cut(best, query, length), query)


# -- ranking ----------------------------------------------------------------------------------

T = TypeVar("T")


def relevance(
    query: Query, title: str, text: str, folded: tuple[str, str] | None = None
) -> tuple[int, int, int]:
    """How well a document that matches the query answers it, higher first: how many of
    the words typed with their marks it holds as typed; whether it holds the words one
    after another, in its title or its text (as typed, or once folded); how many of them
    its title holds. ``folded``: the title's and the text's index_text, if known."""
    exact_title, exact_text = _exact_words(title), _exact_words(text)
    folded_title, folded_text = folded or (index_text(title), index_text(text))
    title_words, text_words = folded_title.split(), folded_text.split()
    return (
        query.count(query.marked, exact_title + exact_text),
        max(
            _together(query, exact_title, title_words),
            _together(query, exact_text, text_words),
        ),
        query.count(query.terms, title_words),
    )


def rank(
    query: Query, documents: Sequence[T], texts: Callable[[T], tuple[str, str, str, str]]
) -> list[T]:
    """The documents, each matching the query and given in the database's order of
    relevance, in the order to show them (by ``relevance``, the database's order
    otherwise). ``texts`` gives a document's title and text, and their index_text."""

    def key(document: T) -> tuple[int, int, int]:
        title, text, folded_title, folded_text = texts(document)
        return relevance(query, title, text, (folded_title, folded_text))

    return sorted(documents, key=key, reverse=True)
