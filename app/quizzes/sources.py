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
from app.quizzes.gift import GiftError, Question, parse
from app.quizzes.kinds import KINDS

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
        params = {k: gettext(v) if k in TRANSLATED_PARAMS else v for k, v in self.params}
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
    bare = [piece.strip() for piece in pieces]
    bare[0] = pieces[0].removeprefix("\ufeff").strip()
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


def read_quiz(
    texts: Mapping[str, str], lessons: Collection[str], languages: tuple[str, ...] = LANGUAGES
) -> tuple[Quiz | None, list[QuizProblem]]:
    """Parse and check one quiz given as ``{language: GIFT text}``; ``lessons`` are the
    slugs of the module's lessons (the categories a question may name). Returns the quiz
    (None when there is any problem) and the problems found, by language and line."""
    problems: list[QuizProblem] = []
    parsed: dict[str, list[Question]] = {}
    splits: dict[str, Split] = {}
    for lang in languages:
        if lang not in texts:
            problems.append(
                _problem(
                    lang, 1, N_("no %(language)s file"), language=LANGUAGE_NAMES.get(lang, lang)
                )
            )
            continue
        try:
            parsed[lang] = parse(texts[lang])
        except GiftError as error:
            problems.append(_problem(lang, error.line, error.template, **error.params))
            continue
        splits[lang] = split(texts[lang])
        if len(splits[lang].slices) != len(parsed[lang]):
            problems.append(
                _problem(lang, 1, N_("could not tell the questions apart: end lines with \\n"))
            )
        problems.extend(_check_one(lang, parsed[lang], lessons))
    if problems:
        return None, problems
    base, *others = languages
    for lang in others:
        problems.extend(_compare(base, parsed[base], lang, parsed[lang]))
    if problems:
        return None, problems
    entries = tuple(
        PoolEntry(
            title=question.title,
            kind=question.kind,
            lesson=question.category or None,
            sources={lang: splits[lang].slices[n] for lang in languages},
            questions={lang: parsed[lang][n] for lang in languages},
        )
        for n, question in enumerate(parsed[base])
    )
    return Quiz(entries, {lang: splits[lang].trailer for lang in languages}), []


def _check_one(lang: str, questions: list[Question], lessons: Collection[str]) -> list[QuizProblem]:
    problems = []
    seen: dict[str, int] = {}
    bad_categories: set[str] = set()
    for q in questions:
        if not q.title:
            problems.append(
                _problem(
                    lang,
                    q.line,
                    N_(
                        "a question without a title: start it with ::id:: (the same id in "
                        "every language)"
                    ),
                )
            )
        elif q.title in seen:
            problems.append(
                _problem(
                    lang,
                    q.line,
                    N_("the title '%(title)s' is used twice (first on line %(first)s)"),
                    title=q.title,
                    first=seen[q.title],
                )
            )
        else:
            seen[q.title] = q.line
        if q.category and q.category not in lessons and q.category not in bad_categories:
            bad_categories.add(q.category)
            problems.append(
                _problem(
                    lang,
                    q.line,
                    N_(
                        "the category '%(category)s' is not a lesson of this module: write "
                        "$CATEGORY: and a lesson's slug (%(known)s)"
                    ),
                    category=q.category,
                    known=", ".join(sorted(lessons)) or "-",
                )
            )
    return problems


def _compare(
    base: str, base_questions: list[Question], lang: str, questions: list[Question]
) -> list[QuizProblem]:
    """Problems in ``lang``'s file where it does not match the ``base`` language."""
    name = LANGUAGE_NAMES.get(base, base)
    problems = []
    theirs = {q.title: q for q in base_questions}
    ours = {q.title: q for q in questions}
    for q in questions:
        if q.title not in theirs:
            problems.append(
                _problem(
                    lang,
                    q.line,
                    N_("the question '%(title)s' is not in the %(language)s file"),
                    title=q.title,
                    language=name,
                )
            )
    for q in base_questions:
        if q.title not in ours:
            problems.append(
                _problem(
                    lang,
                    1,
                    N_("the question '%(title)s' of the %(language)s file is missing here"),
                    title=q.title,
                    language=name,
                )
            )
    if problems:
        return problems
    for q, other in zip(questions, base_questions, strict=True):
        if q.title != other.title:
            problems.append(
                _problem(
                    lang,
                    q.line,
                    N_(
                        "the questions are not in the same order as in the %(language)s file "
                        "(expected '%(title)s' here)"
                    ),
                    language=name,
                    title=other.title,
                )
            )
            return problems
    for q in questions:
        other = theirs[q.title]
        if q.kind != other.kind:
            problems.append(
                _problem(
                    lang,
                    q.line,
                    N_(
                        "the question '%(title)s' is %(kind)s here but %(other_kind)s in the "
                        "%(language)s file"
                    ),
                    title=q.title,
                    kind=KINDS[q.kind].label,
                    other_kind=KINDS[other.kind].label,
                    language=name,
                )
            )
        elif [a.fraction for a in q.answers] != [a.fraction for a in other.answers]:
            problems.append(
                _problem(
                    lang,
                    q.line,
                    N_(
                        "the answers of '%(title)s' differ from the %(language)s file in "
                        "number, order or weight"
                    ),
                    title=q.title,
                    language=name,
                )
            )
        if q.category != other.category:
            problems.append(
                _problem(
                    lang,
                    q.line,
                    N_(
                        "the question '%(title)s' is in the category '%(category)s' here but "
                        "'%(other_category)s' in the %(language)s file"
                    ),
                    title=q.title,
                    category=q.category,
                    other_category=other.category,
                    language=name,
                )
            )
    return problems
