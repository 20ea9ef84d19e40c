"""Reading and writing the course as files (the exchange format of docs/authoring.md).
Pure: no Flask, no database.

``read_course(root)`` returns the modules it could read and every problem it found, as
``file:line: message``; ``write_course(modules, root)`` writes them back in the canonical
form, so that a course read from canonical files is written back byte for byte. A
module's quiz is ``quizzes/<module folder>.<lang>.gift``, read and written here exactly as
it is; what it says is the quizzes' business (app.quizzes.sources, checked by app.course).
"""

import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TypeVar

import tomli_w

from app.content.markdown import MAX_TITLE, MEDIA_PREFIX, lesson_problems
from app.content.media import MAX_BYTES, MediaProblem, Processed, process, safe_name
from app.languages import LANGUAGE_NAMES, LANGUAGES
from app.text import CONTROL_CHARACTER

T = TypeVar("T")

#: the largest whole number a setting may hold (what the database's integers hold)
LARGEST = 2**31 - 1
#: the course's tracks, in the order the catalogue shows them
TRACKS = ("foundations", "ladder", "crm")
#: when a quiz's review shows the right answers: after each attempt, once the learner has
#: passed, or once no attempt is left
REVEAL = ("after-attempt", "once-passed", "after-last-attempt")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MODULE_DIR = re.compile(r"^(?P<position>\d{2})-(?P<slug>[a-z0-9-]+)$")
KIND_NAMES: dict[type, str] = {
    int: "a whole number",
    str: "a text in quotes",
    list: "a list",
    dict: "a table",
    bool: "true or false",
}
LESSON_FILE = re.compile(r"^(?P<position>\d{2})-(?P<slug>[a-z0-9-]+)\.(?P<lang>[a-z]{2})\.md$")
QUIZ_FILE = re.compile(r"^(?P<dirname>\d{2}-[a-z0-9-]+)\.(?P<lang>[a-z]{2})\.gift$")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class QuizSettings:
    pass_mark: int = 70
    questions: int = 10
    attempts: int = 0
    shuffle: bool = True
    answers: str = "after-attempt"


@dataclass(frozen=True)
class LessonFile:
    slug: str
    position: int
    sources: dict[str, str]  # language -> Markdown source, exactly as in the file

    @property
    def stem(self) -> str:
        return f"{self.position:02d}-{self.slug}"


@dataclass(frozen=True)
class MediaFile:
    """One of a module's images or files, in courses/NN-slug/media/: its bytes exactly as
    in the file, and for an image its text for those who cannot see it, per language
    (media/media.toml)."""

    name: str
    data: bytes
    alt: dict[str, str] = field(default_factory=dict)
    #: what is stored of it, once checked (app.content.media.process)
    processed: Processed | None = field(default=None, compare=False, repr=False)


#: the folder of a module's media, and the file of their alt texts in it
MEDIA_DIR = MEDIA_PREFIX.rstrip("/")
MEDIA_TOML = "media.toml"
#: the longest text of an image for those who cannot see it (what its column holds)
MAX_ALT = 300


@dataclass(frozen=True)
class ModuleFile:
    slug: str
    position: int
    track: str
    step: int | None
    minutes: int
    source: str
    prerequisites: tuple[str, ...]
    title: dict[str, str]
    summary: dict[str, str]
    outcomes: dict[str, tuple[str, ...]]
    quiz: QuizSettings = field(default_factory=QuizSettings)
    lessons: tuple[LessonFile, ...] = ()
    #: language -> the quiz's GIFT text, exactly as in quizzes/<dirname>.<lang>.gift
    quiz_sources: dict[str, str] = field(default_factory=dict)
    #: no longer shown to learners
    retired: bool = False
    media: tuple[MediaFile, ...] = ()

    @property
    def dirname(self) -> str:
        return f"{self.position:02d}-{self.slug}"


def media_toml(media: Iterable[MediaFile]) -> str:
    """The canonical text of a module's media/media.toml: each image's alt texts under
    its name; "" when no medium has any."""
    data = {
        item.name: {lang: item.alt[lang] for lang in LANGUAGES if item.alt.get(lang)}
        for item in sorted(media, key=lambda item: item.name)
        if any(item.alt.values())
    }
    return tomli_w.dumps(data) if data else ""


def module_toml(module: ModuleFile) -> str:
    """The canonical text of a module's module.toml."""
    quiz: dict[str, object] = {
        "pass_mark": module.quiz.pass_mark,
        "questions": module.quiz.questions,
        "attempts": module.quiz.attempts,
        "shuffle": module.quiz.shuffle,
    }
    if module.quiz.answers != QuizSettings.answers:  # written only when not the default
        quiz["answers"] = module.quiz.answers
    data: dict[str, object] = {
        "slug": module.slug,
        "position": module.position,
        "track": module.track,
    }
    if module.step is not None:
        data["step"] = module.step
    if module.retired:
        data["retired"] = True
    data |= {
        "minutes": module.minutes,
        "source": module.source,
        "prerequisites": list(module.prerequisites),
        "title": {lang: module.title[lang] for lang in LANGUAGES},
        "summary": {lang: module.summary[lang] for lang in LANGUAGES},
        "outcomes": {lang: list(module.outcomes[lang]) for lang in LANGUAGES},
        "quiz": quiz,
    }
    return tomli_w.dumps(data)


def remove_folders(slugs: Iterable[str], root: Path) -> list[Path]:
    """Remove the folders (and quiz files) of the modules ``slugs`` under ``root``: a
    module's files under a name it no longer has. Return the files removed."""
    removed = []
    for slug in slugs:
        for folder in (root / "courses").glob(f"[0-9][0-9]-{slug}"):
            files = [*folder.rglob("*"), *(root / "quizzes").glob(f"{folder.name}.*.gift")]
            for path in sorted(files, reverse=True):  # a folder's files before the folder
                if path.is_dir():
                    path.rmdir()
                else:
                    path.unlink()
                    removed.append(path)
            folder.rmdir()
    return removed


def write_course(modules: Iterable[ModuleFile], root: Path) -> list[Path]:
    """Write each module's folder under ``root/courses``; return the files whose content
    changed (files already identical are left untouched)."""
    changed = []
    for module in modules:
        folder = root / "courses" / module.dirname
        files = {folder / "module.toml": module_toml(module)}
        for lesson in module.lessons:
            for lang, text in lesson.sources.items():
                files[folder / f"{lesson.stem}.{lang}.md"] = text
        for lang, text in module.quiz_sources.items():
            files[root / quiz_path(module.dirname, lang)] = text
        if alts := media_toml(module.media):
            files[folder / MEDIA_DIR / MEDIA_TOML] = alts
        for path, text in files.items():
            if path.exists() and path.read_text(encoding="utf-8") == text:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
            changed.append(path)
        for item in module.media:
            path = folder / MEDIA_DIR / item.name
            if path.is_file() and path.read_bytes() == item.data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(item.data)
            changed.append(path)
    return changed


def quiz_path(dirname: str, lang: str) -> str:
    """Where a module's quiz is kept in one language, relative to the content root."""
    return f"quizzes/{dirname}.{lang}.gift"


def _text(value: object) -> str | None:
    """The value when it is a text that is not blank."""
    return value if isinstance(value, str) and value.strip() else None


def _title(value: object) -> str | None:
    """The value when it is a text that is not blank and fits a title (MAX_TITLE)."""
    text = _text(value)
    return text if text is not None and len(text) <= MAX_TITLE else None


def _texts(value: object) -> tuple[str, ...] | None:
    """The value as a tuple when it is a non-empty list of texts that are not blank."""
    if isinstance(value, list) and value and all(_text(v) is not None for v in value):
        return tuple(value)
    return None


def read_content_text(path: Path, root: Path) -> tuple[str | None, list[Problem]]:
    """A content file's text, or None and why it cannot be used: it cannot be read (a
    folder where a file should be), is not UTF-8, or holds a control character, which no
    text of the course may hold; text that is not in NFC form is read, and reported."""
    shown = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        return None, [Problem(shown, 1, f"cannot be read: {err.strerror or err}")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return None, [Problem(shown, data[: err.start].count(b"\n") + 1, "not valid UTF-8 text")]
    if found := CONTROL_CHARACTER.search(text):
        line = text.count("\n", 0, found.start()) + 1
        return None, [Problem(shown, line, f"a control character (U+{ord(found[0]):04X})")]
    problems = []
    if not unicodedata.is_normalized("NFC", text):
        lines = enumerate(text.splitlines(), 1)
        line = next((n for n, ln in lines if not unicodedata.is_normalized("NFC", ln)), 1)
        problems.append(
            Problem(shown, line, "text is not in Unicode NFC form (diacritics decomposed)")
        )
    return text, problems


class _Reader:
    """Collects problems while reading one module folder."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []

    def problem(self, path: Path, line: int, message: str) -> None:
        try:
            shown = path.relative_to(self.root)
        except ValueError:
            shown = path
        self.problems.append(Problem(str(shown), line, message))

    def read_text(self, path: Path) -> str | None:
        text, problems = read_content_text(path, self.root)
        self.problems += problems
        return text

    def read_module(self, folder: Path) -> ModuleFile | None:
        path = folder / "module.toml"
        if not path.is_file():
            self.problem(folder, 1, "module folder without a module.toml")
            return None
        text = self.read_text(path)
        if text is None:
            return None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            found = re.search(r"line (\d+)", str(err))
            self.problem(path, int(found.group(1)) if found else 1, f"TOML syntax error: {err}")
            return None
        module = self._module_from(data, text, path, folder)
        if module is None:
            return None
        media, present = self.read_media(folder / MEDIA_DIR)
        lessons = self.read_lessons(folder, present)
        return replace(module, lessons=lessons, quiz_sources=self.read_quiz(module, lessons),
                       media=media)  # fmt: skip

    def read_media(self, folder: Path) -> tuple[tuple[MediaFile, ...], set[str]]:
        """The module's media that pass the checks of an upload, and the names of every
        file in media/ (a lesson may name one with a problem: that is reported once)."""
        if not folder.is_dir():
            return (), set()
        alts_path = folder / MEDIA_TOML
        alts = self._alts(alts_path) if alts_path.is_file() else {}
        media, present = [], set()
        for path in sorted(folder.iterdir()):
            if path.name == MEDIA_TOML or path.name.startswith("."):
                continue
            present.add(path.name)
            if not path.is_file():
                self.problem(path, 1, "unexpected folder: media/ holds files only")
                continue
            if safe_name(path.name) != path.name:
                safe = safe_name(path.name)
                message = "a media file's name holds only a-z, 0-9 and hyphens, then its "
                self.problem(path, 1, message + f"extension: rename it {safe}")
                continue
            if path.stat().st_size > MAX_BYTES:
                self.problem(path, 1, f"the file is larger than {MAX_BYTES // 2**20} MB")
                continue
            data = path.read_bytes()
            try:
                processed = process(data, path.name)
            except MediaProblem as problem:
                self.problem(path, 1, problem.text)
                continue
            alt = alts.pop(path.name, {})
            missing = [lang for lang in LANGUAGES if not alt.get(lang)]
            if processed.kind == "image" and missing:
                for lang in missing:
                    language = f"{LANGUAGE_NAMES[lang]} ('{lang}')"
                    message = f"needs the text for those who cannot see the image in {language}"
                    self.problem(alts_path, 1, f'["{path.name}"] {message}')
                continue
            media.append(MediaFile(path.name, data, alt if processed.kind == "image" else {},
                                   processed))  # fmt: skip
        for name in sorted(alts.keys() - present):
            self.problem(alts_path, 1, f'["{name}"]: no such file in media/')
        return tuple(media), present

    def _alts(self, path: Path) -> dict[str, dict[str, str]]:
        """media.toml: each image's alt text by language."""
        text = self.read_text(path)
        if text is None:
            return {}
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            found = re.search(r"line (\d+)", str(err))
            self.problem(path, int(found.group(1)) if found else 1, f"TOML syntax error: {err}")
            return {}
        alts = {}
        for name, table in data.items():
            texts = table if isinstance(table, dict) else {}
            if not texts or any(lang not in LANGUAGES or _text(v) is None
                                for lang, v in texts.items()):  # fmt: skip
                self.problem(path, 1, f'["{name}"] holds a text in quotes for each language, '
                                      'as vi = "…" and en = "…"')  # fmt: skip
                continue
            for lang, value in texts.items():
                if len(value) > MAX_ALT:
                    self.problem(path, 1, f'["{name}"] {lang}: the text is longer than '
                                          f"{MAX_ALT} characters: say what the image shows "
                                          "more briefly")  # fmt: skip
            alts[name] = dict(texts)
        return alts

    def read_quiz(self, module: ModuleFile, lessons: tuple[LessonFile, ...]) -> dict[str, str]:
        """The texts of the module's quiz files, one per language; none at all is no quiz."""
        for lesson in lessons:
            if lesson.slug == "quiz":  # /modules/<slug>/quiz is the quiz's address
                self.problem(
                    self.root / "courses" / module.dirname / f"{lesson.stem}.vi.md",
                    1,
                    "a lesson cannot be named 'quiz': that is the address of the module's quiz",
                )
        paths = {lang: self.root / quiz_path(module.dirname, lang) for lang in LANGUAGES}
        present = [lang for lang in LANGUAGES if paths[lang].is_file()]
        for lang in LANGUAGES:
            if present and lang not in present:
                expected = quiz_path(module.dirname, lang)
                message = f"no {LANGUAGE_NAMES[lang]} translation (expected {expected})"
                self.problem(paths[present[0]], 1, message)
        texts = {lang: self.read_text(paths[lang]) for lang in present}
        return {lang: text for lang, text in texts.items() if text is not None}

    def _module_from(
        self, data: Mapping[str, object], text: str, path: Path, folder: Path
    ) -> ModuleFile | None:
        before = len(self.problems)

        def line(key: str) -> int:
            found = re.search(rf"^[ \t]*(\[{key}\]|{key}\s*=)", text, re.MULTILINE)
            return text.count("\n", 0, found.start()) + 1 if found else 1

        def get(key: str, kind: type[T], required: bool = True) -> T | None:
            value = data.get(key)
            if value is None:
                if required:
                    self.problem(path, 1, f"missing key '{key}'")
                return None
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                self.problem(path, line(key), f"'{key}' must be {KIND_NAMES[kind]}")
                return None
            if isinstance(value, int) and abs(value) > LARGEST:
                self.problem(path, line(key), f"'{key}' is too large a number")
                return None
            return value

        def per_language(key: str, read: Callable[[object], T | None], what: str) -> dict[str, T]:
            table = get(key, dict) or {}
            values = {}
            for lang in LANGUAGES:
                value = read(table.get(lang))
                if value is not None:
                    values[lang] = value
                    continue
                self.problem(
                    path, line(key), f"[{key}] needs {what} in {LANGUAGE_NAMES[lang]} ('{lang}')"
                )
            return values

        slug, position = get("slug", str), get("position", int)
        track, step = get("track", str), get("step", int, required=False)
        minutes, source = get("minutes", int), get("source", str)
        prerequisites = get("prerequisites", list)
        retired = get("retired", bool, required=False) or False
        title = per_language("title", _title, f"a text of at most {MAX_TITLE} characters")
        summary = per_language("summary", _text, "a text")
        outcomes = per_language("outcomes", _texts, "a non-empty list of texts")
        quiz = self._quiz_from(get("quiz", dict, required=False) or {}, path, line("quiz"))

        if slug is not None and not SLUG.match(slug):
            self.problem(path, line("slug"), "slug may hold only a-z, 0-9 and hyphens")
        if slug is not None and position is not None:
            expected = f"{position:02d}-{slug}"
            if folder.name != expected:
                message = f"folder should be named '{expected}' after slug and position"
                self.problem(path, line("slug"), message)
        if track is not None and track not in TRACKS:
            self.problem(path, line("track"), f"track must be one of {', '.join(TRACKS)}")
        if track == "ladder" and step is None:
            self.problem(path, line("track"), "a ladder module needs a 'step' from 1 to 7")
        if step is not None and not 1 <= step <= 7:
            self.problem(path, line("step"), "step must be from 1 to 7")
        if minutes is not None and minutes <= 0:
            self.problem(path, line("minutes"), "minutes must be a positive number")
        if prerequisites is not None and not all(isinstance(p, str) for p in prerequisites):
            self.problem(path, line("prerequisites"), "prerequisites must be a list of slugs")
        if len(outcomes) == 2 and len(outcomes["vi"]) != len(outcomes["en"]):
            self.problem(path, line("outcomes"), "outcomes differ in number between languages")
        known = {"slug", "position", "track", "step", "minutes", "source", "prerequisites",
                 "retired"}  # fmt: skip
        for key in data.keys() - known - {"title", "summary", "outcomes", "quiz"}:
            self.problem(path, line(key), f"unknown key '{key}'")
        if len(self.problems) > before:
            return None
        # a required key that is missing has been reported above
        assert slug is not None and position is not None and track is not None
        assert minutes is not None and source is not None and prerequisites is not None
        return ModuleFile(
            slug=slug,
            position=position,
            track=track,
            step=step,
            minutes=minutes,
            source=source,
            prerequisites=tuple(prerequisites),
            title=title,
            summary=summary,
            outcomes=outcomes,
            quiz=quiz,
            retired=retired,
        )

    def _quiz_from(self, table: Mapping[str, object], path: Path, line: int) -> QuizSettings:
        defaults = QuizSettings()

        def setting(key: str, default: T) -> T:
            value = table.get(key, default)
            if type(value) is not type(default):
                self.problem(path, line, f"quiz.{key} must be {KIND_NAMES[type(default)]}")
                return default
            if isinstance(value, int) and abs(value) > LARGEST:
                self.problem(path, line, f"quiz.{key} is too large a number")
                return default
            return value

        quiz = QuizSettings(
            pass_mark=setting("pass_mark", defaults.pass_mark),
            questions=setting("questions", defaults.questions),
            attempts=setting("attempts", defaults.attempts),
            shuffle=setting("shuffle", defaults.shuffle),
            answers=setting("answers", defaults.answers),
        )
        for key in table.keys() - {f.name for f in fields(QuizSettings)}:
            self.problem(path, line, f"unknown quiz setting '{key}'")
        if not 0 <= quiz.pass_mark <= 100:
            self.problem(path, line, "quiz.pass_mark is a percentage from 0 to 100")
        if quiz.questions < 0 or quiz.attempts < 0:
            self.problem(path, line, "quiz.questions and quiz.attempts cannot be negative")
        if quiz.answers not in REVEAL:
            self.problem(path, line, f"quiz.answers must be one of {', '.join(REVEAL)}")
        return quiz

    def read_lessons(self, folder: Path, media: set[str]) -> tuple[LessonFile, ...]:
        found: dict[tuple[int, str], dict[str, str]] = {}
        paths: dict[tuple[int, str], Path] = {}
        for path in sorted(folder.iterdir()):
            if path.name in ("module.toml", MEDIA_DIR) or path.name.startswith("."):
                continue
            match = LESSON_FILE.match(path.name)
            if not match or match["lang"] not in LANGUAGES:
                self.problem(path, 1, "unexpected file: lessons are named NN-slug.vi.md / .en.md")
                continue
            text = self.read_text(path)
            if text is None:
                continue
            for problem in lesson_problems(text, media):
                self.problem(path, problem.line, problem.text)
            key = (int(match["position"]), match["slug"])
            found.setdefault(key, {})[match["lang"]] = text
            paths[key] = path
        lessons = []
        positions: dict[int, str] = {}
        for (position, slug), sources in sorted(found.items()):
            for lang in LANGUAGES:
                if lang not in sources:
                    self.problem(
                        paths[(position, slug)],
                        1,
                        f"no {LANGUAGE_NAMES[lang]} translation "
                        f"(expected {position:02d}-{slug}.{lang}.md)",
                    )
            if position in positions:
                self.problem(paths[(position, slug)], 1, f"lesson number {position:02d} used twice")
            positions[position] = slug
            lessons.append(LessonFile(slug=slug, position=position, sources=sources))
        if not lessons:
            self.problem(folder / "module.toml", 1, "the module has no lessons")
        return tuple(lessons)


def read_course(root: Path) -> tuple[list[ModuleFile], list[Problem]]:
    """Read every module folder under ``root/courses``; return the modules and the
    problems found (a module with a problem in its module.toml is left out)."""
    reader = _Reader(root)
    courses = root / "courses"
    if not courses.is_dir():
        reader.problem(courses, 1, "no courses/ folder here")
        return [], reader.problems
    modules, slugs = [], set()
    for folder in sorted(p for p in courses.iterdir() if p.is_dir()):
        match = MODULE_DIR.match(folder.name)
        if match:
            slugs.add(match["slug"])
        else:
            reader.problem(folder, 1, "module folders are named NN-slug, e.g. 01-foundations")
            continue
        module = reader.read_module(folder)
        if module is not None:
            modules.append(module)
    reader.problems.extend(check_modules(modules, slugs))
    quizzes = root / "quizzes"
    if quizzes.is_dir():
        folders = {p.name for p in courses.iterdir() if p.is_dir()}
        for path in sorted(quizzes.iterdir()):
            match = QUIZ_FILE.match(path.name)
            if path.name.startswith("."):
                continue
            if not match or match["lang"] not in LANGUAGES:
                reader.problem(
                    path, 1, "unexpected file: quizzes are named NN-slug.vi.gift / .en.gift"
                )
            elif match["dirname"] not in folders:
                reader.problem(
                    path, 1, f"no module folder courses/{match['dirname']} for this quiz"
                )
    return modules, reader.problems


def check_modules(modules: list[ModuleFile], folder_slugs: set[str]) -> list[Problem]:
    """Checks across modules: unique slugs and positions, known prerequisites, no cycles.
    A prerequisite whose folder exists but could not be read is not reported again."""
    problems = []
    by_slug = {m.slug: m for m in modules}

    def where(module: ModuleFile) -> str:
        return str(Path("courses") / module.dirname / "module.toml")

    seen_positions: dict[int, str] = {}
    seen_slugs: set[str] = set()
    for module in modules:
        if module.slug in seen_slugs:
            problems.append(Problem(where(module), 1, f"slug '{module.slug}' is used twice"))
        seen_slugs.add(module.slug)
        if module.position in seen_positions:
            problems.append(
                Problem(
                    where(module),
                    1,
                    f"position {module.position} is also used by "
                    f"'{seen_positions[module.position]}'",
                )
            )
        seen_positions[module.position] = module.slug
        for slug in module.prerequisites:
            if slug not in by_slug and slug not in folder_slugs:
                problems.append(Problem(where(module), 1, f"unknown prerequisite '{slug}'"))
            elif slug == module.slug:
                problems.append(Problem(where(module), 1, "a module cannot require itself"))
    for module in modules:
        if _in_cycle(module.slug, by_slug):
            problems.append(Problem(where(module), 1, "prerequisites form a cycle"))
    return problems


def _in_cycle(start: str, by_slug: dict[str, ModuleFile]) -> bool:
    stack, seen = [p for p in by_slug[start].prerequisites if p != start], set()
    while stack:
        slug = stack.pop()
        if slug == start:
            return True
        if slug in seen or slug not in by_slug:
            continue
        seen.add(slug)
        stack.extend(by_slug[slug].prerequisites)
    return False
