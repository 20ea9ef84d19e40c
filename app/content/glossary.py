"""The bilingual glossary: reading and writing courses/glossary.toml, and linking the
first use of each term in a lesson to its entry. Pure: no Flask, no database."""

import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import tomli_w

from app.content.files import Problem, read_content_text

LANGUAGES = ("vi", "en")
TERM_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Text inside these elements is never linked: links, code, and headings.
SKIP_TAGS = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "sup"}


@dataclass(frozen=True)
class Term:
    id: str
    modules: tuple[str, ...]
    term: dict[str, str]  # language -> the term as lessons write it
    definition: dict[str, str]  # language -> one sentence


def parse(text: str) -> tuple[list[Term], list[tuple[int, str]]]:
    """The terms of a glossary file and its problems as (line, message)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = re.search(r"line (\d+)", str(err))
        return [], [(int(found.group(1)) if found else 1, f"TOML syntax error: {err}")]
    terms, problems = [], []
    lines = _term_lines(text)
    for index, entry in enumerate(data.get("terms", [])):
        line = lines[index] if index < len(lines) else 1
        term_id = entry.get("id", "")
        if not isinstance(term_id, str) or not TERM_ID.match(term_id):
            problems.append((line, "each term needs an id of a-z, 0-9 and hyphens"))
            continue
        modules = entry.get("modules", [])
        if not isinstance(modules, list) or not all(isinstance(m, str) for m in modules):
            problems.append((line, f"term '{term_id}': modules must be a list of slugs"))
            continue
        texts: dict[str, dict[str, str]] = {"term": {}, "definition": {}}
        for lang in LANGUAGES:
            table = entry.get(lang) or {}
            for key in texts:
                value = table.get(key)
                if isinstance(value, str) and value.strip():
                    texts[key][lang] = value
                else:
                    problems.append((line, f"term '{term_id}': missing {key} in [{lang}]"))
        if len(texts["term"]) == len(texts["definition"]) == len(LANGUAGES):
            terms.append(Term(term_id, tuple(modules), texts["term"], texts["definition"]))
    return terms, problems


def _term_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[terms]]"]


def check(terms: list[Term], text: str, module_slugs: set[str]) -> list[tuple[int, str]]:
    """Rules across the glossary: unique ids in order, known modules, NFC text."""
    problems = []
    lines = _term_lines(text)
    seen: set[str] = set()
    for index, term in enumerate(terms):
        line = lines[index] if index < len(lines) else 1
        if term.id in seen:
            problems.append((line, f"term id '{term.id}' is used twice"))
        seen.add(term.id)
        for slug in term.modules:
            if slug not in module_slugs:
                problems.append((line, f"term '{term.id}': unknown module '{slug}'"))
        if not term.modules:
            problems.append((line, f"term '{term.id}': list the modules that use it"))
    ids = [term.id for term in terms]
    if ids != sorted(ids):
        problems.append((1, "terms must be in alphabetical order of their id"))
    if not unicodedata.is_normalized("NFC", text):
        problems.append((1, "text is not in Unicode NFC form (diacritics decomposed)"))
    return problems


def dump(terms: list[Term]) -> str:
    """The canonical text of glossary.toml."""
    return tomli_w.dumps(
        {
            "terms": [
                {
                    "id": term.id,
                    "modules": list(term.modules),
                    **{
                        lang: {"term": term.term[lang], "definition": term.definition[lang]}
                        for lang in LANGUAGES
                    },
                }
                for term in terms
            ]
        }
    )


# Vietnamese alphabetical order: a ă â b c d đ e ê ... o ô ơ ... u ư; tone marks count
# only between words that are otherwise equal.
_LETTER_MARKS = {"\u0306": "1", "\u0302": "2", "\u031b": "3"}  # breve, circumflex, horn
_TONE_MARKS = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


def sort_key(text: str) -> tuple[str, str]:
    """Vietnamese dictionary order, ignoring case: "dữ liệu" before "Đơn hàng"."""
    letters: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in _LETTER_MARKS and letters:
            letters[-1] = letters[-1][0] + _LETTER_MARKS[char]
        elif char in _TONE_MARKS:
            tones.append(_TONE_MARKS[char])
        elif char == "đ":
            letters.append("d1")
        else:
            letters.append(char + "0")
            tones.append("0")
    return "".join(letters), "".join(tones)


def fold(text: str) -> str:
    """Text without case or diacritics, for searching: "Đơn HÀNG" -> "don hang"."""
    folded = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(c for c in folded if not unicodedata.combining(c))


class _Linker(HTMLParser):
    def __init__(
        self, patterns: list[tuple[re.Pattern[str], str]], explain: Callable[[str, str], str]
    ):
        super().__init__(convert_charrefs=False)
        self.patterns = patterns
        self.explain = explain
        self.out: list[str] = []
        self.skipping: list[str] = []

    def _start_tag_text(self) -> str:
        # The parser records the tag's text before calling either start-tag handler.
        text = self.get_starttag_text()
        if text is None:
            raise RuntimeError("no start tag has been parsed yet")
        return text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_TAGS:
            self.skipping.append(tag)
        self.out.append(self._start_tag_text())

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self._start_tag_text())

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.skipping or not self.patterns:
            self.out.append(data)
            return
        self.out.append(self._link(data))

    def _link(self, data: str) -> str:
        pieces: list[str] = []
        position = 0
        while self.patterns:
            earliest: tuple[re.Match[str], str, int] | None = None
            for index, (pattern, href) in enumerate(self.patterns):
                match = pattern.search(data, position)
                if match and (earliest is None or match.start() < earliest[0].start()):
                    earliest = (match, href, index)
            if earliest is None:
                break
            match, href, index = earliest
            pieces.append(data[position : match.start()])
            pieces.append(self.explain(match.group(0), href))
            position = match.end()
            del self.patterns[index]  # only the first use of each term
        pieces.append(data[position:])
        return "".join(pieces)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")


def link_terms(
    html: str,
    terms: list[tuple[str, str]],
    definitions: dict[str, str] | None = None,
    more: str = "Glossary",
) -> str:
    """Link the first use of each (term, href) in the text of ``html``, outside links,
    code and headings. Longer terms win over terms they contain; matching ignores case
    and respects word boundaries.

    A term whose href has a definition in ``definitions`` is explained where it stands:
    the word opens a popover (HTML's own, no script) with the definition and a link,
    labelled ``more``, to the glossary. Where popovers are not supported the definition
    simply follows the word."""
    ordered = sorted(terms, key=lambda pair: -len(pair[0]))
    patterns = [
        (re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE), href)
        for term, href in ordered
        if term.strip()
    ]

    def explain(text: str, href: str) -> str:
        definition = (definitions or {}).get(href)
        if definition is None:
            return f'<a class="term" href="{href}">{text}</a>'
        tip = "tip-" + href.rpartition("#")[2]
        return (
            f'<button type="button" class="term" popovertarget="{tip}">{text}</button>'
            f'<span class="term-tip" id="{tip}" popover>{escape(definition)} '
            f'<a href="{href}">{escape(more)}</a></span>'
        )

    linker = _Linker(patterns, explain)
    linker.feed(html)
    linker.close()
    return "".join(linker.out)


GLOSSARY_FILE = "courses/glossary.toml"


def read_glossary(root: Path, module_slugs: set[str]) -> tuple[list[Term], list[Problem]]:
    """The glossary under ``root`` (none is fine) and its problems as file:line."""
    path = root / GLOSSARY_FILE
    if not path.is_file():
        return [], []
    text, problems = read_content_text(path, root)
    if text is None:
        return [], problems
    terms, found = parse(text)
    found += check(terms, text, module_slugs)
    return terms, problems + [Problem(GLOSSARY_FILE, line, message) for line, message in found]


def write_glossary(terms: list[Term], root: Path) -> list[Path]:
    """Write glossary.toml when it differs; return the path if it was written."""
    path = root / GLOSSARY_FILE
    text = dump(terms)
    if not terms or (path.is_file() and path.read_text(encoding="utf-8") == text):
        return []
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
    return [path]
