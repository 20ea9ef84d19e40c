"""Importing and exporting the course: idempotent, transactional, and never silently
overwriting an edit made in the browser."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import course
from app.content import services
from app.content.files import read_course
from app.content.models import Lesson, LessonTranslation, Module
from app.extensions import db
from tests.conftest import FIXTURE_COURSE


@pytest.fixture
def course_dir(tmp_path) -> Path:
    shutil.copytree(FIXTURE_COURSE, tmp_path, dirs_exist_ok=True)
    return tmp_path


def run_import(root: Path, force: bool = False) -> services.ImportReport:
    files = course.read(root)
    assert files.problems == []
    report = course.import_files(files, force=force)
    db.session.commit()
    return report


def lesson_text(module_slug: str, lesson_slug: str, locale: str) -> LessonTranslation:
    return db.session.scalar(
        select(LessonTranslation)
        .join(Lesson)
        .join(Module)
        .where(Module.slug == module_slug, Lesson.slug == lesson_slug)
        .where(LessonTranslation.locale == locale)
    )


def test_first_import_creates_modules_and_renders_lessons(app_ctx, course_dir):
    report = run_import(course_dir)
    assert report.created[:2] == ["module basics", "module next"]
    assert db.session.scalar(select(func.count(Lesson.id))) == 3
    text = lesson_text("basics", "second", "vi")
    assert text.title == "Bài thứ hai"
    assert "<table>" in text.html
    module = db.session.scalar(select(Module).filter_by(slug="next"))
    assert [p.slug for p in module.prerequisites] == ["basics"]
    assert module.text("en").title == "Step 1: Start"


def test_second_import_changes_nothing(app_ctx, course_dir, count_queries):
    run_import(course_dir)
    count_queries.clear()
    report = run_import(course_dir)
    assert not report.changed and report.conflicts == []
    assert not [
        s for s in count_queries if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_an_import_brings_html_rendered_by_an_older_pipeline_up_to_date(app_ctx, course_dir):
    run_import(course_dir)
    text = lesson_text("basics", "second", "vi")
    current = text.html
    text.html = current.replace('<div class="table-scroll" tabindex="0">', "").replace(
        "</table></div>", "</table>"
    )  # as stored before tables scrolled in a box of their own
    db.session.commit()
    report = run_import(course_dir)
    assert report.updated == ["lesson basics/02-second"]
    assert lesson_text("basics", "second", "vi").html == current
    assert not run_import(course_dir).changed


def test_changed_file_updates_the_lesson(app_ctx, course_dir):
    run_import(course_dir)
    path = course_dir / "courses/01-basics/01-first.en.md"
    path.write_text("# The first lesson, revised\n\nNew text.\n")
    report = run_import(course_dir)
    assert report.updated == ["lesson basics/01-first"]
    assert lesson_text("basics", "first", "en").title == "The first lesson, revised"


def test_browser_edit_is_not_overwritten_without_force(app_ctx, course_dir):
    run_import(course_dir)
    text = lesson_text("basics", "first", "en")
    text.source = "# Edited in the browser\n"
    db.session.commit()
    path = course_dir / "courses/01-basics/01-first.en.md"
    path.write_text("# Changed in the file too\n")
    report = run_import(course_dir)
    assert report.conflicts and "basics/01-first.en" in report.conflicts[0]
    assert lesson_text("basics", "first", "en").source == "# Edited in the browser\n"
    run_import(course_dir, force=True)
    assert lesson_text("basics", "first", "en").source == "# Changed in the file too\n"


def test_browser_edit_of_module_settings_is_kept(app_ctx, course_dir):
    run_import(course_dir)
    module = db.session.scalar(select(Module).filter_by(slug="basics"))
    module.minutes = 99
    db.session.commit()
    path = course_dir / "courses/01-basics/module.toml"
    path.write_text(path.read_text().replace("minutes = 30", "minutes = 45"))
    report = run_import(course_dir)
    assert report.conflicts == [
        "module basics: changed in the browser since the last import; not overwritten "
        "(import with --force to replace it)"
    ]
    assert db.session.scalar(select(Module.minutes).filter_by(slug="basics")) == 99


def test_reordered_modules_and_lessons_are_moved(app_ctx, course_dir):
    run_import(course_dir)
    modules, _ = read_course(course_dir)
    basics, nxt = modules
    from dataclasses import replace

    swapped = [
        replace(nxt, position=1, prerequisites=()),
        replace(
            basics,
            position=2,
            lessons=tuple(
                replace(lesson, position=3 - lesson.position) for lesson in basics.lessons
            ),
        ),
    ]
    services.import_course(swapped)
    db.session.commit()
    order = db.session.scalars(select(Module.slug).order_by(Module.position)).all()
    assert order == ["next", "basics"]
    lessons = db.session.scalars(
        select(Lesson.slug).join(Module).where(Module.slug == "basics").order_by(Lesson.position)
    ).all()
    assert lessons == ["second", "first"]


def test_lesson_removed_from_files_is_removed(app_ctx, course_dir):
    run_import(course_dir)
    for lang in ("vi", "en"):
        (course_dir / f"courses/01-basics/02-second.{lang}.md").unlink()
        quiz = course_dir / f"quizzes/01-basics.{lang}.gift"  # its questions move to lesson 1
        quiz.write_text(quiz.read_text().replace("$CATEGORY: second\n\n", ""))
    report = run_import(course_dir)
    assert report.removed == ["lesson basics/second"]
    assert report.updated == ["quiz basics (0 added, 4 changed, 0 removed)"]


def test_export_writes_back_identical_files(app_ctx, course_dir, tmp_path_factory):
    run_import(course_dir)
    out = tmp_path_factory.mktemp("export")
    course.export(out)
    originals = [*(course_dir / "courses").glob("*/*.*"), *(course_dir / "quizzes").glob("*")]
    assert len(originals) == 12
    for original in originals:
        assert (out / original.relative_to(course_dir)).read_bytes() == original.read_bytes()
    assert course.export(course_dir) == []
