"""Moodle's GIFT question format: `parse` a file into dataclasses, `dump` them back.

The reader follows Moodle's own importer (question/format/gift/format.php) and its
documentation: `//` comment lines, `$CATEGORY:` lines, `::title::`, `[html]`/`[moodle]`/
`[plain]`/`[markdown]` format prefixes (on the question text, on any answer, on any
feedback), the escapes `\\~ \\= \\# \\{ \\} \\: \\n \\\\`, multiple choice (`=` right,
`~` wrong, `~%50%` weighted), multiple response (only `~%w%` answers), true/false,
short answer, numerical (`{#value:tolerance}`, `{#min..max}`, several weighted answers,
`~#feedback` for any other answer), matching (`=item -> match`, `= -> distractor`),
missing word (answers in the middle of the sentence), essay `{}`, description (no
braces), per-answer `#feedback` and `####general feedback`. Questions are separated by
blank lines and may spread over several lines.

Moodle's `// [id:...]` and `// [tag:...]` comment lines just before a question give its
ID number and tags; they are kept on the question and written back. A byte-order mark at
the start of a line (files joined together) counts as whitespace.

Where Moodle silently guesses, the reader refuses with a `GiftError` naming the line:
text before the first `=`/`~` of a list of answers, a weight after `=` in a multiple-choice
question (`=` always means 100% there), weights or feedback on a matching pair, a second
answer block in one question, a number too large to be one. Every rule a question must
follow to be written back and read again equal is checked in one place (`rules`): the
reader refuses a question that breaks one, and `validate` lists them all.

`dump` writes the canonical form, which `parse` reads back to equal questions:

    $CATEGORY: name                 only where the category changes

    ::title:: question text {
        =right answer#feedback
        ~%50%half right#feedback
        ~wrong answer
        ####general feedback
    } rest of a missing-word sentence

A numerical block opens with `{#`; a true/false block holds one line `TRUE#feedback for
a wrong answer#feedback for a right answer`; a description has no braces. Only the
characters that would otherwise be read as syntax are escaped: `{ } \\` and newlines
everywhere, `~ = #` inside braces, `:` in titles.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from app.languages import N_

KINDS = ("single", "multi", "truefalse", "short", "numerical", "matching", "essay", "description")
FORMATS = ("moodle", "html", "plain", "markdown")
DEFAULT_FORMAT = "moodle"

TRUE, FALSE = "TRUE", "FALSE"
ANY_NUMBER = "*"

_TF_WORDS = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_ESCAPES = {"\\": "\\", "~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "n": "\n"}
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_WEIGHT = re.compile(r"-?\d+(?:\.\d+)?")
_CATEGORY = "$CATEGORY:"
_INDENT = "    "


class GiftError(ValueError):
    """A syntax error in a GIFT file; `line` is 1-based and `str()` reads "line N: ...".
    `message` is `template % params` in English; pages show the template translated."""

    def __init__(self, line: int, template: str, **params: object) -> None:
        self.line = line
        self.template = template
        self.params = params
        self.message = template % params
        super().__init__(line, self.message)

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Answer:
    """One answer of a question.

    - `text`: the answer; for matching, the item (empty for a distractor); for
      true/false, "TRUE" or "FALSE"; for numerical, the number as written ("1822"),
      a range "min..max", or "*" for any other number.
    - `fraction`: the credit, -1.0 to 1.0.
    - `tolerance`: numerical `value:tolerance` answers only (0.0 when none is written).
    - `match`: matching only, the text the item is matched with.
    - `format`, `feedback_format`: an explicit text format, or None for the question's.
    """

    text: str
    fraction: float = 0.0
    feedback: str = ""
    tolerance: float | None = None
    match: str | None = None
    format: str | None = None
    feedback_format: str | None = None

    def numeric_range(self) -> tuple[float, float] | None:
        """The closed interval a numerical answer accepts; None for "*" (any number)."""
        if self.text == ANY_NUMBER:
            return None
        low, sep, high = self.text.partition("..")
        if sep and low:
            return float(low), float(high)
        value, tolerance = float(self.text), abs(self.tolerance or 0.0)
        return value - tolerance, value + tolerance


@dataclass(frozen=True)
class Question:
    """One GIFT question.

    `text` is the question (for a missing-word question, the part before the blank) and
    `text_after` the rest of the sentence after the blank, with its leading space kept.
    `format` is the text format of the question, which answers and feedback inherit.
    `line` is where the question starts in the parsed file (not compared).
    """

    title: str
    kind: str
    text: str
    answers: tuple[Answer, ...] = ()
    general_feedback: str = ""
    format: str = DEFAULT_FORMAT
    text_after: str = ""
    category: str = ""
    general_feedback_format: str | None = None
    #: Moodle's ID number of the question and its tags (`// [id:...]`, `// [tag:...]`)
    idnumber: str = ""
    tags: tuple[str, ...] = ()
    line: int = field(default=0, compare=False, repr=False)


# --- reading ------------------------------------------------------------------------------


class _Block:
    """The lines of one question with escapes decoded; each character keeps its line.

    ``plain`` is the decoded text; ``syntax`` is the same text with every escaped
    character replaced by NUL, so that searching it finds only characters that keep
    their syntactic meaning (no token of GIFT holds a NUL).
    """

    def __init__(self, numbered: list[tuple[int, str]]) -> None:
        plain: list[str] = []  # pieces of text
        syntax: list[str] = []
        self.lines: list[int] = []  # by character
        for k, (lineno, raw) in enumerate(numbered):
            if k:
                plain.append("\n")
                syntax.append("\n")
                self.lines.append(numbered[k - 1][0])
            if "\\" not in raw:
                plain.append(raw)
                syntax.append(raw)
                self.lines += [lineno] * len(raw)
                continue
            i = 0
            while i < len(raw):
                if raw[i] == "\\":
                    escaped = raw[i + 1 : i + 2] in _ESCAPES
                    plain.append(_ESCAPES[raw[i + 1]] if escaped else "\\")
                    i += 2 if escaped else 1
                    syntax.append("\0")
                else:
                    plain.append(raw[i])
                    syntax.append(raw[i])
                    i += 1
                self.lines.append(lineno)
        self.plain = "".join(plain)
        self.syntax = "".join(syntax)
        self.end = len(self.plain)

    def at(self, i: int, char: str) -> bool:
        """Whether position i holds `char` with its syntactic meaning (not escaped)."""
        return 0 <= i < self.end and self.syntax[i] == char

    def find(self, token: str, start: int, stop: int) -> int:
        return self.syntax.find(token, start, stop)

    def rfind(self, token: str, start: int, stop: int) -> int:
        return self.syntax.rfind(token, start, stop)

    def positions(self, chars: str, start: int, stop: int) -> list[int]:
        """Where any of ``chars`` stands with its syntactic meaning, in order."""
        return [i for i in range(start, stop) if self.syntax[i] in chars]

    def text(self, start: int, stop: int) -> str:
        return self.plain[start:stop]

    def skip_space(self, i: int, stop: int) -> int:
        while i < stop and self.syntax[i].isspace():
            i += 1
        return i

    def line(self, i: int) -> int:
        return self.lines[max(0, min(i, self.end - 1))]


def parse(text: str) -> list[Question]:
    """Read GIFT text into questions, in file order.

    Raises GiftError(line, message) on the first syntax error. Whitespace around every
    text is dropped, as Moodle does.
    """
    return [item for item in _read_blocks(text, strict=True) if isinstance(item, Question)]


def parse_each(text: str) -> list[Question | GiftError]:
    """Read GIFT text question by question: each question, or the GiftError that keeps it
    from being read, in file order (one per question `split` finds in app.quizzes.sources).
    """
    return _read_blocks(text, strict=False)


def without_bom(line: str) -> str:
    """A line with any byte-order marks among its leading whitespace removed."""
    head = len(line) - len(line.lstrip(" \t\ufeff"))
    return line[:head].replace("\ufeff", "") + line[head:]


_META = re.compile(r"//\s*\[(id|tag):(.*)\]\s*")


def _read_blocks(text: str, strict: bool) -> list[Question | GiftError]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[tuple[list[tuple[int, str]], dict[str, list[str]]]] = [([], {})]
    for lineno, raw in enumerate(lines, start=1):
        line = without_bom(raw)
        stripped = line.strip()
        if not stripped:
            blocks.append(([], {}))
        elif stripped.startswith("//"):
            comment = _META.fullmatch(stripped)
            if comment:
                blocks[-1][1].setdefault(comment.group(1), []).append(comment.group(2).strip())
        else:
            blocks[-1][0].append((lineno, line))
    items: list[Question | GiftError] = []
    category = ""
    for numbered, meta in blocks:
        if numbered and numbered[0][1].strip().startswith(_CATEGORY):
            category = numbered[0][1].strip()[len(_CATEGORY) :].strip()
            numbered = numbered[1:]
        if not numbered:
            continue
        try:
            question = _read_question(_Block(numbered), category)
        except GiftError as error:
            if strict:
                raise
            items.append(error)
            continue
        idnumber = (meta.get("id") or [""])[-1]
        items.append(replace(question, idnumber=idnumber, tags=tuple(meta.get("tag", ()))))
    return items


def _read_question(block: _Block, category: str) -> Question:
    start = block.skip_space(0, block.end)
    first_line = block.line(start)
    title = ""
    if block.at(start, ":") and block.at(start + 1, ":"):
        close = block.find("::", start + 2, block.end)
        if close < 0:
            raise GiftError(
                first_line, N_("the title is not closed: '::' opens it but no '::' ends it")
            )
        title = block.text(start + 2, close).strip()
        start = close + 2

    opening = block.find("{", start, block.end)
    closing = block.find("}", start, block.end)
    if closing >= 0 and (opening < 0 or closing < opening):
        raise GiftError(block.line(closing), _STRAY_CLOSE)
    if opening < 0:
        fmt, body = _split_format(block.text(start, block.end).strip())
        description = Question(
            title,
            "description",
            body,
            format=fmt or DEFAULT_FORMAT,
            category=category,
            line=first_line,
        )
        return _obeying_rules(description, first_line)
    if closing < 0:
        raise GiftError(
            block.line(opening),
            N_("unclosed brace: the '{' here has no matching '}' (a blank line ends a question)"),
        )
    nested = block.find("{", opening + 1, closing)
    if nested >= 0:
        raise GiftError(
            block.line(nested), N_("a '{' inside an answer block; write \\{ for a literal brace")
        )
    for i in range(closing + 1, block.end):
        if block.at(i, "{"):
            raise GiftError(
                block.line(i),
                N_(
                    "a second answer block: a question has one {...} block "
                    "(is a blank line missing between two questions?)"
                ),
            )
        if block.at(i, "}"):
            raise GiftError(block.line(i), _STRAY_CLOSE)

    fmt, body = _split_format(block.text(start, opening).strip())
    qformat = fmt or DEFAULT_FORMAT
    after = block.text(closing + 1, block.end).rstrip()
    if not after.strip():
        after = ""

    general_feedback, general_feedback_format = "", None
    stop = closing
    separator = block.rfind("####", opening + 1, closing)
    if separator >= 0:
        fmt, general_feedback = _split_format(block.text(separator + 4, closing).strip())
        general_feedback_format = _own_format(fmt, qformat)
        stop = separator

    kind, answers = _read_answers(block, opening, stop, qformat)
    question = Question(
        title=title,
        kind=kind,
        text=body,
        answers=answers,
        general_feedback=general_feedback,
        format=qformat,
        text_after=after,
        category=category,
        general_feedback_format=general_feedback_format,
        line=first_line,
    )
    return _obeying_rules(question, block.line(opening))


def _obeying_rules(question: Question, line: int) -> Question:
    """The question, or a GiftError at ``line`` for the first rule it breaks."""
    for template, params in rules(question):
        raise GiftError(line, template, **params)
    return question


_STRAY_CLOSE = N_("a '}' without an opening '{'; write \\} for a literal brace")


def _read_answers(
    block: _Block, opening: int, stop: int, qformat: str
) -> tuple[str, tuple[Answer, ...]]:
    start = opening + 1
    first = block.skip_space(start, stop)
    if first >= stop:
        return "essay", ()
    brace_line = block.line(opening)
    if block.at(first, "#"):
        return "numerical", _read_numerical(block, first + 1, stop, qformat, brace_line)
    if block.find("~", start, stop) >= 0:
        return _read_choice(block, start, stop, qformat, brace_line)
    if block.find("=", start, stop) >= 0 and block.find("->", start, stop) >= 0:
        return "matching", _read_matching(block, start, stop, qformat, brace_line)
    hash_at = block.find("#", start, stop)
    head = block.text(start, hash_at if hash_at >= 0 else stop).strip()
    if head in _TF_WORDS:
        return "truefalse", _read_truefalse(block, start, stop, qformat, _TF_WORDS[head])
    return "short", _read_short(block, start, stop, qformat, brace_line)


def _items(
    block: _Block, start: int, stop: int, markers: str, *, leading_ok: bool = False
) -> list[tuple[str, int, int, int]]:
    """Split an answer list at unescaped markers: (marker, marker position, start, stop).

    Text before the first marker is an error unless `leading_ok` (then marker "")."""
    cuts = block.positions(markers, start, stop)
    items = []
    head_start = block.skip_space(start, cuts[0] if cuts else stop)
    if head_start < (cuts[0] if cuts else stop):
        if not leading_ok:
            raise GiftError(
                block.line(head_start),
                N_("an answer without = or ~: start a right answer with = and a wrong one with ~"),
            )
        items.append(("", head_start, head_start, cuts[0] if cuts else stop))
    for k, cut in enumerate(cuts):
        items.append((block.plain[cut], cut, cut + 1, cuts[k + 1] if k + 1 < len(cuts) else stop))
    return items


def _weight(block: _Block, start: int, stop: int) -> tuple[float | None, int]:
    """Read a `%weight%` at the start of an answer, as Moodle does: only a well-formed
    number between two % signs is a weight; anything else is answer text."""
    i = block.skip_space(start, stop)
    if not block.at(i, "%"):
        return None, start
    close = block.find("%", i + 1, stop)
    raw = block.text(i + 1, close) if close >= 0 else ""
    if close < 0 or not _WEIGHT.fullmatch(raw):
        return None, start
    percent = Decimal(raw)
    if not -100 <= percent <= 100:
        raise GiftError(
            block.line(i),
            N_("the weight %(weight)s%% is out of range: weights go from -100%% to 100%%"),
            weight=raw,
        )
    return float(percent / 100), close + 1


def _split_feedback(block: _Block, start: int, stop: int) -> tuple[str, str | None]:
    hash_at = block.find("#", start, stop)
    if hash_at < 0:
        return block.text(start, stop).strip(), None
    return block.text(start, hash_at).strip(), block.text(hash_at + 1, stop).strip()


def _split_format(text: str) -> tuple[str | None, str]:
    """Split a leading `[html]`-style format prefix off a stripped text."""
    if text.startswith("["):
        name, sep, rest = text[1:].partition("]")
        if sep and name in FORMATS:
            return name, rest.strip()
    return None, text


def _own_format(fmt: str | None, inherited: str) -> str | None:
    return None if fmt == inherited else fmt


def _answer_text(
    block: _Block, start: int, stop: int, qformat: str, marker_at: int
) -> tuple[str, str | None, str, str | None]:
    raw, raw_feedback = _split_feedback(block, start, stop)
    fmt, text = _split_format(raw)
    if not text:
        raise GiftError(block.line(marker_at), N_("an answer has no text"))
    feedback_format, feedback = _split_format(raw_feedback or "")
    return text, _own_format(fmt, qformat), feedback, _own_format(feedback_format, qformat)


def _read_choice(
    block: _Block, start: int, stop: int, qformat: str, brace_line: int
) -> tuple[str, tuple[Answer, ...]]:
    items = _items(block, start, stop, "=~")
    single = any(marker == "=" for marker, *_ in items)
    answers = []
    for marker, at, item_start, item_stop in items:
        weight, item_start = _weight(block, item_start, item_stop)
        if marker == "=" and weight is not None:
            raise GiftError(
                block.line(at),
                N_(
                    "'=' already means 100%% in a multiple-choice question; "
                    "write ~%%50%%answer for partial credit"
                ),
            )
        fraction = 1.0 if marker == "=" else (weight or 0.0)
        text, fmt, feedback, feedback_format = _answer_text(
            block, item_start, item_stop, qformat, at
        )
        answers.append(
            Answer(text, fraction, feedback, format=fmt, feedback_format=feedback_format)
        )
    return ("single" if single else "multi"), tuple(answers)


def _read_short(
    block: _Block, start: int, stop: int, qformat: str, brace_line: int
) -> tuple[Answer, ...]:
    # One answer may be written without '=' (Moodle's docs), but not mixed with others.
    items = _items(block, start, stop, "=", leading_ok=block.find("=", start, stop) < 0)
    answers = []
    for _marker, at, item_start, item_stop in items:
        weight, item_start = _weight(block, item_start, item_stop)
        text, fmt, feedback, feedback_format = _answer_text(
            block, item_start, item_stop, qformat, at
        )
        fraction = 1.0 if weight is None else weight
        answers.append(
            Answer(text, fraction, feedback, format=fmt, feedback_format=feedback_format)
        )
    return tuple(answers)


def _read_numerical(
    block: _Block, start: int, stop: int, qformat: str, brace_line: int
) -> tuple[Answer, ...]:
    answers = []
    for marker, at, item_start, item_stop in _items(block, start, stop, "=~", leading_ok=True):
        line = block.line(at)
        if marker == "~":
            text, raw_feedback = _split_feedback(block, item_start, item_stop)
            if text:
                raise GiftError(
                    line,
                    N_(
                        "in a numerical question '~' only introduces the feedback for any "
                        "other number: write ~#feedback"
                    ),
                )
            fmt, feedback = _split_format(raw_feedback or "")
            answers.append(
                Answer(ANY_NUMBER, 0.0, feedback, feedback_format=_own_format(fmt, qformat))
            )
            continue
        weight, item_start = _weight(block, item_start, item_stop)
        spec, raw_feedback = _split_feedback(block, item_start, item_stop)
        text, tolerance = _read_number_spec(spec, line)
        fmt, feedback = _split_format(raw_feedback or "")
        answers.append(
            Answer(
                text,
                1.0 if weight is None else weight,
                feedback,
                tolerance=tolerance,
                feedback_format=_own_format(fmt, qformat),
            )
        )
    return tuple(answers)


def _read_number_spec(spec: str, line: int) -> tuple[str, float | None]:
    if not spec:
        raise GiftError(line, N_("a numerical answer has no number"))
    if spec == ANY_NUMBER:
        return spec, None
    low, sep, high = spec.partition("..")
    if sep and low.strip():
        low, high = _number(low.strip(), line), _number(high.strip(), line)
        if float(low) > float(high):
            raise GiftError(
                line,
                N_("the range %(low)s..%(high)s is empty: its minimum is above its maximum"),
                low=low,
                high=high,
            )
        return f"{low}..{high}", None
    value, sep, tolerance = spec.partition(":")
    value = _number(value.strip(), line)
    if not sep:
        return value, 0.0
    tolerance = tolerance.strip()
    if not _NUMBER.fullmatch(tolerance):
        raise GiftError(
            line,
            N_("bad tolerance %(tolerance)r: write a number such as 0.5 after ':'"),
            tolerance=tolerance,
        )
    _finite(tolerance, line)
    if float(tolerance) < 0:
        raise GiftError(
            line,
            N_("the tolerance %(tolerance)s is negative; write it without the minus"),
            tolerance=tolerance,
        )
    return value, float(tolerance)


def _number(raw: str, line: int) -> str:
    if not _NUMBER.fullmatch(raw):
        raise GiftError(
            line,
            N_("bad number %(number)r: write digits with a decimal point, such as 3.14 or -2"),
            number=raw,
        )
    _finite(raw, line)
    return raw


def _finite(raw: str, line: int) -> None:
    if not math.isfinite(float(raw)):
        raise GiftError(line, N_("the number %(number)s is too large"), number=raw)


def _read_matching(
    block: _Block, start: int, stop: int, qformat: str, brace_line: int
) -> tuple[Answer, ...]:
    answers = []
    for _marker, at, item_start, item_stop in _items(block, start, stop, "="):
        line = block.line(at)
        if _weight(block, item_start, item_stop)[0] is not None:
            raise GiftError(line, N_("a matching pair cannot have a weight"))
        if block.find("#", item_start, item_stop) >= 0:
            raise GiftError(
                line, N_("a matching pair cannot have feedback; write \\# for a literal #")
            )
        arrow = block.find("->", item_start, item_stop)
        if arrow < 0:
            raise GiftError(line, N_("a matching pair needs '->' between the item and its match"))
        fmt, item = _split_format(block.text(item_start, arrow).strip())
        match = block.text(arrow + 2, item_stop).strip()
        if not match:
            raise GiftError(line, N_("a matching pair has nothing after '->'"))
        answers.append(
            Answer(item, 1.0 if item else 0.0, match=match, format=_own_format(fmt, qformat))
        )
    return tuple(answers)


def _read_truefalse(
    block: _Block, start: int, stop: int, qformat: str, correct: bool
) -> tuple[Answer, ...]:
    # Moodle's order: {TRUE#feedback for a wrong answer#feedback for a right answer}.
    first = block.find("#", start, stop)
    wrong = right = ""
    wrong_format = right_format = None
    if first >= 0:
        second = block.find("#", first + 1, stop)
        wrong_end = second if second >= 0 else stop
        wrong_format, wrong = _split_format(block.text(first + 1, wrong_end).strip())
        if second >= 0:
            right_format, right = _split_format(block.text(second + 1, stop).strip())
    right_answer = (right, _own_format(right_format, qformat))
    wrong_answer = (wrong, _own_format(wrong_format, qformat))
    true_fb, false_fb = (right_answer, wrong_answer) if correct else (wrong_answer, right_answer)
    return (
        Answer(TRUE, 1.0 if correct else 0.0, true_fb[0], feedback_format=true_fb[1]),
        Answer(FALSE, 0.0 if correct else 1.0, false_fb[0], feedback_format=false_fb[1]),
    )


# --- checking -----------------------------------------------------------------------------

Rule = tuple[str, dict[str, object]]  # a message template (marked for the catalogue), its params

_NO_FULL_MARKS = N_("no answer gives full marks: at least one answer needs 100%% (=answer)")


def validate(question: Question) -> list[str]:
    """The problems that keep a question from being written as GIFT and read back equal,
    in plain words (the reader refuses a question with the first of them)."""
    return [template % params for template, params in rules(question)]


def rules(q: Question) -> list[Rule]:
    """Every rule the question breaks."""
    if q.kind not in KINDS:
        return [(N_("unknown kind %(kind)r"), {"kind": q.kind})]
    problems: list[Rule] = []
    if q.format not in FORMATS:
        problems.append((N_("unknown text format %(format)r"), {"format": q.format}))
    formats = [a.format for a in q.answers] + [a.feedback_format for a in q.answers]
    formats.append(q.general_feedback_format)
    if any(f is not None and f not in FORMATS for f in formats):
        problems.append((N_("an answer or feedback has an unknown text format"), {}))
    if "\n" in q.category:
        problems.append((N_("a category name cannot span several lines"), {}))
    for value in (q.idnumber, *q.tags):
        if "\n" in value or value != value.strip():
            problems.append((N_("an ID number or a tag is one line, without spaces around"), {}))
    if any(not tag for tag in q.tags):
        problems.append((N_("a tag cannot be empty"), {}))
    problems += _text_rules(q)
    if q.kind == "description":
        if q.answers or q.general_feedback or q.text_after:
            problems.append(
                (N_("a description has no answers, feedback or text after a blank"), {})
            )
        if not q.title and not q.text:
            problems.append((N_("a description needs a title or a text"), {}))
        return problems
    return problems + _ANSWER_RULES[q.kind](q.answers)


#: the longest text of a question (its text, an answer, a match, a feedback), in characters
MAX_TEXT = 5000
#: Python-Markdown's time grows with the square of the "[" and "<" in a text: a Markdown
#: text may hold this many, which keeps rendering it to milliseconds
MAX_MARKUP = 200


def _text_rules(q: Question) -> list[Rule]:
    texts = [(q.text, q.format), (q.text_after, q.format)]
    texts.append((q.general_feedback, q.general_feedback_format or q.format))
    for a in q.answers:
        texts += [(a.text, a.format or q.format), (a.feedback, a.feedback_format or q.format)]
        texts.append((a.match or "", q.format))
    problems: list[Rule] = []
    if any(len(text) > MAX_TEXT for text, _ in texts):
        problems.append((N_("a text is longer than %(max)s characters"), {"max": MAX_TEXT}))
    if any(f == "markdown" and text.count("[") + text.count("<") > MAX_MARKUP for text, f in texts):
        problems.append(
            (
                N_(
                    "a Markdown text holds more than %(max)s '[' and '<' together: write fewer"
                    " links and tags, escape the brackets (\\[), or use the [plain] format"
                ),
                {"max": MAX_MARKUP},
            )
        )
    return problems


def _common(answers: tuple[Answer, ...]) -> list[Rule]:
    problems: list[Rule] = []
    if any(not a.text for a in answers):
        problems.append((N_("an answer has no text"), {}))
    if any(not -1.0 <= a.fraction <= 1.0 for a in answers):
        problems.append((N_("a weight is out of range: weights go from -100%% to 100%%"), {}))
    return problems


def _full_marks(answers: tuple[Answer, ...], none: str) -> list[Rule]:
    if not answers:
        return [(none, {})]
    return [] if max(a.fraction for a in answers) == 1.0 else [(_NO_FULL_MARKS, {})]


def _choice_rules(answers: tuple[Answer, ...], single: bool) -> list[Rule]:
    problems = _common(answers)
    if len(answers) < 2:
        problems.append((N_("a multiple-choice question needs at least 2 answers"), {}))
    if single:
        if not any(a.fraction == 1.0 for a in answers):
            problems.append(
                (N_("a multiple-choice question needs a right answer (=) worth 100%%"), {})
            )
        if answers and all(a.fraction == 1.0 for a in answers):
            problems.append(
                (
                    N_(
                        "a multiple-choice question needs a wrong answer (~); "
                        "with right answers only it is a short-answer question"
                    ),
                    {},
                )
            )
    elif answers:
        total = math.fsum(a.fraction for a in answers if a.fraction > 0)
        if abs(total - 1.0) > 0.005:
            problems.append(
                (
                    N_(
                        "the positive weights of this multiple-response question add up to "
                        "%(total)s%%, not 100%% (or mark the one right answer with =)"
                    ),
                    {"total": _percent(total)},
                )
            )
    return problems


def _short_rules(answers: tuple[Answer, ...]) -> list[Rule]:
    problems = _common(answers)
    problems += _full_marks(answers, N_("a short-answer question needs at least one answer"))
    if any("->" in a.text or "->" in a.feedback for a in answers):
        problems.append(
            (N_("a short answer cannot contain '->' (it would read as a matching pair)"), {})
        )
    return problems


def _numerical_rules(answers: tuple[Answer, ...]) -> list[Rule]:
    problems = _common(answers)
    problems += _full_marks(answers, N_("a numerical question needs at least one answer after '#'"))
    for a in answers:
        try:
            spec, tolerance = _read_number_spec(a.text, 0)
        except GiftError as error:
            problems.append((error.template, error.params))
            continue
        if spec != a.text:
            problems.append(
                (
                    N_("write the numerical answer %(text)r as %(spec)r"),
                    {"text": a.text, "spec": spec},
                )
            )
        elif tolerance is None and a.tolerance is not None:
            problems.append(
                (N_("the numerical answer %(text)r takes no tolerance"), {"text": a.text})
            )
        elif tolerance is not None and a.tolerance is None:
            problems.append(
                (
                    N_("the numerical answer %(text)r needs a tolerance (0.0 for an exact number)"),
                    {"text": a.text},
                )
            )
        elif a.tolerance is not None and not (math.isfinite(a.tolerance) and a.tolerance >= 0):
            problems.append((N_("a tolerance must be a number of 0 or more"), {}))
    return problems


def _matching_rules(answers: tuple[Answer, ...]) -> list[Rule]:
    problems: list[Rule] = []
    pairs = sum(1 for a in answers if a.text)
    if pairs < 2:
        problems.append(
            (
                N_("a matching question needs at least 2 pairs (item -> match); it has %(pairs)s"),
                {"pairs": pairs},
            )
        )
    if any(not a.match for a in answers):
        problems.append((N_("a matching pair has nothing after '->'"), {}))
    if any("->" in a.text for a in answers):
        problems.append((N_("a matching item cannot contain '->'"), {}))
    if any(a.fraction != (1.0 if a.text else 0.0) or a.feedback for a in answers):
        problems.append(
            (
                N_(
                    "matching pairs carry no weight or feedback: "
                    "an item is worth 100%%, a distractor 0%%"
                ),
                {},
            )
        )
    return problems


def _truefalse_rules(answers: tuple[Answer, ...]) -> list[Rule]:
    shape = [(a.text, a.fraction) for a in answers]
    if shape not in ([(TRUE, 1.0), (FALSE, 0.0)], [(TRUE, 0.0), (FALSE, 1.0)]):
        return [
            (
                N_("a true/false question has the answers TRUE and FALSE, one of them worth 100%%"),
                {},
            )
        ]
    return []


def _essay_rules(answers: tuple[Answer, ...]) -> list[Rule]:
    return [(N_("an essay question has no answers"), {})] if answers else []


_ANSWER_RULES = {
    "single": lambda answers: _choice_rules(answers, single=True),
    "multi": lambda answers: _choice_rules(answers, single=False),
    "short": _short_rules,
    "numerical": _numerical_rules,
    "matching": _matching_rules,
    "truefalse": _truefalse_rules,
    "essay": _essay_rules,
}


# --- writing ------------------------------------------------------------------------------


def dump(questions: list[Question]) -> str:
    """Write questions as canonical GIFT, so that `parse(dump(qs)) == qs`.

    A `$CATEGORY:` line is written wherever the category changes. Raises ValueError for a
    question `validate` finds a problem with.
    """
    blocks = []
    category = ""
    for q in questions:
        problems = validate(q)
        if problems:
            raise ValueError(f"cannot write question {q.title!r}: {problems[0]}")
        if q.category != category:
            blocks.append(f"{_CATEGORY} {q.category}".rstrip())
            category = q.category
        blocks.append(_write_question(q))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _write_question(q: Question) -> str:
    meta = ([f"// [id:{q.idnumber}]"] if q.idnumber else []) + [f"// [tag:{t}]" for t in q.tags]
    return "\n".join([*meta, _write_body(q)])


def _write_body(q: Question) -> str:
    head = f"::{_escape_title(q.title)}::" if q.title else ""
    # An untitled text that looks like a comment, a title or a category keeps its
    # format prefix, so the line cannot be misread.
    risky = not q.title and q.text.startswith(("//", "::", _CATEGORY))
    body = _with_format(q.text, q.format, DEFAULT_FORMAT, "{}", force=risky)
    first = " ".join(part for part in (head, body) if part)
    if q.kind == "description":
        return first
    lines = [(first + " {" if first else "{") + ("#" if q.kind == "numerical" else "")]
    lines.extend(_INDENT + line for line in _ANSWER_WRITERS[q.kind](q))
    general = _with_format(q.general_feedback, q.general_feedback_format, q.format, "~=#{}")
    if general:
        lines.append(f"{_INDENT}####{general}")
    lines.append("}" + _escape(q.text_after, "{}"))
    return "\n".join(lines)


def _write_choice(q: Question) -> list[str]:
    lines = []
    for a in q.answers:
        if q.kind == "single" and a.fraction == 1.0:
            marker = "="
        elif a.fraction == 0:
            marker = "~"
        else:
            marker = f"~%{_percent(a.fraction)}%"
        lines.append(marker + _answer_body(a, q.format))
    return lines


def _write_short(q: Question) -> list[str]:
    return [
        "=" + ("" if a.fraction == 1.0 else f"%{_percent(a.fraction)}%") + _answer_body(a, q.format)
        for a in q.answers
    ]


def _write_numerical(q: Question) -> list[str]:
    lines = []
    for a in q.answers:
        feedback = _feedback(a, q.format)
        if a.text == ANY_NUMBER and a.fraction == 0:
            lines.append("~" + feedback)
            continue
        spec = a.text
        if a.tolerance:
            spec += ":" + _number_text(a.tolerance)
        weight = "" if a.fraction == 1.0 else f"%{_percent(a.fraction)}%"
        lines.append(f"={weight}{spec}{feedback}")
    return lines


def _write_matching(q: Question) -> list[str]:
    return [
        f"={_with_format(a.text, a.format, q.format, '~=#{}', guard=True)} -> "
        f"{_escape(a.match or '', '~=#{}')}"
        for a in q.answers
    ]


def _write_truefalse(q: Question) -> list[str]:
    true_answer, false_answer = q.answers
    correct, wrong = (
        (true_answer, false_answer) if true_answer.fraction == 1.0 else (false_answer, true_answer)
    )
    right_feedback = _with_format(correct.feedback, correct.feedback_format, q.format, "~=#{}")
    wrong_feedback = _with_format(wrong.feedback, wrong.feedback_format, q.format, "~=#{}")
    line = correct.text
    if wrong_feedback or right_feedback:
        line += "#" + wrong_feedback
    if right_feedback:
        line += "#" + right_feedback
    return [line]


_ANSWER_WRITERS: dict[str, Callable[[Question], list[str]]] = {
    "single": _write_choice,
    "multi": _write_choice,
    "short": _write_short,
    "numerical": _write_numerical,
    "matching": _write_matching,
    "truefalse": _write_truefalse,
    "essay": lambda q: [],
}


def _answer_body(a: Answer, qformat: str) -> str:
    return _with_format(a.text, a.format, qformat, "~=#{}", guard=True) + _feedback(a, qformat)


def _feedback(a: Answer, qformat: str) -> str:
    feedback = _with_format(a.feedback, a.feedback_format, qformat, "~=#{}")
    return "#" + feedback if feedback else ""


def _with_format(
    text: str,
    fmt: str | None,
    inherited: str,
    specials: str,
    *,
    guard: bool = False,
    force: bool = False,
) -> str:
    """Escape a text and put its format prefix in front when it needs one: when its format
    differs from the inherited one, or when the text itself starts like a prefix (or, with
    `guard`, like a %weight%) and would otherwise be misread."""
    explicit = fmt if fmt is not None and fmt != inherited else None
    looks_like_prefix = _split_format(text)[0] is not None
    if explicit is None and (force or looks_like_prefix or (guard and text.startswith("%"))):
        explicit = inherited
    return (f"[{explicit}]" if explicit else "") + _escape(text, specials)


def _escape(text: str, specials: str) -> str:
    return "".join(
        "\\" + char if char in specials else _escape_char(text, i) for i, char in enumerate(text)
    )


def _escape_title(title: str) -> str:
    # A title ends at the first '::', so a colon before another colon or at the end is escaped.
    return "".join(
        "\\:" if char == ":" and title[i + 1 : i + 2] in (":", "") else _escape_char(title, i)
        for i, char in enumerate(title)
    )


def _escape_char(text: str, i: int) -> str:
    char = text[i]
    if char == "\n":
        return "\\n"
    if char == "\\":
        # A backslash is literal unless it would read as an escape with what follows.
        following = text[i + 1 : i + 2]
        return "\\\\" if following in ("", "\n") or following in _ESCAPES else "\\"
    return char


def _percent(fraction: float) -> str:
    """A fraction as the percentage GIFT writes, exact for any float: 0.5 -> "50"."""
    return format((Decimal(repr(fraction)) * 100).normalize(), "f")


def _number_text(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)
