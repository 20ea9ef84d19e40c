"""The trainers' studio over the lessons' revisions: a save makes a draft revision that
learners do not see, publishing one makes it the lesson's text, and a save that started
from a revision that is no longer the latest writes nothing (the trainer merges first).
Services flush; the caller commits."""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import audit
from app.auth.models import User
from app.cache import bump_version
from app.content.glossary import sort_key
from app.content.markdown import (
    MEDIA_PREFIX,
    LessonProblem,
    Rendered,
    lesson_problems,
    render,
    title_of,
)
from app.content.media import Processed
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
from app.content.services import course_changed, media_links, module_renamed, store_media
from app.db_types import utcnow
from app.errors import DomainError
from app.extensions import db
from app.languages import LANGUAGES
from app.search.services import index_module, index_term


def normalised(source: str) -> str:
    """A text as the studio keeps it: Unicode NFC, lines ending in "\\n", one at the end."""
    text = unicodedata.normalize("NFC", source).replace("\r\n", "\n").replace("\r", "\n")
    return text.rstrip("\n") + "\n"


def latest(lesson_id: int, locale: str) -> LessonRevision | None:
    """The lesson's newest revision in ``locale``: a draft, or the published text."""
    return db.session.scalar(
        select(LessonRevision)
        .where(LessonRevision.lesson_id == lesson_id, LessonRevision.locale == locale)
        .order_by(LessonRevision.id.desc())
        .limit(1)
    )


class StaleRevision(Exception):
    """The text was edited from a revision that another save has since replaced."""

    def __init__(self, latest: LessonRevision) -> None:
        super().__init__(latest.id)
        self.latest = latest


class NotSaved(Exception):
    """The text has problems the course check would report: nothing is saved."""

    def __init__(self, problems: list[LessonProblem]) -> None:
        super().__init__(len(problems))
        self.problems = problems


def save(
    lesson: Lesson, locale: str, source: str, base_id: int | None, author: User, message: str = ""
) -> LessonRevision:
    """Save ``source`` as the lesson's new draft in ``locale``, edited from the revision
    ``base_id``; the other language is then out of date. The latest revision is returned
    as it is when the text has not changed. Raises NotSaved or StaleRevision."""
    text = normalised(source)
    problems = problems_of(lesson, text)
    if problems:
        raise NotSaved(problems)
    newest = latest(lesson.id, locale)
    if newest is not None and newest.id != base_id:
        raise StaleRevision(newest)
    if newest is not None and newest.source == text:
        return newest
    revision = LessonRevision(lesson_id=lesson.id, locale=locale, title=title_of(text) or "",
                              source=text, parent_id=base_id, author_id=author.id,
                              message=message.strip())  # fmt: skip
    try:
        with db.session.begin_nested():
            db.session.add(revision)
    except IntegrityError:  # another save from the same revision, a moment earlier
        raise StaleRevision(latest(lesson.id, locale) or newest) from None
    for lang, translation in lesson.translations.items():
        translation.out_of_date = lang != locale
    db.session.flush()
    return revision


def preview(lesson: Lesson, text: str) -> tuple[Rendered, list[LessonProblem]]:
    """The text as learners would read it, with the module's media, and its problems."""
    media = media_links(lesson.module_id)
    return render(text, media), lesson_problems(text, media)


def problems_of(lesson: Lesson, text: str) -> list[LessonProblem]:
    """What the course check would report of the text, the module's media known."""
    return lesson_problems(text, media_links(lesson.module_id))


def history(lesson_id: int, locale: str) -> list[LessonRevision]:
    """Every revision of the lesson in ``locale``, the newest first, with its author."""
    return list(
        db.session.scalars(
            select(LessonRevision)
            .where(LessonRevision.lesson_id == lesson_id, LessonRevision.locale == locale)
            .options(selectinload(LessonRevision.author), selectinload(LessonRevision.published_by))
            .order_by(LessonRevision.id.desc())
        )
    )


def restore(revision: LessonRevision, by: User) -> LessonRevision:
    """An old revision's text saved again as the newest draft."""
    lesson = db.session.get(Lesson, revision.lesson_id)
    assert lesson is not None
    newest = latest(lesson.id, revision.locale)
    return save(lesson, revision.locale, revision.source, newest.id if newest else None, by,
                f"#{revision.id}")  # fmt: skip


def title(lesson: Lesson, locale: str) -> str:
    """The lesson's title in ``locale``: as published, or, for a lesson not yet published
    there, as its newest draft has it."""
    text = lesson.translations.get(locale)
    if text is not None:
        return text.title
    newest = latest(lesson.id, locale)
    return newest.title if newest else lesson.slug


def add_lesson(module: Module, slug: str, titles: dict[str, str], by: User) -> Lesson:
    """A new lesson at the end of the module, with a draft holding its title in each
    language; learners see it once a language is published."""
    if any(lesson.slug == slug for lesson in module.lessons):
        raise DomainError("slug", _l("The module has a lesson with this identifier already."))
    lesson = Lesson(
        slug=slug, position=max((row.position for row in module.lessons), default=0) + 1
    )
    module.lessons.append(lesson)
    db.session.flush()
    for lang in LANGUAGES:
        heading = " ".join(normalised(titles[lang]).split())
        db.session.add(LessonRevision(lesson_id=lesson.id, locale=lang, title=heading,
                                      source=f"# {heading}\n", author_id=by.id))  # fmt: skip
    audit.record(by, "module.add_lesson", module=module.slug, lesson=slug)
    db.session.flush()
    return lesson


def publish(revision: LessonRevision, by: User | None) -> None:
    """Make the revision the lesson's text in its language, for every learner and app
    server (the content version moves); ``by`` None: at the time it was scheduled for."""
    lesson = db.session.get(Lesson, revision.lesson_id)
    assert lesson is not None
    rendered = render(revision.source, media_links(lesson.module_id))
    text = lesson.translations.get(revision.locale)
    first = text is None
    if text is None:
        text = lesson.translations[revision.locale] = LessonTranslation(locale=revision.locale)
    text.title, text.source, text.html = rendered.title, revision.source, rendered.html
    text.revision = revision
    revision.published_at, revision.published_by_id = utcnow(), by.id if by else None
    revision.publish_at = None
    audit.record(by, "lesson.publish", lesson=lesson.id, locale=revision.locale,
                 revision=revision.id)  # fmt: skip
    bump_version()
    # after bump_version, whose row stays locked until the commit: two publications in
    # one module index it one after the other
    index_module(lesson.module)
    if first:  # the module has one more lesson to complete
        course_changed.send(current_app._get_current_object(), module_ids=[lesson.module_id])


def request_review(revision: LessonRevision, by: User) -> None:
    """Mark the draft ready for another trainer to read and publish."""
    revision.review_requested_at, revision.review_requested_by_id = utcnow(), by.id
    audit.record(by, "lesson.review", lesson=revision.lesson_id, locale=revision.locale,
                 revision=revision.id)  # fmt: skip


def schedule(revision: LessonRevision, when: datetime | None, by: User) -> None:
    """Publish the draft by itself at ``when`` (None: not any more)."""
    revision.publish_at = when
    audit.record(by, "lesson.schedule", lesson=revision.lesson_id, locale=revision.locale,
                 revision=revision.id, at=when.isoformat() if when else None)  # fmt: skip


def publish_due(now: datetime) -> int:
    """Publish every draft whose time has come and is still the newest of its lesson and
    language (a later save is a new draft, which waits for its own decision); how many."""
    due = list(
        db.session.scalars(
            select(LessonRevision)
            .where(LessonRevision.publish_at <= now, LessonRevision.published_at.is_(None))
            .order_by(LessonRevision.id)
        )
    )
    published = 0
    for revision in due:
        revision.publish_at = None
        newest = latest(revision.lesson_id, revision.locale)
        if newest is not None and newest.id == revision.id:
            publish(revision, None)
            published += 1
    db.session.flush()
    return published


def confirm(lesson: Lesson, locale: str) -> None:
    """The trainer has read the language against the other: it is up to date."""
    text = lesson.translations.get(locale)
    if text is not None:
        text.out_of_date = False


@dataclass(frozen=True)
class LessonState:
    """A lesson's state in one language, for the studio's lists."""

    draft: LessonRevision | None  # a saved text not yet published
    out_of_date: bool  # the other language changed since


def states(module_ids: list[int]) -> dict[tuple[int, str], LessonState]:
    """By (lesson id, language): the draft waiting, if any, and whether the language is
    out of date; in two queries whatever the number of lessons."""
    newest = (
        select(func.max(LessonRevision.id))
        .join(Lesson, Lesson.id == LessonRevision.lesson_id)
        .where(Lesson.module_id.in_(module_ids))
        .group_by(LessonRevision.lesson_id, LessonRevision.locale)
    )
    drafts = {
        (revision.lesson_id, revision.locale): revision
        for revision in db.session.scalars(
            select(LessonRevision).where(
                LessonRevision.id.in_(newest), LessonRevision.published_at.is_(None)
            )
        )
    }
    flags: dict[tuple[int, str], bool] = defaultdict(bool)
    for lesson_id, locale, out_of_date in db.session.execute(
        select(LessonTranslation.lesson_id, LessonTranslation.locale, LessonTranslation.out_of_date)
        .join(Lesson, Lesson.id == LessonTranslation.lesson_id)
        .where(Lesson.module_id.in_(module_ids))
    ):
        flags[lesson_id, locale] = out_of_date
    keys = set(drafts) | set(flags)
    return {key: LessonState(drafts.get(key), flags[key]) for key in keys}


def recent_changes(limit: int = 10) -> list[LessonRevision]:
    """The latest revisions saved in the studio (imports left out), with their lessons
    and authors."""
    return list(
        db.session.scalars(
            select(LessonRevision)
            .where(LessonRevision.author_id.is_not(None))
            .options(selectinload(LessonRevision.author), selectinload(LessonRevision.lesson))
            .order_by(LessonRevision.id.desc())
            .limit(limit)
        )
    )


def modules() -> list[Module]:
    """Every module in course order, with its lessons."""
    return list(
        db.session.scalars(
            select(Module).order_by(Module.position).options(selectinload(Module.lessons))
        )
    )


def other_language(locale: str) -> str:
    return next(lang for lang in LANGUAGES if lang != locale)


# -- the glossary --------------------------------------------------------------------------


@dataclass(frozen=True)
class TermData:
    slug: str
    term: dict[str, str]  # by language
    definition: dict[str, str]
    modules: list[str]
    retired: bool


def terms() -> list[GlossaryTerm]:
    """Every term, retired ones too, by identifier."""
    return list(db.session.scalars(select(GlossaryTerm).order_by(GlossaryTerm.slug)))


def term_texts(locale: str) -> list[str]:
    """The terms learners see, in ``locale``, in the glossary's order: for the editor's
    toolbar."""
    rows = db.session.scalars(
        select(GlossaryTranslation.term)
        .join(GlossaryTerm)
        .where(GlossaryTranslation.locale == locale, GlossaryTerm.retired.is_(False))
    )
    return sorted(rows, key=sort_key)


def save_term(row: GlossaryTerm | None, data: TermData, by: User) -> GlossaryTerm:
    """Create a term (``row`` None) or change one; learners see it at once, and the next
    import of the files keeps it rather than overwrite it."""
    if row is None:
        if db.session.scalar(select(GlossaryTerm.id).where(GlossaryTerm.slug == data.slug)):
            raise DomainError("slug", _l("Another term has this identifier."))
        row = GlossaryTerm(slug=data.slug)
        db.session.add(row)
    row.modules, row.retired, row.edited_at = list(data.modules), data.retired, utcnow()
    for lang in LANGUAGES:
        text = row.translations.get(lang)
        if text is None:
            text = row.translations[lang] = GlossaryTranslation(locale=lang)
        text.term = normalised(data.term[lang]).strip()
        text.definition = normalised(data.definition[lang]).strip()
    db.session.flush()
    audit.record(by, "glossary.save", term=row.slug, retired=row.retired)
    bump_version()
    index_term(row)
    return row


# -- modules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleData:
    title: dict[str, str]  # by language
    summary: dict[str, str]
    outcomes: dict[str, list[str]]
    minutes: int
    track: str
    step: int | None
    prerequisites: list[str]  # slugs
    pass_mark: int
    quiz_questions: int
    quiz_attempts: int
    quiz_shuffle: bool
    quiz_answers: str


def _requires(module: Module, slugs: list[str]) -> bool:
    """Whether requiring ``slugs`` would make the module require itself, through them."""
    by_slug = {row.slug: row for row in db.session.scalars(select(Module))}
    seen, waiting = set(), list(slugs)
    while waiting:
        slug = waiting.pop()
        if slug == module.slug:
            return True
        if slug not in seen and slug in by_slug:
            seen.add(slug)
            waiting += [row.slug for row in by_slug[slug].prerequisites]
    return False


def save_module(module: Module, data: ModuleData, by: User) -> None:
    """Change the module's settings; learners see them at once, and the next import of
    the files keeps them (a conflict) unless forced."""
    if _requires(module, data.prerequisites):
        raise DomainError("prerequisites", _l("A module cannot require itself, even through "
                                              "another module."))  # fmt: skip
    module.minutes, module.track, module.step = data.minutes, data.track, data.step
    module.pass_mark, module.quiz_questions = data.pass_mark, data.quiz_questions
    module.quiz_attempts, module.quiz_shuffle = data.quiz_attempts, data.quiz_shuffle
    module.quiz_answers = data.quiz_answers
    module.prerequisites = list(
        db.session.scalars(select(Module).where(Module.slug.in_(data.prerequisites)))
    )
    for lang in LANGUAGES:
        text = module.translations[lang]
        text.title = normalised(data.title[lang]).strip()
        text.summary = normalised(data.summary[lang]).strip()
        text.outcomes = [normalised(line).strip() for line in data.outcomes[lang] if line.strip()]
    audit.record(by, "module.edit", module=module.slug)
    bump_version()
    index_module(module)


def move_lesson(lesson: Lesson, by: User, up: bool) -> None:
    """Swap the lesson with the one before (``up``) or after it in its module."""
    module = lesson.module
    order = list(module.lessons)
    index = order.index(lesson)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(order):
        return
    other = order[other_index]
    first, second = lesson.position, other.position
    for row, position in ((lesson, -1), (other, first), (lesson, second)):
        row.position = position  # one at a time: (module, position) is unique
        db.session.flush()
    audit.record(by, "module.reorder", module=module.slug, lesson=lesson.slug,
                 position=lesson.position)  # fmt: skip
    bump_version()


def _slug_taken(slug: str, module: Module | None = None) -> bool:
    """Whether a module other than ``module`` has or had the identifier ``slug``."""
    others = select(Module.id).where(Module.slug == slug)
    former = select(FormerSlug.module_id).where(FormerSlug.slug == slug)
    if module is not None:
        others, former = (
            others.where(Module.id != module.id),
            former.where(FormerSlug.module_id != module.id),
        )
    return db.session.scalar(others.union(former).limit(1)) is not None


def create_module(slug: str, data: ModuleData, by: User) -> Module:
    """A new module at the end of the catalogue, which learners see once one of its
    lessons is published."""
    if _slug_taken(slug):
        raise DomainError("slug", _l("Another module has or had this identifier."))
    position = (db.session.scalar(select(func.max(Module.position))) or 0) + 1
    module = Module(slug=slug, position=position, track=data.track, minutes=data.minutes)
    module.translations = {
        lang: ModuleTranslation(locale=lang, title="", summary="", outcomes=[])
        for lang in LANGUAGES
    }
    db.session.add(module)
    db.session.flush()
    save_module(module, data, by)
    audit.record(by, "module.create", module=slug)
    return module


def rename_module(module: Module, slug: str, by: User) -> None:
    """Give the module a new identifier: its addresses under the old one keep leading to
    it, and the next export writes its folder under the new one."""
    if slug == module.slug:
        return
    if _slug_taken(slug, module):
        raise DomainError("slug", _l("Another module has or had this identifier."))
    former = db.session.get(FormerSlug, slug)  # going back to a name it had
    if former is not None:
        db.session.delete(former)
    db.session.add(FormerSlug(slug=module.slug, module_id=module.id))
    audit.record(by, "module.rename", module=module.slug, slug=slug)
    old, module.slug = module.slug, slug
    module_renamed.send(current_app._get_current_object(), old=old, new=slug)
    bump_version()
    db.session.flush()


def retire_module(module: Module, by: User, retired: bool = True) -> None:
    """Take the module out of the catalogue (``retired``), or bring it back; learners'
    progress and results in it are kept either way."""
    if module.retired == retired:
        return
    module.retired_at = utcnow() if retired else None
    audit.record(by, "module.retire" if retired else "module.restore", module=module.slug)
    bump_version()
    index_module(module)
    course_changed.send(current_app._get_current_object(), module_ids=[module.id])


# -- media ---------------------------------------------------------------------------------


def upload_media(
    module: Module, processed: Processed, alt: tuple[str, str], by: User
) -> ModuleMedia:
    """Add an image or a file to the module (the next import of the files keeps it);
    an image needs its alt texts (Vietnamese, English)."""
    alt = (normalised(alt[0]).strip(), normalised(alt[1]).strip())
    if processed.kind == "image":
        for field, text in zip(("alt_vi", "alt_en"), alt, strict=True):
            if not text:
                raise DomainError(field, _l("Say what the image shows, for those who cannot "
                                            "see it."))  # fmt: skip
    taken = select(ModuleMedia.id).where(
        ModuleMedia.module_id == module.id, ModuleMedia.name == processed.name
    )
    if db.session.scalar(taken) is not None:
        message = _l("The module has a file named %(name)s already: delete it first, or "
                     "rename yours.", name=processed.name)  # fmt: skip
        raise DomainError("file", message)
    row = ModuleMedia(module_id=module.id, name=processed.name)
    store_media(row, processed, alt, by.id)
    db.session.add(row)
    audit.record(by, "media.upload", module=module.slug, name=row.name, sha256=row.sha256)
    db.session.flush()
    return row


def lessons_using(row: ModuleMedia) -> list[LessonTranslation]:
    """The published lesson texts of the module that reference the medium."""
    return list(
        db.session.scalars(
            select(LessonTranslation)
            .join(Lesson, Lesson.id == LessonTranslation.lesson_id)
            .where(
                Lesson.module_id == row.module_id,
                LessonTranslation.source.contains(MEDIA_PREFIX + row.name, autoescape=True),
            )
            .order_by(Lesson.position, LessonTranslation.locale)
        )
    )


def delete_media(row: ModuleMedia, by: User) -> None:
    """Remove a medium no published lesson uses (DomainError otherwise)."""
    if lessons_using(row):
        raise DomainError(None, _l("A published lesson shows this file: take it out of the "
                                   "lesson and publish it first."))  # fmt: skip
    audit.record(by, "media.delete", module_id=row.module_id, name=row.name, sha256=row.sha256)
    db.session.delete(row)
    db.session.flush()
