"""A module's quiz as files: one GIFT text per language, read together. Pure: no Flask,
no database.

`read_quiz(texts, lessons)` parses every language, checks that the languages agree and
returns one `PoolEntry` per question with the exact text of that question in each
language (its *source slice*), so that the files can be written back byte for byte:
``join(slices, trailer) == text``.

A question's slice runs from the end of the previous question to the end of its own last
line, so it carries the comment and `$CATEGORY:` lines written before it. The text after
the last question (blank lines, comments) is the file's *trailer*.

Lesson mapping: a `$CATEGORY: <lesson-slug>` line puts the questions after it in that
lesson of the module (until the next `$CATEGORY:` line); a question outside any category
belongs to the module as a whole.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from app.languages import LANGUAGE_NAMES, LANGUAGES, N_
from app.quizzes.gift import GiftError, Question, parse_each, without_bom
from app.quizzes.kinds import KINDS
from app.text import CONTROL_CHARACTER

# Parameters whose values are words of ours (language and kind names), translated too.
TRANSLATED_PARAMS = ("language", "kind", "other_kind")
_CATEGORY = "$CATEGORY:"


@dataclass(frozen=True)
class QuizProblem:
    """A problem in one language's file; `line` is 1-based. `message` reads it in
    English; `translated(gettext)` in the reader's language."""

    lang: str
    line: int
    template: str
    params: tuple[tuple[str, object], ...] = ()

    @property
    def message(self) -> str:
        return self.template % dict(self.params)

    def translated(self, gettext: Callable[[str], str]) -> str:
        params = {
            k: gettext(v) if k in TRANSLATED_PARAMS and isinstance(v, str) else v
            for k, v in self.params
        }
        return gettext(self.template) % params


def _problem(lang: str, line: int, template: str, **params: object) -> QuizProblem:
    return QuizProblem(lang, line, template, tuple(params.items()))


@dataclass(frozen=True)
class Split:
    slices: tuple[str, ...]
    trailer: str


@dataclass(frozen=True)
class PoolEntry:
    """One question of the pool in every language."""

    title: str
    kind: str
    lesson: str | None
    sources: Mapping[str, str] = field(default_factory=dict)  # language -> source slice
    questions: Mapping[str, Question] = field(default_factory=dict)  # language -> parsed


@dataclass(frozen=True)
class Quiz:
    entries: tuple[PoolEntry, ...]
    trailers: Mapping[str, str]


def split(text: str) -> Split:
    """Cut a GIFT text into one slice per question, the way `gift.parse` finds questions
    (blank lines separate them; comment lines do not count; a block that holds only a
    `$CATEGORY:` line is not a question), plus the trailer."""
    pieces = [line + "\n" for line in text.split("\n")]
    pieces[-1] = pieces[-1][:-1]
    bare = [without_bom(piece).strip() for piece in pieces]
    slices: list[str] = []
    start = 0
    block: list[int] = []

    def close() -> None:
        nonlocal start
        content = [i for i in block if not bare[i].startswith("//")]
        if content and bare[content[0]].startswith(_CATEGORY):
            content = content[1:]
        if content:
            slices.append("".join(pieces[start : block[-1] + 1]))
            start = block[-1] + 1
        block.clear()

    for i in range(len(pieces)):
        if bare[i]:
            block.append(i)
        else:
            close()
    close()
    return Split(tuple(slices), "".join(pieces[start:]))


def join(slices: Collection[str], trailer: str) -> str:
    """The file text back from its slices and trailer."""
    return "".join(slices) + trailer


def _title_of(source: str) -> str | None:
    """The ::title:: of a question's source slice, read without parsing the question (for
    one that cannot be parsed)."""
    for line in source.split("\n"):
        bare = without_bom(line).strip()
        if bare and not bare.startswith(("//", _CATEGORY)):
            title, sep, _rest = bare.removeprefix("::").partition("::")
            return title.strip() if bare.startswith("::") and sep else None
    return None


def read_quiz(
    texts: Mapping[str, str],
    lessons: Collection[str],
    languages: tuple[str, ...] = LANGUAGES,
    keep_going: bool = False,
) -> tuple[Quiz | None, list[QuizProblem]]:
    """Parse and check one quiz given as ``{language: GIFT text}``; ``lessons`` are the
    slugs of the module's lessons (the categories a question may name). Returns the quiz
    and the problems found, by language and line.

    By default any problem refuses the whole quiz (None). With ``keep_going`` a question
    with a problem in any language is left out of every language and the quiz holds the
    others; a problem that concerns no one question (a missing file, questions in another
    order) still refuses the whole quiz, as does a quiz left with no question at all.
    """
    problems: list[QuizProblem] = []
    read: dict[str, tuple[list[Question | GiftError], Split]] = {}
    for lang in languages:
        if lang not in texts:
            name = LANGUAGE_NAMES.get(lang, lang)
            problems.append(_problem(lang, 1, N_("no %(language)s file"), language=name))
            continue
        if control := CONTROL_CHARACTER.search(texts[lang]):
            line = texts[lang].count("\n", 0, control.start()) + 1
            code = f"U+{ord(control[0]):04X}"
            problems.append(_problem(lang, line, N_("a control character (%(code)s)"), code=code))
            continue
        items, parts = parse_each(texts[lang]), split(texts[lang])
        if len(items) != len(parts.slices):
            problems.append(
                _problem(lang, 1, N_("could not tell the questions apart: end lines with \\n"))
            )
            continue
        read[lang] = items, parts
    if problems:
        return None, problems

    left_out: set[str | None] = set()  # titles of the questions with a problem
    questions: dict[str, dict[str, tuple[Question, str]]] = {}  # lang -> title -> (q, slice)
    for lang, (items, parts) in read.items():
        good = []
        for item, source in zip(items, parts.slices, strict=True):
            if isinstance(item, GiftError):
                problems.append(_problem(lang, item.line, item.template, **item.params))
                left_out.add(_title_of(source))
            else:
                good.append((item, source))
        for title, problem in _check_one(lang, [q for q, _source in good], lessons):
            if problem is not None:
                problems.append(problem)
            left_out.add(title)
        questions[lang] = {q.title: (q, source) for q, source in good}

    if problems and not keep_going:
        return None, problems  # comparing the languages would only repeat them
    base, *others = languages
    for lang in others:
        found, fatal = _compare(base, questions[base], lang, questions[lang], left_out)
        problems.extend(problem for _title, problem in found)
        left_out.update(title for title, _problem in found)
        if fatal:
            return None, problems
    entries = tuple(
        PoolEntry(
            title=title,
            kind=question.kind,
            lesson=question.category or None,
            sources={lang: questions[lang][title][1] for lang in languages},
            questions={lang: questions[lang][title][0] for lang in languages},
        )
        for title, (question, _source) in questions[base].items()
        if title not in left_out
    )
    if problems and (not keep_going or not entries):
        return None, problems
    return Quiz(entries, {lang: read[lang][1].trailer for lang in languages}), problems


def _check_one(
    lang: str, questions: list[Question], lessons: Collection[str]
) -> list[tuple[str, QuizProblem | None]]:
    """The questions of one language's file that break a rule of the quiz, by title, each
    with its problem (None when the problem was said already, for another question)."""
    found: list[tuple[str, QuizProblem | None]] = []
    seen: dict[str, int] = {}
    bad_categories: set[str] = set()
    for q in questions:
        if not q.title:
            message = N_(
                "a question without a title: start it with ::id:: (the same id in every language)"
            )
            found.append((q.title, _problem(lang, q.line, message)))
        elif q.title in seen:
            found.append(
                (
                    q.title,
                    _problem(
                        lang,
                        q.line,
                        N_("the title '%(title)s' is used twice (first on line %(first)s)"),
                        title=q.title,
                        first=seen[q.title],
                    ),
                )
            )
        else:
            seen[q.title] = q.line
        if q.category and q.category not in lessons:
            problem = None
            if q.category not in bad_categories:
                bad_categories.add(q.category)
                problem = _problem(
                    lang,
                    q.line,
                    N_(
                        "the category '%(category)s' is not a lesson of this module: write "
                        "$CATEGORY: and a lesson's slug (%(known)s)"
                    ),
                    category=q.category,
                    known=", ".join(sorted(lessons)) or "-",
                )
            found.append((q.title, problem))
    return found


def _compare(
    base: str,
    theirs: Mapping[str, tuple[Question, str]],
    lang: str,
    ours: Mapping[str, tuple[Question, str]],
    left_out: set[str | None],
) -> tuple[list[tuple[str, QuizProblem]], bool]:
    """Where ``lang``'s file does not match the ``base`` language: the questions that
    differ, by title, each with its problem, and whether the files cannot be matched at
    all (their questions are in different orders). Questions already left out are not
    compared."""
    name = LANGUAGE_NAMES.get(base, base)
    found: list[tuple[str, QuizProblem]] = []
    for title, (q, _source) in ours.items():
        if title not in theirs and title not in left_out:
            message = N_("the question '%(title)s' is not in the %(language)s file")
            found.append((title, _problem(lang, q.line, message, title=title, language=name)))
    for title in theirs:
        if title not in ours and title not in left_out:
            message = N_("the question '%(title)s' of the %(language)s file is missing here")
            found.append((title, _problem(lang, 1, message, title=title, language=name)))
    dropped = left_out | {title for title, _problem in found}
    order = [title for title in ours if title not in dropped]
    expected = [title for title in theirs if title not in dropped]
    for title, expected_title in zip(order, expected, strict=True):
        if title != expected_title:
            problem = _problem(
                lang,
                ours[title][0].line,
                N_(
                    "the questions are not in the same order as in the %(language)s file "
                    "(expected '%(title)s' here)"
                ),
                language=name,
                title=expected_title,
            )
            return [*found, (title, problem)], True
    for title in order:
        q, other = ours[title][0], theirs[title][0]
        if q.kind != other.kind:
            message = N_(
                "the question '%(title)s' is %(kind)s here but %(other_kind)s in the "
                "%(language)s file"
            )
            params = {"kind": KINDS[q.kind].label, "other_kind": KINDS[other.kind].label}
            found.append(
                (title, _problem(lang, q.line, message, title=title, language=name, **params))
            )
        elif [a.fraction for a in q.answers] != [a.fraction for a in other.answers]:
            message = N_(
                "the answers of '%(title)s' differ from the %(language)s file in "
                "number, order or weight"
            )
            found.append((title, _problem(lang, q.line, message, title=title, language=name)))
        if q.category != other.category:
            message = N_(
                "the question '%(title)s' is in the category '%(category)s' here but "
                "'%(other_category)s' in the %(language)s file"
            )
            found.append(
                (
                    title,
                    _problem(
                        lang,
                        q.line,
                        message,
                        title=title,
                        category=q.category,
                        other_category=other.category,
                        language=name,
                    ),
                )
            )
    return found, False
