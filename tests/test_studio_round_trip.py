"""What trainers do in the studio comes back from the files: after a lesson published,
a question edited, an image uploaded into a lesson and a module's settings changed,
`flask content export` writes files that a second import finds unchanged, and that an
empty platform imports into the same course."""

import shutil
from dataclasses import replace

from sqlalchemy import select

from app.content.models import Lesson, LessonTranslation, Module, ModuleMedia
from app.course import export, import_files, read
from app.extensions import db
from app.quizzes import editing
from app.quizzes.models import QuizQuestion
from app.studio import question_services
from tests.conftest import FIXTURE_COURSE, import_course_files
from tests.test_media import ALT, image_bytes, upload
from tests.test_studio import editor, module_settings

TEXT = "# Bài đầu tiên\n\nMột **khách hàng** mới.\n\n![{alt}](media/chart.png)\n"


def course_state(app) -> dict:
    """What learners read and are asked, and the files offered, as the database holds it."""
    with app.app_context():
        return {
            "lessons": sorted(db.session.execute(
                select(Lesson.slug, LessonTranslation.locale, LessonTranslation.source)
                .join(LessonTranslation)
            ).all()),
            "questions": sorted((q.title, q.kind, q.lesson_slug, tuple(
                sorted((lang, t.source) for lang, t in q.translations.items())
            )) for q in db.session.scalars(select(QuizQuestion))),
            "media": sorted(db.session.execute(
                select(ModuleMedia.name, ModuleMedia.sha256, ModuleMedia.alt_vi)
            ).all()),
            "modules": sorted(db.session.execute(
                select(Module.slug, Module.pass_mark, Module.quiz_answers)
            ).all()),
        }  # fmt: skip


def test_studio_edits_survive_export_and_import(app, client, course, make_user, login, tmp_path):
    trainer = login(make_user(role="trainer"))
    with app.app_context():
        basics = db.session.scalar(select(Module).filter_by(slug="basics"))
        basics_id, settings = basics.id, module_settings(basics)
        lesson_id = db.session.scalar(select(Lesson.id).filter_by(module_id=basics_id,
                                                                  slug="first"))  # fmt: skip
    assert upload(client, basics_id, image_bytes(), "chart.png", **ALT).status_code == 302
    _page, base = editor(client, lesson_id)
    text = TEXT.format(alt=ALT["alt_vi"])
    client.post(f"/studio/lessons/{lesson_id}/vi", data={"source": text, "base": base, "save": "y"})
    _page, draft = editor(client, lesson_id)
    client.post(f"/studio/lessons/{lesson_id}/vi/publish", data={"revision": draft})
    client.post(f"/studio/modules/{basics_id}", data={**settings, "pass_mark": 85})
    with app.app_context():
        question = db.session.scalar(select(QuizQuestion).filter_by(title="b1-centre"))
        fields = editing.fields_of(question_services.parsed(question))
        changed = {**fields.text, "vi": fields.text["vi"] + " (đã sửa)"}
        edit = question_services.QuestionEdit(replace(fields, text=changed),
                                              question.lesson_slug, question.version)  # fmt: skip
        assert question_services.save_question(question, edit, trainer)
        db.session.commit()
    edited = course_state(app)

    root = tmp_path / "out"
    shutil.copytree(FIXTURE_COURSE, root)
    with app.app_context():
        assert export(root)
        assert (root / "courses/01-basics/media/chart.png").is_file()
        assert "(media/chart.png)" in (root / "courses/01-basics/01-first.vi.md").read_text()
        files = read(root)
        assert not files.problems, files.problems
        report = import_files(files)
        assert not report.changed and not report.conflicts, report
        db.session.commit()
        assert export(root) == []  # and the files are written as they are
    assert course_state(app) == edited

    # the same files make the same course on an empty platform
    with app.app_context():
        db.session.execute(db.delete(Module))
        db.session.commit()
    import_course_files(app, root)
    assert course_state(app) == edited
    learner_view = client.get("/modules/basics/first").get_data(as_text=True)
    assert f'alt="{ALT["alt_vi"]}"' in learner_view
