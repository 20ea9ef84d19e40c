"""The whole course as files, in one place: check, import and export everything under a
content root (modules and lessons, their quizzes, the glossary and the assessment) with
one report. The command line and the tests call it; each feature reads and writes its own
part, so that none of them needs another's."""

from dataclasses import dataclass, field, replace
from pathlib import Path

from app.assessment import services as assessment_services
from app.assessment.instrument import read_instrument, write_instrument
from app.content import services as content_services
from app.content.files import (
    ModuleFile,
    Problem,
    quiz_path,
    read_course,
    remove_folders,
    write_course,
)
from app.content.glossary import Term, read_glossary, write_glossary
from app.content.services import ImportReport
from app.languages import LANGUAGES
from app.quizzes.services import files as quiz_files
from app.quizzes.sources import read_quiz
from app.search import services as search_services


@dataclass(frozen=True)
class CourseFiles:
    """Everything read under a content root, and every problem found in it. Read with
    ``keep_going``, a quiz question with a problem is left out (listed in ``left_out``)
    instead of stopping the import."""

    modules: list[ModuleFile]
    terms: list[Term]
    instrument: str | None
    problems: list[Problem]
    left_out: list[Problem] = field(default_factory=list)
    keep_going: bool = False

    @property
    def lessons(self) -> int:
        return sum(len(module.lessons) for module in self.modules)


def read(root: Path, keep_going: bool = False) -> CourseFiles:
    """Read and check the course under ``root``."""
    modules, problems = read_course(root)
    left_out = []
    for module in modules:
        quiz_problems, importable = _quiz_problems(module, keep_going)
        (left_out if importable else problems).extend(quiz_problems)
    known = {m.slug for m in modules} | {p.name[3:] for p in (root / "courses").glob("??-*")}
    terms, glossary_problems = read_glossary(root, known)
    instrument, instrument_problems = read_instrument(root, known)
    problems += glossary_problems + instrument_problems
    return CourseFiles(modules, terms, instrument, problems, left_out, keep_going)


def _quiz_problems(module: ModuleFile, keep_going: bool) -> tuple[list[Problem], bool]:
    """The problems of the module's quiz files, by file and line, and whether the quiz
    can be imported nonetheless (``keep_going`` leaving those questions out). A missing
    language has been reported with the files; nothing more to say until it is there."""
    texts = module.quiz_sources
    if not texts or any(lang not in texts for lang in LANGUAGES):
        return [], True
    lessons = {lesson.slug for lesson in module.lessons}
    quiz, problems = read_quiz(texts, lessons, keep_going=keep_going)
    found = [
        Problem(quiz_path(module.dirname, problem.lang), problem.line, problem.message)
        for problem in problems
    ]
    return found, quiz is not None


def import_files(files: CourseFiles, force: bool = False) -> ImportReport:
    """Load checked files into the database (the caller commits): modules and lessons,
    each module's quiz, the glossary, the assessment, and search's index of them when
    anything changed. Nothing edited in the browser since the last import is overwritten
    unless ``force``; the report says what was kept."""
    report = content_services.import_course(files.modules, force=force)
    ids = content_services.module_ids()
    for module in files.modules:
        if module.slug not in ids:  # a folder under a former name, reported above
            continue
        lessons = {lesson.slug for lesson in module.lessons}
        outcome = quiz_files.import_quiz(
            ids[module.slug], module.quiz_sources, lessons, force, files.keep_going
        )
        name = f"quiz {module.slug}"
        if outcome.action == "conflict":
            report.conflicts.append(
                f"{name}: {outcome.summary}; not overwritten (import with --force to replace it)"
            )
        elif outcome.action is not None:
            line = f"{name} ({outcome.summary})" if outcome.summary else name
            getattr(report, outcome.action).append(line)
    report.extend(content_services.import_glossary(files.terms, force=force))
    if files.instrument is not None and assessment_services.import_instrument(files.instrument):
        report.updated.append("assessment")
    if report.changed:
        search_services.index_everything()
    return report


def export(root: Path) -> list[Path]:
    """Write the database's course as files under ``root``; return the files written
    (files that are already the same are left alone), and those removed: the folders and
    quizzes of modules under the names they had before being renamed."""
    quizzes = quiz_files.export_sources()
    modules = [
        replace(module, quiz_sources=quizzes.get(module_id, {}))
        for module_id, module in content_services.export_course()
    ]
    changed = write_course(modules, root)
    changed += remove_folders(content_services.former_slugs(), root)
    changed += write_glossary(content_services.export_glossary(), root)
    changed += write_instrument(assessment_services.export_instrument(), root)
    return changed
