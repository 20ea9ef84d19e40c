"""Modules in the studio: a trainer creates one, renames it (its old addresses keep
working), retires it and brings it back, and chooses when a quiz's review shows the right
answers; the files written by an export say all of it, and import back unchanged. And the
studio's home shows the questions that item analysis flags."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from app.content.models import Lesson, LessonRevision, Module
from app.course import export, import_files, read
from app.extensions import db
from tests.conftest import FIXTURE_COURSE
from tests.quizzes.conftest import answers, attempt_id_of
from tests.test_studio import module_settings


@pytest.fixture
def trainer(make_user, login):
    return login(make_user(role="trainer"))


def module_id(app, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Module.id).filter_by(slug=slug))


def settings(app, slug: str) -> dict:
    with app.app_context():
        return module_settings(db.session.scalar(select(Module).filter_by(slug=slug)))


NEW = {
    "slug": "zalo-oa", "title_vi": "Zalo OA cho cửa hàng", "title_en": "Zalo OA for a shop",
    "summary_vi": "Mở và dùng tài khoản Zalo OA.", "summary_en": "Open and use a Zalo OA.",
    "outcomes_vi": "Mở tài khoản.", "outcomes_en": "Open the account.", "minutes": 40,
    "track": "foundations", "step": "", "pass_mark": 70, "quiz_questions": 10,
    "quiz_attempts": 0, "quiz_shuffle": "y", "quiz_answers": "after-attempt",
}  # fmt: skip


def test_a_new_module_is_seen_by_learners_once_a_lesson_is_published(app, client, course, trainer):
    assert "Tạo học phần" in client.get("/studio/modules/new").get_data(as_text=True)
    bad = client.post("/studio/modules/new", data={**NEW, "slug": "Zalo OA", "title_en": ""})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400 and 'id="slug-error"' in page and 'id="title_en-error"' in page
    taken = client.post("/studio/modules/new", data={**NEW, "slug": "basics"})
    assert taken.status_code == 400 and "Một học phần khác" in taken.get_data(as_text=True)
    created = client.post("/studio/modules/new", data=NEW)
    assert created.status_code == 302
    new_id = module_id(app, "zalo-oa")
    with app.app_context():
        row = db.session.get(Module, new_id)
        assert row.position == 3 and row.translations["en"].title == "Zalo OA for a shop"
    assert "Zalo OA cho cửa hàng" not in client.get("/").get_data(as_text=True)
    assert client.get("/modules/zalo-oa").status_code == 404  # nothing to read yet
    lesson = {"slug": "open", "title_vi": "Mở tài khoản", "title_en": "Opening"}
    client.post(f"/studio/modules/{new_id}/lessons", data=lesson)
    with app.app_context():
        lesson_id = db.session.scalar(select(Lesson.id).filter_by(module_id=new_id))
        draft = db.session.scalar(
            select(LessonRevision.id).filter_by(lesson_id=lesson_id, locale="vi")
        )
    client.post(f"/studio/lessons/{lesson_id}/vi/publish", data={"revision": draft})
    assert "Zalo OA cho cửa hàng" in client.get("/").get_data(as_text=True)
    assert client.get("/modules/zalo-oa/open").status_code == 200


def test_a_renamed_module_keeps_its_old_addresses(app, client, course, trainer):
    basics = module_id(app, "basics")
    refused = client.post(f"/studio/modules/{basics}/rename", data={"slug": "next"})
    assert refused.status_code == 400 and 'id="slug-error"' in refused.get_data(as_text=True)
    client.post(f"/studio/modules/{basics}/rename", data={"slug": "digital-basics"})
    for old, new in [
        ("/modules/basics", "/modules/digital-basics"),
        ("/modules/basics/first", "/modules/digital-basics/first"),
        ("/modules/basics/quiz", "/modules/digital-basics/quiz"),
    ]:
        moved = client.get(old)
        assert moved.status_code == 301 and moved.location == new
    assert client.get("/modules/digital-basics/first").status_code == 200
    assert client.get("/modules/nothing-here").status_code == 404
    # and back: the first name is its own again
    client.post(f"/studio/modules/{basics}/rename", data={"slug": "basics"})
    assert client.get("/modules/basics").status_code == 200
    assert client.get("/modules/digital-basics").status_code == 301


def copy_course(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE_COURSE, tmp_path, dirs_exist_ok=True)
    return tmp_path


def test_an_export_writes_the_new_name_and_a_second_import_changes_nothing(
    app, client, course, trainer, tmp_path
):
    root = copy_course(tmp_path)
    basics = module_id(app, "basics")
    client.post(f"/studio/modules/{basics}/rename", data={"slug": "digital-basics"})
    client.post(f"/studio/modules/{module_id(app, 'next')}/retire")
    changed = {**settings(app, "digital-basics"), "quiz_answers": "once-passed"}
    client.post(f"/studio/modules/{basics}", data=changed)
    with app.app_context():
        written = export(root)
        assert root / "courses/01-basics/module.toml" in written  # removed
        assert not (root / "courses/01-basics").exists()
        assert not (root / "quizzes/01-basics.vi.gift").exists()
        toml = (root / "courses/01-digital-basics/module.toml").read_text()
        assert 'answers = "once-passed"' in toml
        assert "retired = true" in (root / "courses/02-next/module.toml").read_text()
        assert (root / "quizzes/01-digital-basics.en.gift").exists()
        files = read(root)
        assert not files.problems
        report = import_files(files)
        assert not report.changed and not report.conflicts, report
        db.session.commit()
        assert export(root) == []
    assert client.get("/modules/next").status_code == 404  # still retired


def test_an_old_folder_of_a_renamed_module_is_not_imported_again(app, client, course, trainer):
    client.post(f"/studio/modules/{module_id(app, 'basics')}/rename", data={"slug": "renamed"})
    with app.app_context():
        report = import_files(read(FIXTURE_COURSE))
        db.session.commit()
        assert any("renamed renamed in the browser" in line for line in report.conflicts)
        assert db.session.scalar(select(Module.id).filter_by(slug="basics")) is None


def test_a_retired_module_leaves_the_catalogue_and_can_come_back(app, client, course, trainer):
    basics = module_id(app, "basics")
    assert client.post(f"/studio/modules/{basics}/retire", data={"csrf_token": "x"}).status_code
    client.post(f"/studio/modules/{basics}/retire")
    assert "Nhập môn" not in client.get("/").get_data(as_text=True)
    assert client.get("/modules/basics").status_code == 404
    assert client.get("/modules/next").status_code == 200  # its prerequisite is gone
    studio = client.get(f"/studio/modules/{basics}").get_data(as_text=True)
    assert "Đưa trở lại danh mục" in studio
    client.post(f"/studio/modules/{basics}/restore")
    assert "Nhập môn" in client.get("/").get_data(as_text=True)


def test_the_review_shows_the_right_answers_when_the_module_says(
    app, client, course, trainer, make_user, login
):
    basics = module_id(app, "basics")
    client.post(f"/studio/modules/{basics}",
                data={**settings(app, "basics"), "quiz_answers": "once-passed"})  # fmt: skip
    login(make_user())

    def submit(right: bool) -> str:
        attempt_id = attempt_id_of(client.get("/modules/basics/quiz").get_data(as_text=True))
        data = answers(app, attempt_id, right) | {"submit": "1"}
        return client.get(client.post(f"/attempts/{attempt_id}", data=data).location).get_data(
            as_text=True
        )

    failed = submit(right=False)
    assert "Đáp án đúng</dt>" not in failed and "Sai: giấy không phải là kênh số." not in failed
    assert "Đáp án đúng và lời giải thích sẽ hiện khi bạn đã đạt." in failed
    assert "Đáp án đúng</dt>" in submit(right=True)
    assert "Đáp án đúng</dt>" in submit(right=False)  # once passed, always shown


def test_the_assessment_names_a_renamed_module_anew_and_its_results_stay_current(
    app, client, real_course, instrument, make_user, trainer
):
    from app.assessment import services as assessment_services
    from app.assessment.models import Assessment, AssessmentInstrument

    assert "step-1-start" in instrument.modules
    with app.app_context():
        person = make_user()
        scored_with = db.session.scalar(select(AssessmentInstrument.digest))
        db.session.add(Assessment(user_id=person.id, answers={}, submitted_at=db.func.now(),
                                  instrument_digest=scored_with))  # fmt: skip
        db.session.commit()
    client.post(f"/studio/modules/{module_id(app, 'step-1-start')}/rename",
                data={"slug": "step-1-begin"})  # fmt: skip
    with app.app_context():
        renamed = assessment_services.get_instrument()
        assert "step-1-begin" in renamed.modules and "step-1-start" not in renamed.modules
        assert assessment_services.is_current(db.session.scalar(select(Assessment)))


def test_the_studio_flags_a_question_most_learners_miss_once_enough_have_tried(
    app, client, course, make_user, login
):
    from app.quizzes.models import QuizQuestion

    with app.app_context():
        first = f"q{db.session.scalar(select(QuizQuestion.id).filter_by(title='b1-centre'))}"

    def learners_miss_the_first_question(count: int) -> None:
        for _ in range(count):
            login(make_user())
            attempt_id = attempt_id_of(client.get("/modules/basics/quiz").get_data(as_text=True))
            data = answers(app, attempt_id, True)
            data[first] = answers(app, attempt_id, False)[first]
            client.post(f"/attempts/{attempt_id}", data=data | {"submit": "1"})

    learners_miss_the_first_question(2)
    login(make_user(role="trainer"))
    home = client.get("/studio/").get_data(as_text=True)
    assert "Câu hỏi bị phân tích câu hỏi đánh dấu" not in home  # two attempts are too few
    learners_miss_the_first_question(8)
    login(make_user(role="trainer"))
    home = client.get("/studio/").get_data(as_text=True)
    assert "Câu hỏi bị phân tích câu hỏi đánh dấu" in home
    assert "10 lần làm bài đầu tiên" in home and "phần lớn học viên trả lời sai" in home
