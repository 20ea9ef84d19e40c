"""Loading modules, lessons and the glossary from their files into the database, and
writing the database back as files (app.course does the same for the whole course).

Import is idempotent: a second run finds nothing to change. It never silently overwrites
an edit made in the browser: each module and lesson remembers the digest of what was last
imported, and a record whose text has changed since then is reported as a conflict and
left alone unless the import is forced. Services flush; the caller commits once.
"""

from collections import Counter
from dataclasses import dataclass, field, replace

from blinker import Namespace
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer

from app.cache import bump_version
from app.content.files import LessonFile, MediaFile, ModuleFile, QuizSettings, module_toml
from app.content.glossary import Term
from app.content.markdown import MediaLink, render
from app.content.media import PHONE_WIDTH, Processed, process, sha256
from app.content.models import (
    FormerSlug,
    GlossaryTerm,
    GlossaryTranslation,
    Lesson,
    LessonRevision,
    LessonTranslation,
    Module,
    ModuleMedia,
    ModuleTranslation,
)
from app.db_types import utcnow
from app.extensions import db
from app.languages import LANGUAGES
from app.text import digest


@dataclass
class ImportReport:
    """What an import did, one line per thing: created, updated or removed, and what it
    left alone (``conflicts``: edited in the browser; ``kept``: no longer in the files)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def summary(self) -> str:
        """One line: how many things of each kind were created, updated and removed, as
        "created 11 modules, 35 lessons; updated 1 quiz"; "" when nothing changed."""
        parts = []
        for action in ("created", "updated", "removed"):
            things = Counter(name.split(" ", 1)[0] for name in getattr(self, action))
            if things:
                counts = (f"{n} {_plural(kind) if n > 1 else kind}" for kind, n in things.items())
                parts.append(f"{action} " + ", ".join(counts))
        return "; ".join(parts)

    def extend(self, other: "ImportReport") -> None:
        for name in ("created", "updated", "removed", "conflicts", "kept"):
            getattr(self, name).extend(getattr(other, name))


def _plural(kind: str) -> str:
    return {"quiz": "quizzes", "media": "media"}.get(kind, f"{kind}s")


def module_file_of(module: Module, with_lessons: bool = True) -> ModuleFile:
    """The file form of a module as the database holds it."""
    texts = module.translations
    lessons = ()
    if with_lessons:
        lessons = tuple(
            LessonFile(
                slug=lesson.slug,
                position=lesson.position,
                sources={
                    lang: lesson.translations[lang].source
                    for lang in LANGUAGES
                    if lang in lesson.translations
                },
            )
            for lesson in module.lessons
        )
    return ModuleFile(
        slug=module.slug,
        position=module.position,
        track=module.track,
        step=module.step,
        minutes=module.minutes,
        source=module.source,
        prerequisites=tuple(p.slug for p in module.prerequisites),
        title={lang: texts[lang].title for lang in LANGUAGES},
        summary={lang: texts[lang].summary for lang in LANGUAGES},
        outcomes={lang: tuple(texts[lang].outcomes) for lang in LANGUAGES},
        quiz=QuizSettings(
            pass_mark=module.pass_mark,
            questions=module.quiz_questions,
            attempts=module.quiz_attempts,
            shuffle=module.quiz_shuffle,
            answers=module.quiz_answers,
        ),
        lessons=lessons,
        retired=module.retired,
    )


def _load_modules() -> dict[str, Module]:
    stmt = select(Module).options(selectinload(Module.lessons), selectinload(Module.prerequisites))
    return {m.slug: m for m in db.session.scalars(stmt)}


def _apply_module(module: Module, data: ModuleFile) -> None:
    module.position = data.position
    module.track = data.track
    module.step = data.step
    module.minutes = data.minutes
    module.source = data.source
    module.pass_mark = data.quiz.pass_mark
    module.quiz_questions = data.quiz.questions
    module.quiz_attempts = data.quiz.attempts
    module.quiz_shuffle = data.quiz.shuffle
    module.quiz_answers = data.quiz.answers
    if data.retired != module.retired:
        module.retired_at = utcnow() if data.retired else None
    for lang in LANGUAGES:
        text = module.translations.get(lang)
        if text is None:
            text = module.translations[lang] = ModuleTranslation(
                locale=lang, title="", summary="", outcomes=[]
            )
        text.title = data.title[lang]
        text.summary = data.summary[lang]
        text.outcomes = list(data.outcomes[lang])


def _apply_lesson_text(lesson: Lesson, lang: str, source: str, media: dict[str, MediaLink]) -> None:
    rendered = render(source, media)
    text = lesson.translations.get(lang)
    if text is None:
        text = lesson.translations[lang] = LessonTranslation(
            locale=lang, title="", source="", html=""
        )
    text.title = rendered.title
    text.source = source
    text.html = rendered.html
    text.imported_digest = digest(source)
    text.out_of_date = False  # the files hold both languages as they are meant to be
    now = utcnow()
    text.revision = LessonRevision(lesson=lesson, locale=lang, title=rendered.title,
                                   source=source, created_at=now, published_at=now)  # fmt: skip


def import_course(modules: list[ModuleFile], force: bool = False) -> ImportReport:
    """Create or update every module and lesson from its files. Positions are moved out of
    the way first so that reordering modules or lessons never breaks a unique index."""
    report = ImportReport()
    existing = _load_modules()
    incoming = {m.slug for m in modules}
    for slug in sorted(existing.keys() - incoming):
        report.kept.append(f"module {slug}: in the database but not in the files; kept")

    renamed: dict[str, str] = dict(db.session.execute(
        select(FormerSlug.slug, Module.slug).join(Module, Module.id == FormerSlug.module_id)
    ).all())  # fmt: skip
    plans = []
    for data in modules:
        module = existing.get(data.slug)
        if module is None and data.slug in renamed:
            report.conflicts.append(
                f"module {data.slug}: renamed {renamed[data.slug]} in the browser; its old "
                "folder is not imported (export the course to write it under its new name)"
            )
            continue
        wanted = digest(module_toml(data))
        if module is None:
            module = Module(slug=data.slug)
            _apply_module(module, data)
            db.session.add(module)
            plans.append((module, data, wanted, "created"))
            continue
        current = digest(module_toml(module_file_of(module, with_lessons=False)))
        if current == wanted:
            plans.append((module, data, wanted, None))
        elif current == module.imported_digest or force:
            plans.append((module, data, wanted, "updated"))
        else:
            report.conflicts.append(
                f"module {data.slug}: changed in the browser since the last import; not "
                "overwritten (import with --force to replace it)"
            )
            plans.append((module, data, wanted, "conflict"))

    moved = [
        m
        for m, data, _w, action in plans
        if action and action != "conflict" and m.id is not None and m.position != data.position
    ]
    for offset, module in enumerate(moved, start=1):
        module.position = -offset
    db.session.flush()

    by_slug = {**existing}
    for module, data, wanted, action in plans:
        by_slug[data.slug] = module
        if action in ("created", "updated"):
            _apply_module(module, data)
            module.imported_digest = wanted
            getattr(report, action).append(f"module {data.slug}")
        elif action is None and module.imported_digest != wanted:
            module.imported_digest = wanted
    db.session.flush()
    for module, data, _wanted, action in plans:
        if action in ("created", "updated"):
            module.prerequisites = [by_slug[s] for s in data.prerequisites]
        _import_media(module, data, report, force)
        _import_lessons(module, data, report, force)
    if report.changed:
        bump_version()
        db.session.flush()
        course_changed.send(current_app._get_current_object(), module_ids=None)
    db.session.flush()
    return report


#: sent when modules' lessons or quizzes changed, with their ``module_ids`` (None: any
#: module); what is kept of each learner's standing in a module is counted again
course_changed = Namespace().signal("course-changed")
#: sent when a module's identifier changed from ``old`` to ``new``: what names modules by
#: identifier (the glossary, the assessment) names it anew
module_renamed = Namespace().signal("module-renamed")


@module_renamed.connect
def _rename_in_glossary(app, old: str, new: str) -> None:
    for term in db.session.scalars(select(GlossaryTerm)):
        if old in term.modules:  # a change made in the browser: an import keeps it
            term.modules = [new if slug == old else slug for slug in term.modules]
            term.edited_at = utcnow()


def _import_lessons(module: Module, data: ModuleFile, report: ImportReport, force: bool) -> None:
    media = media_links(module.id)
    lessons = {lesson.slug: lesson for lesson in module.lessons}
    wanted = {lesson.slug for lesson in data.lessons}
    for slug in sorted(lessons.keys() - wanted):
        lesson = lessons[slug]
        untouched = all(digest(t.source) == t.imported_digest for t in lesson.translations.values())
        if force or untouched:
            module.lessons.remove(lesson)
            report.removed.append(f"lesson {module.slug}/{slug}")
        else:
            report.conflicts.append(
                f"lesson {module.slug}/{slug}: no longer in the files but edited in the "
                "browser; kept"
            )
    moved = [
        lessons[f.slug]
        for f in data.lessons
        if f.slug in lessons and lessons[f.slug].position != f.position
    ]
    for offset, lesson in enumerate(moved, start=1):
        lesson.position = -offset
    if moved:
        db.session.flush()
    for item in data.lessons:
        lesson = lessons.get(item.slug)
        name = f"lesson {module.slug}/{item.stem}"
        if lesson is None:
            lesson = Lesson(slug=item.slug, position=item.position)
            module.lessons.append(lesson)
            for lang, source in item.sources.items():
                _apply_lesson_text(lesson, lang, source, media)
            report.created.append(name)
            continue
        changed = lesson.position != item.position
        lesson.position = item.position
        for lang, source in item.sources.items():
            text = lesson.translations.get(lang)
            if text is not None and text.source == source:
                changed |= _render_again(text, media)
                continue
            if text is not None and digest(text.source) != text.imported_digest and not force:
                report.conflicts.append(
                    f"{name}.{lang}: changed in the browser since the last import; not "
                    "overwritten (import with --force to replace it)"
                )
                changed |= _render_again(text, media)
                continue
            _apply_lesson_text(lesson, lang, source, media)
            changed = True
        if changed:
            report.updated.append(name)


def _render_again(text: LessonTranslation, media: dict[str, MediaLink]) -> bool:
    """Bring a lesson's stored HTML up to the present rendering of its text (after an
    upgrade changed the pipeline); whether it changed."""
    html = render(text.source, media).html
    if html == text.html:
        return False
    text.html = html
    return True


def _import_media(module: Module, data: ModuleFile, report: ImportReport, force: bool) -> None:
    """Make the module's media match its media/ folder. A file is the same as stored
    when its bytes are those stored or those last imported (an image is stored encoded
    again, and exported as stored); a medium uploaded in the studio since the last import
    is not overwritten nor removed unless ``force``."""
    db.session.flush()  # the module has its id
    rows = {row.name: row for row in list_media(module.id)}
    incoming = {item.name: item for item in data.media}
    for name in sorted(rows.keys() - incoming.keys()):
        row = rows[name]
        if force or row.imported_digest == row.state_digest:
            db.session.delete(row)
            report.removed.append(f"media {module.slug}/{name}")
        else:
            report.conflicts.append(f"media {module.slug}/{name}: uploaded in the studio and "
                                    "not in the files; kept")  # fmt: skip
    for item in data.media:
        row = rows.get(item.name)
        name = f"media {module.slug}/{item.name}"
        alt = (item.alt.get("vi", ""), item.alt.get("en", ""))
        raw = sha256(item.data)
        if (
            row is not None
            and raw in (row.sha256, row.imported_sha256)
            and ((row.alt_vi, row.alt_en) == alt)
        ):
            row.imported_sha256 = row.imported_sha256 or raw
            row.imported_digest = row.state_digest  # the files agree with the database
            continue
        if row is not None and row.imported_digest != row.state_digest and not force:
            report.conflicts.append(
                f"{name}: uploaded in the studio since the last import; not overwritten "
                "(import with --force to replace it)"
            )
            continue
        if row is None:
            row = ModuleMedia(module_id=module.id, name=item.name)
            db.session.add(row)
            report.created.append(name)
        else:
            report.updated.append(name)
        store_media(row, item.processed or process(item.data, item.name), alt, None)
        row.imported_sha256, row.imported_digest = raw, row.state_digest
    db.session.flush()


def store_media(
    row: ModuleMedia, processed: Processed, alt: tuple[str, str], by_id: int | None
) -> None:
    """Put an upload's stored form and alt texts (Vietnamese, English) into ``row``."""
    row.kind, row.content_type = processed.kind, processed.content_type
    row.data, row.size, row.sha256 = processed.data, len(processed.data), processed.sha256
    row.phone = processed.phone
    row.phone_size = len(processed.phone) if processed.phone is not None else None
    row.width, row.height = processed.width, processed.height
    row.alt_vi, row.alt_en = alt if processed.kind == "image" else ("", "")
    row.uploaded_by_id, row.uploaded_at = by_id, utcnow()


def list_media(module_id: int) -> list[ModuleMedia]:
    """The module's media by name, without their bytes."""
    return list(
        db.session.scalars(
            select(ModuleMedia).where(ModuleMedia.module_id == module_id).order_by(ModuleMedia.name)
        )
    )


def media_path(module_id: int, name: str, sha: str, phone: bool = False) -> str:
    """Where the public route serves a medium (app.content.routes); the digest in the
    query makes the address change with the content, so that it is cached for good."""
    return f"/media/{module_id}/{'phone/' if phone else ''}{name}?v={sha[:16]}"


def media_links(module_id: int | None) -> dict[str, MediaLink]:
    """The module's media as lessons link to them (app.content.markdown.render)."""
    if module_id is None:
        return {}
    links = {}
    for row in list_media(module_id):
        phone = media_path(module_id, row.name, row.sha256, phone=True) if row.phone_size else None
        links[row.name] = MediaLink(media_path(module_id, row.name, row.sha256), row.width,
                                    row.height, phone, PHONE_WIDTH if phone else None)  # fmt: skip
    return links


def module_ids() -> dict[str, int]:
    """Every module's id by slug."""
    return {slug: id_ for slug, id_ in db.session.execute(select(Module.slug, Module.id))}


def former_slugs() -> list[str]:
    """The identifiers modules had before they were renamed."""
    return list(db.session.scalars(select(FormerSlug.slug).order_by(FormerSlug.slug)))


def export_course() -> list[tuple[int, ModuleFile]]:
    """Every module with its lessons, as files, in catalogue order, with its id: what is
    published in both languages (a lesson still a draft in one of them, and a module
    with no such lesson, stay in the studio until they are)."""
    stmt = (
        select(Module)
        .order_by(Module.position)
        .options(selectinload(Module.lessons), selectinload(Module.prerequisites))
    )
    modules = list(db.session.scalars(stmt))
    media: dict[int, list[MediaFile]] = {module.id: [] for module in modules}
    rows = select(ModuleMedia).options(undefer(ModuleMedia.data)).order_by(ModuleMedia.name)
    for row in db.session.scalars(rows):
        alt = {"vi": row.alt_vi, "en": row.alt_en} if row.kind == "image" else {}
        media[row.module_id].append(MediaFile(row.name, row.data, alt))
    exported = []
    for module in modules:
        data = module_file_of(module)
        lessons = tuple(lesson for lesson in data.lessons if len(lesson.sources) == len(LANGUAGES))
        if lessons:
            exported.append(
                (module.id, replace(data, lessons=lessons, media=tuple(media[module.id])))
            )
    return exported


def import_glossary(terms: list[Term], force: bool = False) -> ImportReport:
    """Make the glossary in the database match ``terms``: create, update, remove; a term
    changed in the studio since the last import is kept (a conflict) unless ``force``."""
    report = ImportReport()
    existing = {t.slug: t for t in db.session.scalars(select(GlossaryTerm))}
    for slug in sorted(existing.keys() - {t.id for t in terms}):
        if existing[slug].edited_at is not None and not force:
            report.conflicts.append(f"term {slug}: not in the file but edited in the studio; kept")
            continue
        db.session.delete(existing[slug])
        report.removed.append(f"term {slug}")
    for term in terms:
        row = existing.get(term.id)
        if row is None:
            row = GlossaryTerm(slug=term.id, modules=list(term.modules))
            db.session.add(row)
            report.created.append(f"term {term.id}")
        elif glossary_term_of(row) == term and not row.retired:
            row.edited_at = None  # the file agrees with the studio's edit
            continue
        elif row.edited_at is not None and not force:
            report.conflicts.append(
                f"term {term.id}: changed in the studio since the last import; not "
                "overwritten (import with --force to replace it)"
            )
            continue
        else:
            report.updated.append(f"term {term.id}")
        row.modules, row.retired, row.edited_at = list(term.modules), False, None
        for lang in LANGUAGES:
            text = row.translations.get(lang)
            if text is None:
                text = row.translations[lang] = GlossaryTranslation(locale=lang)
            text.term = term.term[lang]
            text.definition = term.definition[lang]
    if report.changed:
        bump_version()
    db.session.flush()
    return report


def glossary_term_of(row: GlossaryTerm) -> Term:
    return Term(
        id=row.slug,
        modules=tuple(row.modules),
        term={lang: row.translations[lang].term for lang in LANGUAGES if lang in row.translations},
        definition={
            lang: row.translations[lang].definition
            for lang in LANGUAGES
            if lang in row.translations
        },
    )


def export_glossary() -> list[Term]:
    rows = db.session.scalars(
        select(GlossaryTerm).where(GlossaryTerm.retired.is_(False)).order_by(GlossaryTerm.slug)
    )
    return [glossary_term_of(row) for row in rows]
