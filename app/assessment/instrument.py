"""The maturity-assessment instrument (courses/assessment.toml): read, check and write it.

Pure: standard library only. `parse` turns the TOML text into frozen dataclasses and
refuses what cannot be read (TOML syntax, a missing key, a wrong type, an unknown key)
with an `InstrumentError` that names the line. `check` lists everything else that is
wrong, as `(line, message)` pairs. `dump` writes the canonical form, `tomli_w`'s layout
with the keys in the order below, so `dump(parse(text)) == text` for a file in that form:

    version = 1
    dimensions = [{ id, vi, en }, ...]          the six dimensions of the assessment
    [choices.unknown] vi, en                    the "I don't know" answer
    [choices.yesno]   vi, en                    three labels: yes, partly, no
    [choices.scale]   vi, en                    six labels: adoption levels 0-5
    [[steps]]        number;  [steps.vi/en] name, meaning            steps 1-7
    [[crm_levels]]   level;   [crm_levels.vi/en] name, meaning       levels 1-4
    [[questions]]    id, step, dimension, gate, weight, kind, modules,
                     ladder?      false: not a practice of the ladder (seed 000); asked
                                  beside its step, it counts for its dimension, the CRM
                                  level and the recommendations, not for the step
                     mark?        true: a gate that seed 000 calls the mark of its step;
                                  in place above a low placement, it makes an island
                     crm_level?   the CRM level (2-4) the question is evidence of
                     needed?      checklist: ticked options that give full marks
                     better?      number: "lower" or "higher"; absent = unscored
                     min?, max?   number: the accepted range
                     bands?       number: [{ limit, score }], best band first
                     [questions.vi/en] text, help?, unit?, gap
                     options      checklist: [{ id, vi, en }]
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeGuard, TypeVar

import tomli_w

from app.content.files import Problem, read_content_text
from app.languages import LANGUAGES

STEPS = (1, 2, 3, 4, 5, 6, 7)
CRM_LEVELS = (1, 2, 3, 4)
DIMENSIONS = (
    "customer-marketing",
    "sales-crm",
    "data-analytics",
    "automation",
    "strategy-leadership",
    "people-culture",
)
KINDS = ("yesno", "scale", "checklist", "number")
SCALE_MAX = 5
MIN_GATES_PER_STEP = 2
MIN_QUESTIONS_PER_MODULE = 2
BETTER = ("lower", "higher")

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

T = TypeVar("T")


class InstrumentError(ValueError):
    """The text cannot be read as an instrument; `line` is 1-based (0 when unknown)."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(f"line {line}: {message}" if line else message)
        self.message = message
        self.line = line


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class Named:
    """A name and a one-sentence meaning in one language."""

    name: str
    meaning: str


@dataclass(frozen=True)
class Dimension:
    """One of the six dimensions; `labels` per language."""

    id: str
    labels: dict[str, str]


@dataclass(frozen=True)
class Step:
    """A ladder step (1-7) with its name and meaning per language."""

    number: int
    texts: dict[str, Named]


@dataclass(frozen=True)
class CrmLevel:
    """A CRM level (1-4, seed 001) with its name and meaning per language."""

    level: int
    texts: dict[str, Named]


@dataclass(frozen=True)
class Choices:
    """Labels of the fixed answers: `yesno` is (yes, partly, no), `scale` is levels 0-5."""

    unknown: dict[str, str]
    yesno: dict[str, tuple[str, ...]]
    scale: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class QuestionText:
    """A question in one language; `gap` completes "… not met: <gap>" in a reason."""

    text: str
    gap: str
    help: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Option:
    """A checklist option: a stable id and its label per language."""

    id: str
    labels: dict[str, str]


@dataclass(frozen=True)
class Band:
    """A number scores `score` when it is at most (better = "lower") or at least
    (better = "higher") `limit`; bands are listed best first and the first match wins."""

    limit: int | float
    score: int | float


@dataclass(frozen=True)
class Question:
    """One question; `modules` are the slugs of the modules that teach it."""

    id: str
    step: int
    dimension: str
    gate: bool
    weight: int | float
    kind: str
    modules: tuple[str, ...]
    texts: dict[str, QuestionText] = field(default_factory=dict)
    crm_level: int | None = None
    needed: int | None = None
    better: str | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    bands: tuple[Band, ...] = ()
    options: tuple[Option, ...] = ()
    ladder: bool = True
    mark: bool = False

    @property
    def scored(self) -> bool:
        """False for a number question without bands: its answer is kept, not scored."""
        return self.kind != "number" or bool(self.bands)

    @property
    def option_ids(self) -> tuple[str, ...]:
        """The ids of a checklist's options, in order."""
        return tuple(option.id for option in self.options)

    def text(self, locale: str) -> QuestionText:
        """The question in `locale`, falling back to Vietnamese, then to any language."""
        for candidate in (locale, LANGUAGES[0], *self.texts):
            if candidate in self.texts:
                return self.texts[candidate]
        raise KeyError(f"question {self.id} has no text")


@dataclass(frozen=True)
class Instrument:
    """The whole instrument, in file order."""

    version: int
    choices: Choices
    dimensions: tuple[Dimension, ...]
    steps: tuple[Step, ...]
    crm_levels: tuple[CrmLevel, ...]
    questions: tuple[Question, ...]

    @cached_property
    def by_id(self) -> dict[str, Question]:
        """Questions by id (the first one wins if an id is repeated; `check` reports it)."""
        found: dict[str, Question] = {}
        for question in self.questions:
            found.setdefault(question.id, question)
        return found

    def question(self, question_id: str) -> Question:
        """The question with this id; KeyError if there is none."""
        return self.by_id[question_id]

    @property
    def modules(self) -> tuple[str, ...]:
        """Every module slug the questions name, in order of first mention."""
        return tuple(dict.fromkeys(m for q in self.questions for m in q.modules))


# --------------------------------------------------------------------------- line numbers


class _Lines:
    """Finds the line of an entry of a top-level array (and of a key inside it) in text
    laid out as `dump` writes it; falls back to the nearest line it can find, never fails."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self._blocks: dict[str, list[tuple[int, int]]] = {}

    def _find_blocks(self, array: str) -> list[tuple[int, int]]:
        if array in self._blocks:
            return self._blocks[array]
        blocks: list[tuple[int, int]] = []
        header, inside = f"[[{array}]]", (f"[{array}.", f"[[{array}.")
        start = None
        for number, raw in enumerate(self.lines):
            line = raw.strip()
            if not line.startswith("["):
                continue
            if line == header:
                if start is not None:
                    blocks.append((start, number))
                start = number
            elif start is not None and not line.startswith(inside):
                blocks.append((start, number))
                start = None
        if start is not None:
            blocks.append((start, len(self.lines)))
        if not blocks:  # an inline array: one entry per line
            opening = f"{array} = ["
            for number, raw in enumerate(self.lines):
                if raw.startswith(opening):
                    for inner in range(number + 1, len(self.lines)):
                        stripped = self.lines[inner].strip()
                        if stripped.startswith("]"):
                            break
                        if stripped.startswith("{"):
                            blocks.append((inner, inner + 1))
                    break
        self._blocks[array] = blocks
        return blocks

    def top(self, key: str) -> int:
        for number, raw in enumerate(self.lines, 1):
            if raw.startswith((f"{key} =", f"[{key}.", f"[{key}]", f"[[{key}]]")):
                return number
        return 1 if self.lines else 0

    def entry(self, array: str, index: int, *needles: str) -> int:
        """The line of entry `index` of `array`; with needles, the first line of the entry
        holding all of them (a key as `"key ="`, a value as `'"value"'`)."""
        blocks = self._find_blocks(array)
        if index >= len(blocks):
            return self.top(array)
        start, end = blocks[index]
        if needles:
            for number in range(start, end):
                if all(needle in self.lines[number] for needle in needles):
                    return number + 1
        return start + 1

    def key(self, array: str, index: int, key: str) -> int:
        blocks = self._find_blocks(array)
        if index < len(blocks):
            start, end = blocks[index]
            for number in range(start, end):
                stripped = self.lines[number].strip()
                if stripped.startswith(f"{key} =") or f"{{ {key} =" in stripped:
                    return number + 1
                if stripped in (f"[{array}.{key}]", f"[[{array}.{key}]]"):
                    return number + 1
        return self.entry(array, index)


# --------------------------------------------------------------------------- parse


def _is_string(value: object) -> TypeGuard[str]:
    return isinstance(value, str)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_boolean(value: object) -> TypeGuard[bool]:
    return isinstance(value, bool)


def _is_table(value: object) -> TypeGuard[dict[str, Any]]:
    return isinstance(value, dict)


def _is_array(value: object) -> TypeGuard[list[Any]]:
    return isinstance(value, list)


@dataclass(frozen=True)
class _Kind(Generic[T]):
    """A TOML type: its name in messages and the test a value of it passes."""

    name: str
    test: Callable[[object], TypeGuard[T]]


_STRING = _Kind("string", _is_string)
_INTEGER = _Kind("integer", _is_int)
_NUMBER = _Kind("number", _is_number)
_BOOLEAN = _Kind("boolean", _is_boolean)
_TABLE = _Kind("table", _is_table)
_ARRAY = _Kind("array", _is_array)


class _Reader:
    """Reads the tables of one entry, raising InstrumentError at the entry's lines."""

    def __init__(self, lines: _Lines, array: str, index: int, label: str):
        self.lines, self.array, self.index, self.label = lines, array, index, label

    def fail(self, message: str, key: str | None = None) -> InstrumentError:
        line = (
            self.lines.key(self.array, self.index, key)
            if key
            else self.lines.entry(self.array, self.index)
        )
        return InstrumentError(f"{self.label}: {message}", line)

    def take(self, table: Mapping[str, Any], key: str, kind: _Kind[T]) -> T:
        if key not in table:
            raise self.fail(f"missing key '{key}'")
        value = table[key]
        if not kind.test(value):
            raise self.fail(f"'{key}' must be a {kind.name}", key)
        return value

    def optional(self, table: Mapping[str, Any], key: str, kind: _Kind[T]) -> T | None:
        return self.take(table, key, kind) if key in table else None

    def only(self, table: Mapping[str, Any], allowed: tuple[str, ...], where: str = "") -> None:
        for key in table:
            if key not in allowed:
                raise self.fail(f"unknown key '{where}{key}'", key)

    def strings(self, table: Mapping[str, Any], key: str) -> tuple[str, ...]:
        values = self.take(table, key, _ARRAY)
        if not all(isinstance(v, str) for v in values):
            raise self.fail(f"'{key}' must list strings", key)
        return tuple(values)

    def labels(self, table: Mapping[str, Any], reserved: tuple[str, ...]) -> dict[str, str]:
        labels = {k: v for k, v in table.items() if k not in reserved}
        for locale, value in labels.items():
            if locale not in LANGUAGES:
                raise self.fail(f"unknown key '{locale}'", locale)
            if not isinstance(value, str):
                raise self.fail(f"'{locale}' must be a string", locale)
        return labels

    def named(self, table: Mapping[str, Any], reserved: tuple[str, ...]) -> dict[str, Named]:
        texts: dict[str, Named] = {}
        for key, value in table.items():
            if key in reserved:
                continue
            if key not in LANGUAGES:
                raise self.fail(f"unknown key '{key}'", key)
            if not isinstance(value, dict):
                raise self.fail(f"'{key}' must be a table", key)
            self.only(value, ("name", "meaning"), f"{key}.")
            texts[key] = Named(
                self.take(value, "name", _STRING), self.take(value, "meaning", _STRING)
            )
        return texts


def _entries(data: Mapping[str, Any], key: str, lines: _Lines) -> list[dict[str, Any]]:
    if key not in data:
        raise InstrumentError(f"missing '{key}'", 1 if lines.lines else 0)
    value = data[key]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InstrumentError(f"'{key}' must be an array of tables", lines.top(key))
    return value


def _parse_choices(data: Mapping[str, Any], lines: _Lines) -> Choices:
    raw = data.get("choices")
    if not isinstance(raw, dict):
        raise InstrumentError("missing table 'choices'", lines.top("choices"))
    for key in raw:
        if key not in ("unknown", "yesno", "scale"):
            raise InstrumentError(f"unknown key 'choices.{key}'", lines.top("choices"))
    tables: dict[str, dict[str, Any]] = {}
    for key in ("unknown", "yesno", "scale"):
        table = raw.get(key)
        if not isinstance(table, dict):
            raise InstrumentError(f"missing table 'choices.{key}'", lines.top("choices"))
        for locale, value in table.items():
            ok = isinstance(value, str) if key == "unknown" else isinstance(value, list)
            if locale not in LANGUAGES or not ok:
                raise InstrumentError(f"bad entry 'choices.{key}.{locale}'", lines.top("choices"))
            if key != "unknown" and not all(isinstance(v, str) for v in value):
                raise InstrumentError(
                    f"'choices.{key}.{locale}' must list strings", lines.top("choices")
                )
        tables[key] = table
    return Choices(
        unknown=dict(tables["unknown"]),
        yesno={k: tuple(v) for k, v in tables["yesno"].items()},
        scale={k: tuple(v) for k, v in tables["scale"].items()},
    )


_QUESTION_KEYS = (
    "id",
    "step",
    "dimension",
    "gate",
    "weight",
    "kind",
    "modules",
    "ladder",
    "mark",
    "crm_level",
    "needed",
    "better",
    "min",
    "max",
    "bands",
    *LANGUAGES,
    "options",
)


def _parse_question(raw: dict[str, Any], index: int, lines: _Lines) -> Question:
    where = _Reader(lines, "questions", index, f"question {index + 1}")
    question_id = where.take(raw, "id", _STRING)
    where.label = f"question {question_id}"
    where.only(raw, _QUESTION_KEYS)
    texts: dict[str, QuestionText] = {}
    for locale in LANGUAGES:
        table = where.optional(raw, locale, _TABLE)
        if table is None:
            continue
        where.only(table, ("text", "help", "unit", "gap"), f"{locale}.")
        texts[locale] = QuestionText(
            text=where.take(table, "text", _STRING),
            gap=where.take(table, "gap", _STRING),
            help=where.optional(table, "help", _STRING),
            unit=where.optional(table, "unit", _STRING),
        )
    options = []
    for option in where.optional(raw, "options", _ARRAY) or ():
        if not isinstance(option, dict):
            raise where.fail("each option must be a table with id, vi and en", "options")
        option_id = where.take(option, "id", _STRING)
        options.append(Option(option_id, where.labels(option, ("id",))))
    bands = []
    for band in where.optional(raw, "bands", _ARRAY) or ():
        if not isinstance(band, dict):
            raise where.fail("each band must be a table with limit and score", "bands")
        where.only(band, ("limit", "score"), "bands.")
        bands.append(Band(where.take(band, "limit", _NUMBER), where.take(band, "score", _NUMBER)))
    return Question(
        id=question_id,
        step=where.take(raw, "step", _INTEGER),
        dimension=where.take(raw, "dimension", _STRING),
        gate=where.take(raw, "gate", _BOOLEAN),
        weight=where.take(raw, "weight", _NUMBER),
        kind=where.take(raw, "kind", _STRING),
        modules=where.strings(raw, "modules"),
        texts=texts,
        crm_level=where.optional(raw, "crm_level", _INTEGER),
        needed=where.optional(raw, "needed", _INTEGER),
        better=where.optional(raw, "better", _STRING),
        minimum=where.optional(raw, "min", _NUMBER),
        maximum=where.optional(raw, "max", _NUMBER),
        bands=tuple(bands),
        options=tuple(options),
        ladder=where.optional(raw, "ladder", _BOOLEAN) is not False,
        mark=where.optional(raw, "mark", _BOOLEAN) is True,
    )


def parse(text: str) -> Instrument:
    """Read the instrument from TOML text; InstrumentError (with `.line`) if it cannot be read.

    Only the shape is enforced here; `check` reports the rest (unknown slugs, ranges,
    missing translations, gate and module coverage…).
    """
    lines = _Lines(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+)", str(error))
        line = getattr(error, "lineno", None) or (int(found.group(1)) if found else 0)
        raise InstrumentError(str(error).split(" (at line")[0], line) from error
    for key in data:
        if key not in ("version", "choices", "dimensions", "steps", "crm_levels", "questions"):
            raise InstrumentError(f"unknown key '{key}'", lines.top(key))
    version = data.get("version")
    if not _is_int(version):
        raise InstrumentError("'version' must be an integer", lines.top("version"))

    dimensions = []
    for index, raw in enumerate(_entries(data, "dimensions", lines)):
        where = _Reader(lines, "dimensions", index, f"dimension {index + 1}")
        dimensions.append(Dimension(where.take(raw, "id", _STRING), where.labels(raw, ("id",))))
    steps = []
    for index, raw in enumerate(_entries(data, "steps", lines)):
        where = _Reader(lines, "steps", index, f"step entry {index + 1}")
        steps.append(Step(where.take(raw, "number", _INTEGER), where.named(raw, ("number",))))
    levels = []
    for index, raw in enumerate(_entries(data, "crm_levels", lines)):
        where = _Reader(lines, "crm_levels", index, f"CRM level entry {index + 1}")
        levels.append(CrmLevel(where.take(raw, "level", _INTEGER), where.named(raw, ("level",))))
    questions = [
        _parse_question(raw, index, lines)
        for index, raw in enumerate(_entries(data, "questions", lines))
    ]
    return Instrument(
        version=version,
        choices=_parse_choices(data, lines),
        dimensions=tuple(dimensions),
        steps=tuple(steps),
        crm_levels=tuple(levels),
        questions=tuple(questions),
    )


# --------------------------------------------------------------------------- check


def _missing(texts: Mapping[str, T], complete: Callable[[T], object] = bool) -> list[str]:
    return [locale for locale in LANGUAGES if locale not in texts or not complete(texts[locale])]


def _strings_of(instrument: Instrument) -> Iterator[tuple[str, int, str]]:
    """Every text of the instrument as (array, index, string), to test normalisation."""
    for index, dimension in enumerate(instrument.dimensions):
        for label in dimension.labels.values():
            yield "dimensions", index, label
    ladders: tuple[tuple[str, Sequence[Step | CrmLevel]], ...] = (
        ("steps", instrument.steps),
        ("crm_levels", instrument.crm_levels),
    )
    for array, entries in ladders:
        for index, entry in enumerate(entries):
            for named in entry.texts.values():
                yield array, index, named.name
                yield array, index, named.meaning
    for index, question in enumerate(instrument.questions):
        for text in question.texts.values():
            for value in (text.text, text.gap, text.help, text.unit):
                if value is not None:
                    yield "questions", index, value
        for option in question.options:
            for label in option.labels.values():
                yield "questions", index, label
    choices = instrument.choices
    for label in choices.unknown.values():
        yield "choices", -1, label
    for table in (choices.yesno, choices.scale):
        for labels in table.values():
            for label in labels:
                yield "choices", -1, label


def _check_question(
    q: Question, index: int, lines: _Lines, module_slugs: set[str]
) -> Iterator[tuple[int, str]]:
    def at(key: str) -> int:
        return lines.key("questions", index, key)

    name = f"question {q.id}"
    if not _ID.fullmatch(q.id):
        yield at("id"), f"{name}: id must be lower-case letters, digits and hyphens"
    if q.step not in STEPS:
        yield at("step"), f"{name}: step {q.step} is out of range 1-7"
    if q.dimension not in DIMENSIONS:
        yield at("dimension"), f"{name}: unknown dimension '{q.dimension}'"
    if q.kind not in KINDS:
        yield at("kind"), f"{name}: unknown kind '{q.kind}' (one of {', '.join(KINDS)})"
    if not q.weight > 0:
        yield at("weight"), f"{name}: weight must be above 0"
    if not q.modules:
        yield at("modules"), f"{name}: names no module"
    for slug, count in Counter(q.modules).items():
        line = lines.entry("questions", index, f'"{slug}"')
        if slug not in module_slugs:
            yield line, f"{name}: unknown module '{slug}'"
        if count > 1:
            yield line, f"{name}: module '{slug}' listed twice"
    for locale in _missing(q.texts, lambda t: t.text.strip() and t.gap.strip()):
        yield at(locale), f"{name}: missing translation ({locale}: text and gap)"
    helps = {locale for locale, t in q.texts.items() if t.help}
    if helps and helps != set(LANGUAGES):
        yield at("text"), f"{name}: help text in {', '.join(sorted(helps))} only"
    units = {locale for locale, t in q.texts.items() if t.unit}
    if units and units != set(LANGUAGES):
        yield at("text"), f"{name}: unit in {', '.join(sorted(units))} only"
    if q.crm_level is not None:
        if q.crm_level not in CRM_LEVELS[1:]:
            yield at("crm_level"), f"{name}: crm_level must be 2, 3 or 4"
        if not q.scored:
            yield at("crm_level"), f"{name}: an unscored question cannot be CRM evidence"

    if q.kind == "checklist":
        if len(q.options) < 2:
            yield at("options"), f"{name}: a checklist needs at least two options"
        for option_id, count in Counter(q.option_ids).items():
            line = lines.entry("questions", index, f'id = "{option_id}"')
            if not _ID.fullmatch(option_id):
                yield line, f"{name}: option id '{option_id}' must be lower-case and hyphens"
            if count > 1:
                yield line, f"{name}: duplicate option '{option_id}'"
        for option in q.options:
            line = lines.entry("questions", index, f'id = "{option.id}"')
            for locale in _missing(option.labels, str.strip):
                yield line, f"{name}: option '{option.id}' missing translation ({locale})"
        if q.needed is None:
            yield at("kind"), f"{name}: a checklist needs 'needed'"
        elif q.needed < 1:
            yield at("needed"), f"{name}: 'needed' must be at least 1"
        elif q.needed > len(q.options):
            yield (
                at("needed"),
                f"{name}: needs {q.needed} ticked options but has only {len(q.options)}",
            )
    else:
        if q.options:
            yield at("options"), f"{name}: options are only for checklists"
        if q.needed is not None:
            yield at("needed"), f"{name}: 'needed' is only for checklists"

    if q.kind == "number":
        yield from _check_number(q, name, at)
    else:
        for key, value in (("better", q.better), ("min", q.minimum), ("max", q.maximum)):
            if value is not None:
                yield at(key), f"{name}: '{key}' is only for number questions"
        if q.bands:
            yield at("bands"), f"{name}: 'bands' are only for number questions"
    if q.gate and not q.scored:
        yield at("gate"), f"{name}: an unscored number question cannot be a gate"
    if q.gate and not q.ladder:
        yield at("ladder"), f"{name}: a gate is a practice of its step (ladder = false)"
    if q.mark and not q.gate:
        yield at("mark"), f"{name}: the mark of a step must be one of its gates"


def _check_number(q: Question, name: str, at: Callable[[str], int]) -> Iterator[tuple[int, str]]:
    if q.minimum is not None and q.maximum is not None and q.minimum >= q.maximum:
        yield at("max"), f"{name}: 'max' must be above 'min'"
    if not q.bands:
        if q.better is not None:
            yield at("better"), f"{name}: 'better' without bands"
        return
    if q.better not in BETTER:
        yield at("better"), f'{name}: \'better\' must be "lower" or "higher" when bands are given'
        return
    limits = [band.limit for band in q.bands]
    scores = [band.score for band in q.bands]
    ordered = sorted(set(limits), reverse=q.better == "higher")
    if limits != ordered:
        order = "rising" if q.better == "lower" else "falling"
        yield at("bands"), f"{name}: band limits must be {order}, best band first"
    if any(not 0 < s <= 1 for s in scores) or scores != sorted(scores, reverse=True):
        yield at("bands"), f"{name}: band scores must fall from the first band, within 0-1"


def check(instrument: Instrument, text: str, module_slugs: set[str]) -> list[tuple[int, str]]:
    """Every problem of the instrument as (line, message), sorted by line.

    `text` is the file the instrument was parsed from (for the line numbers) and
    `module_slugs` the modules that exist. Reported: unknown module, dimension or kind;
    step or CRM level out of range; a missing or empty translation; an id repeated or
    malformed; a step with fewer than two gates; a module taught by fewer than two
    questions; a checklist needing more options than it has; number bands out of order;
    the fixed labels (steps, levels, dimensions, choices) incomplete; text not in NFC.
    """
    lines = _Lines(text)
    problems: list[tuple[int, str]] = []
    add = problems.append

    if [d.id for d in instrument.dimensions] != list(DIMENSIONS):
        add((lines.top("dimensions"), f"dimensions must be, in order: {', '.join(DIMENSIONS)}"))
    for index, dimension in enumerate(instrument.dimensions):
        for locale in _missing(dimension.labels, str.strip):
            add((lines.entry("dimensions", index), f"dimension {dimension.id}: missing {locale}"))
    ladders: tuple[tuple[str, Sequence[Step | CrmLevel], tuple[int, ...], str], ...] = (
        ("steps", instrument.steps, STEPS, "step"),
        ("crm_levels", instrument.crm_levels, CRM_LEVELS, "CRM level"),
    )
    for array, entries, expected, what in ladders:
        numbers = [e.number if isinstance(e, Step) else e.level for e in entries]
        if numbers != list(expected):
            add(
                (
                    lines.top(array),
                    f"{array} must be {what}s {expected[0]}-{expected[-1]}, once each, in order",
                )
            )
        for index, (number, entry) in enumerate(zip(numbers, entries, strict=True)):
            for locale in _missing(entry.texts, lambda n: n.name.strip() and n.meaning.strip()):
                add((lines.entry(array, index), f"{what} {number}: missing translation ({locale})"))
    choices = instrument.choices
    for locale in _missing(choices.unknown, str.strip):
        add((lines.top("choices"), f"choices.unknown: missing translation ({locale})"))
    for key, size in (("yesno", 3), ("scale", SCALE_MAX + 1)):
        table = getattr(choices, key)
        for locale in LANGUAGES:
            labels = table.get(locale, ())
            if len(labels) != size or not all(label.strip() for label in labels):
                add((lines.top("choices"), f"choices.{key}.{locale}: needs {size} labels"))

    seen: dict[str, int] = {}
    for index, question in enumerate(instrument.questions):
        if question.id in seen:
            add((lines.key("questions", index, "id"), f"duplicate question id '{question.id}'"))
        seen.setdefault(question.id, index)
        problems.extend(_check_question(question, index, lines, module_slugs))

    step_line = {
        getattr(step, "number", None): lines.entry("steps", index)
        for index, step in enumerate(instrument.steps)
    }
    for step in STEPS:
        gates = [q for q in instrument.questions if q.step == step and q.gate and q.scored]
        if len(gates) < MIN_GATES_PER_STEP:
            add(
                (
                    step_line.get(step, 1),
                    f"step {step} has {len(gates)} gate(s), needs at least {MIN_GATES_PER_STEP}",
                )
            )
    for dimension_id in DIMENSIONS:
        if not any(q.dimension == dimension_id and q.scored for q in instrument.questions):
            add((lines.top("dimensions"), f"dimension {dimension_id} has no scored question"))
    for level in CRM_LEVELS[1:]:
        if not any(q.crm_level == level for q in instrument.questions):
            add((lines.top("crm_levels"), f"CRM level {level} has no question as evidence"))

    taught = Counter(slug for q in instrument.questions for slug in set(q.modules))
    for slug in sorted(module_slugs):
        if taught[slug] < MIN_QUESTIONS_PER_MODULE:
            line = next(
                (
                    lines.entry("questions", i, f'"{slug}"')
                    for i, q in enumerate(instrument.questions)
                    if slug in q.modules
                ),
                1,
            )
            add(
                (
                    line,
                    f"module {slug} is taught by {taught[slug]} question(s),"
                    f" needs at least {MIN_QUESTIONS_PER_MODULE}",
                )
            )

    for array, index, value in _strings_of(instrument):
        if not unicodedata.is_normalized("NFC", value):
            line = lines.top("choices") if index < 0 else lines.entry(array, index)
            add((line, f"text not in Unicode NFC: {value[:40]!r}"))
    return sorted(set(problems))


# --------------------------------------------------------------------------- dump


def _named(texts: Mapping[str, Named]) -> dict[str, dict[str, str]]:
    return {locale: {"name": n.name, "meaning": n.meaning} for locale, n in texts.items()}


def _question_table(q: Question) -> dict[str, Any]:
    table: dict[str, Any] = {
        "id": q.id,
        "step": q.step,
        "dimension": q.dimension,
        "gate": q.gate,
        "weight": q.weight,
        "kind": q.kind,
        "modules": list(q.modules),
    }
    if not q.ladder:
        table["ladder"] = False
    if q.mark:
        table["mark"] = True
    optional = (
        ("crm_level", q.crm_level),
        ("needed", q.needed),
        ("better", q.better),
        ("min", q.minimum),
        ("max", q.maximum),
    )
    table.update((key, value) for key, value in optional if value is not None)
    if q.bands:
        table["bands"] = [{"limit": b.limit, "score": b.score} for b in q.bands]
    for locale, t in q.texts.items():
        text = {"text": t.text}
        if t.help is not None:
            text["help"] = t.help
        if t.unit is not None:
            text["unit"] = t.unit
        text["gap"] = t.gap
        table[locale] = text
    if q.options:
        table["options"] = [{"id": o.id, **o.labels} for o in q.options]
    return table


def to_dict(instrument: Instrument) -> dict[str, Any]:
    """The instrument as the plain data of its TOML file, keys in canonical order."""
    choices = instrument.choices
    return {
        "version": instrument.version,
        "choices": {
            "unknown": dict(choices.unknown),
            "yesno": {k: list(v) for k, v in choices.yesno.items()},
            "scale": {k: list(v) for k, v in choices.scale.items()},
        },
        "dimensions": [{"id": d.id, **d.labels} for d in instrument.dimensions],
        "steps": [{"number": s.number, **_named(s.texts)} for s in instrument.steps],
        "crm_levels": [{"level": c.level, **_named(c.texts)} for c in instrument.crm_levels],
        "questions": [_question_table(q) for q in instrument.questions],
    }


def dump(instrument: Instrument) -> str:
    """The canonical TOML text of the instrument."""
    return tomli_w.dumps(to_dict(instrument))


# --------------------------------------------------------------------------- the file

INSTRUMENT_FILE = "courses/assessment.toml"


def read_instrument(root: Path, module_slugs: set[str]) -> tuple[str | None, list[Problem]]:
    """The instrument's text under ``root`` (None when there is none) and its problems
    as content Problems (file:line: message)."""
    path = root / INSTRUMENT_FILE
    if not path.is_file():
        return None, []
    text, problems = read_content_text(path, root)
    if text is None:
        return None, problems
    try:
        instrument = parse(text)
    except InstrumentError as error:
        return None, [*problems, Problem(INSTRUMENT_FILE, error.line or 1, error.message)]
    problems += [
        Problem(INSTRUMENT_FILE, line, message)
        for line, message in check(instrument, text, module_slugs)
    ]
    return text, problems


def write_instrument(text: str | None, root: Path) -> list[Path]:
    """Write the instrument's text when it differs; return the path if written."""
    path = root / INSTRUMENT_FILE
    if text is None or (path.is_file() and path.read_text(encoding="utf-8") == text):
        return []
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
    return [path]
