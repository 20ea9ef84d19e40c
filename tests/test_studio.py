"""The studio: a trainer edits a lesson as a draft that learners do not see, previews
it, publishes it, and two trainers editing at once lose nothing."""

import unicodedata

import pytest
from sqlalchemy import select

from app.content.models import Lesson, LessonRevision
from app.extensions import db

TEXT = "# Bài đầu tiên\n\nMột **khách hàng** mới.\n"


@pytest.fixture
def trainer(make_user, login):
    return login(make_user(role="trainer", name="Giảng viên Hà"))


def first_lesson(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Lesson.id).order_by(Lesson.module_id, Lesson.position))


def editor(client, lesson_id, lang="vi"):
    page = client.get(f"/studio/lessons/{lesson_id}/{lang}").get_data(as_text=True)
    base = int(page.split('name="base" value="', 1)[1].split('"', 1)[0])
    return page, base


def test_only_trainers_and_administrators_reach_the_studio(client, course, make_user, login):
    assert client.get("/studio/").status_code == 302  # to log in
    login(make_user())
    assert client.get("/studio/").status_code == 403
    login(make_user(role="trainer"))
    page = client.get("/studio/").get_data(as_text=True)
    assert "Nhập môn" in page and "đã xuất bản" in page
    assert 'href="/studio/"' in page  # in the menu


def test_a_draft_is_unseen_until_published(app, client, course, trainer):
    lesson_id = first_lesson(app)
    _page, base = editor(client, lesson_id)
    decomposed = unicodedata.normalize("NFD", TEXT)
    response = client.post(f"/studio/lessons/{lesson_id}/vi",
                           data={"source": decomposed, "base": base, "save": "y",
                                 "message": "Sửa câu đầu"})  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        draft = db.session.scalar(select(LessonRevision).order_by(LessonRevision.id.desc()))
        assert draft.source == TEXT and draft.author.name == "Giảng viên Hà"  # NFC
        assert draft.published_at is None and draft.parent_id == base
    learner_view = client.get("/modules/basics/first").get_data(as_text=True)
    assert "Một <strong>khách hàng</strong> mới" not in learner_view
    page, _base = editor(client, lesson_id)
    assert "Một bản nháp đang chờ" in page
    home = client.get("/studio/").get_data(as_text=True)
    changes = home.split('id="changes-heading"', 1)[1].split("</section>", 1)[0]
    assert "Giảng viên Hà" in changes and "“Sửa câu đầu”" in changes
    assert client.get("/studio/").get_data(as_text=True).count("badge-draft") == 1
    client.post(f"/studio/lessons/{lesson_id}/vi/publish", data={"revision": draft.id})
    assert "Một <strong>" in client.get("/modules/basics/first").get_data(as_text=True)
    # the English text is now out of date, until a trainer says otherwise
    english, _base = editor(client, lesson_id, "en")
    assert "Đánh dấu là đã cập nhật" in english
    client.post(f"/studio/lessons/{lesson_id}/en/confirm")
    english, _base = editor(client, lesson_id, "en")
    assert "Đánh dấu là đã cập nhật" not in english


def test_preview_renders_as_learners_read_it_and_saves_nothing(app, client, course, trainer):
    lesson_id = first_lesson(app)
    _page, base = editor(client, lesson_id)
    with app.app_context():
        before = db.session.scalar(select(db.func.count()).select_from(LessonRevision))
    hostile = TEXT + '\n<script>alert(1)</script>\n\n<a href="javascript:x">lạ</a>\n'
    page = client.post(f"/studio/lessons/{lesson_id}/vi",
                       data={"source": hostile, "base": base, "preview": "y"})  # fmt: skip
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<strong>khách hàng</strong>" in text
    assert "<script>alert" not in text and "javascript:" not in text.split("Xem trước", 2)[-1]
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(LessonRevision)) == before


def test_a_text_with_problems_is_shown_with_them_and_not_saved(app, client, course, trainer):
    lesson_id = first_lesson(app)
    _page, base = editor(client, lesson_id)
    untitled = {"source": "Không có tiêu đề.\n", "base": base, "save": "y"}
    response = client.post(f"/studio/lessons/{lesson_id}/vi", data=untitled)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="problems"' in page
    assert "dòng 1:" in page and "Không có tiêu đề." in page  # the text is kept


def test_two_trainers_at_once_lose_neither_text(app, client, course, trainer, make_user, login):
    lesson_id = first_lesson(app)
    _page, base = editor(client, lesson_id)
    other = app.test_client()
    login(make_user(role="trainer", name="Giảng viên Minh"), into=other)
    first = other.post(
        f"/studio/lessons/{lesson_id}/vi",
        data={"source": TEXT + "\nĐoạn của Minh.\n", "base": base, "save": "y"},
    )
    assert first.status_code == 302
    mine = TEXT + "\nĐoạn của Hà.\n"
    stale = client.post(f"/studio/lessons/{lesson_id}/vi",
                        data={"source": mine, "base": base, "save": "y"})  # fmt: skip
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Đoạn của Minh." in page and "Đoạn của Hà." in page  # theirs shown, mine kept
    with app.app_context():
        newest = db.session.scalar(select(LessonRevision).order_by(LessonRevision.id.desc()))
        assert "Đoạn của Minh." in newest.source  # nothing written over it
    merged_base = int(page.split('name="base" value="', 1)[1].split('"', 1)[0])
    merged = TEXT + "\nĐoạn của Minh.\n\nĐoạn của Hà.\n"
    assert (
        client.post(
            f"/studio/lessons/{lesson_id}/vi",
            data={"source": merged, "base": merged_base, "save": "y"},
        ).status_code
        == 302
    )
    with app.app_context():
        newest = db.session.scalar(select(LessonRevision).order_by(LessonRevision.id.desc()))
        assert newest.source == merged


def test_forged_or_missing_things_are_refused(app, client, course, trainer):
    lesson_id = first_lesson(app)
    assert client.get(f"/studio/lessons/{lesson_id}/fr").status_code == 404
    assert client.get("/studio/lessons/999999/vi").status_code == 404
    assert client.post(f"/studio/lessons/{lesson_id}/vi/publish",
                       data={"revision": 99999999}).status_code == 404  # fmt: skip
    assert client.post(f"/studio/lessons/{lesson_id}/vi/publish",
                       data={"revision": "x"}).status_code == 400  # fmt: skip
    assert (
        client.post(f"/studio/lessons/{lesson_id}/vi", data={"source": "", "save": "y"}).status_code
        == 400
    )


def test_the_history_shows_the_words_changed_and_an_old_text_comes_back(app, client, course,
                                                                         trainer):  # fmt: skip
    lesson_id = first_lesson(app)
    _page, base = editor(client, lesson_id)
    client.post(
        f"/studio/lessons/{lesson_id}/vi",
        data={"source": TEXT, "base": base, "save": "y", "message": "Câu mới"},
    )
    _page, second = editor(client, lesson_id)
    changed = TEXT.replace("mới", "thân thiết")
    client.post(
        f"/studio/lessons/{lesson_id}/vi", data={"source": changed, "base": second, "save": "y"}
    )
    page = client.get(f"/studio/lessons/{lesson_id}/vi/history").get_data(as_text=True)
    assert "<del>mới</del><ins>thân thiết</ins>" in page
    assert "“Câu mới”" in page and page.count('class="badge badge-draft"') == 2
    older = client.get(f"/studio/lessons/{lesson_id}/vi/history?a={base}&b={second}")
    assert "<ins>" in older.get_data(as_text=True)
    assert client.post(f"/studio/lessons/{lesson_id}/vi/restore",
                       data={"revision": second}).status_code == 302  # fmt: skip
    with app.app_context():
        newest = db.session.scalar(select(LessonRevision).order_by(LessonRevision.id.desc()))
        assert newest.source == TEXT and newest.published_at is None
    assert (
        client.post(
            f"/studio/lessons/{lesson_id}/en/restore", data={"revision": second}
        ).status_code
        == 404
    )  # another language's
    assert client.get(f"/studio/lessons/{lesson_id}/vi/history?a=x&b=-1").status_code == 200


def test_edits_of_different_paragraphs_at_once_are_merged_for_the_trainer_to_save(
    app, client, course, trainer, make_user, login
):
    lesson_id = first_lesson(app)
    _page, start = editor(client, lesson_id)
    base_text = TEXT + "\nĐoạn hai.\n"
    client.post(f"/studio/lessons/{lesson_id}/vi", data={"source": base_text, "base": start,
                                                         "save": "y"})  # fmt: skip
    _page, base = editor(client, lesson_id)
    other = app.test_client()
    login(make_user(role="trainer", name="Giảng viên Minh"), into=other)
    theirs = base_text.replace("Đoạn hai.", "Đoạn hai, Minh sửa.")
    other.post(f"/studio/lessons/{lesson_id}/vi", data={"source": theirs, "base": base,
                                                        "save": "y"})  # fmt: skip
    mine = base_text.replace("Một **khách hàng** mới.", "Một **khách hàng** thân thiết.")
    stale = client.post(f"/studio/lessons/{lesson_id}/vi",
                        data={"source": mine, "base": base, "save": "y"})  # fmt: skip
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "chứa cả hai thay đổi" in page
    textarea = page.split('name="source"', 1)[1].split("</textarea>", 1)[0]
    assert "thân thiết" in textarea and "Minh sửa" in textarea


def test_the_live_preview_is_the_lesson_alone(app, client, course, trainer):
    lesson_id = first_lesson(app)
    response = client.post(f"/studio/lessons/{lesson_id}/vi/preview",
                           data={"source": TEXT + "\n<script>x()</script>\n"})  # fmt: skip
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert "<h1>Bài đầu tiên</h1>" in fragment and "<script>" not in fragment
    assert "dòng 5: không được dùng &lt;script&gt;" in fragment  # named, not run
    untitled = client.post(f"/studio/lessons/{lesson_id}/vi/preview", data={"source": "Chữ.\n"})
    assert "dòng 1:" in untitled.get_data(as_text=True)
    page = client.get(f"/studio/lessons/{lesson_id}/vi").get_data(as_text=True)
    assert 'id="live-preview"' in page and "studio.js" in page


def test_a_draft_marked_for_review_or_scheduled_is_published_when_its_time_comes(
    app, client, course, trainer
):
    from datetime import UTC, datetime, timedelta

    from app.studio.services import publish_due

    lesson_id = first_lesson(app)
    _page, base = editor(client, lesson_id)
    client.post(f"/studio/lessons/{lesson_id}/vi", data={"source": TEXT, "base": base,
                                                         "save": "y"})  # fmt: skip
    _page, draft = editor(client, lesson_id)
    client.post(f"/studio/lessons/{lesson_id}/vi/review", data={"revision": draft})
    assert "sẵn sàng để duyệt" in client.get("/studio/").get_data(as_text=True)
    past = client.post(f"/studio/lessons/{lesson_id}/vi/schedule",
                       data={"revision": draft, "when": "2020-01-01T08:00"})  # fmt: skip
    assert past.status_code == 400 and 'id="when-error"' in past.get_data(as_text=True)
    soon = (datetime.now(UTC) + timedelta(days=2)).astimezone().strftime("%Y-%m-%dT%H:%M")
    assert client.post(f"/studio/lessons/{lesson_id}/vi/schedule",
                       data={"revision": draft, "when": soon}).status_code == 302  # fmt: skip
    page, _base = editor(client, lesson_id)
    assert "sẽ tự động được xuất bản" in page
    with app.app_context():
        assert publish_due(datetime.now(UTC)) == 0
        db.session.commit()
    assert "Một <strong>" not in client.get("/modules/basics/first").get_data(as_text=True)
    with app.app_context():
        assert publish_due(datetime.now(UTC) + timedelta(days=3)) == 1
        db.session.commit()
        published = db.session.get(LessonRevision, draft)
        assert published.published_at is not None and published.published_by_id is None
    assert "Một <strong>" in client.get("/modules/basics/first").get_data(as_text=True)
    assert (
        client.post(f"/studio/lessons/{lesson_id}/vi/review", data={"revision": draft}).status_code
        == 409
    )  # already published


def test_a_trainer_adds_edits_and_retires_a_glossary_term_that_imports_then_keep(
    app, client, course, trainer
):
    from app.content.glossary import Term
    from app.content.models import GlossaryTerm
    from app.content.services import import_glossary

    new = {"slug": "khach-hang-than-thiet", "term_vi": "khách hàng thân thiết",
           "term_en": "loyal customer", "definition_vi": "Người mua nhiều lần.",
           "definition_en": "Someone who buys again and again.", "modules": ["basics"]}  # fmt: skip
    assert client.post("/studio/glossary", data=new).status_code == 302
    again = client.post("/studio/glossary", data=new)
    assert again.status_code == 400 and 'id="slug-error"' in again.get_data(as_text=True)
    assert "khách hàng thân thiết" in client.get("/glossary").get_data(as_text=True)
    bad = client.post("/studio/glossary", data={**new, "slug": "Khách", "modules": ["nowhere"]})
    page = bad.get_data(as_text=True)
    assert 'id="slug-error"' in page and "nowhere" not in page.split("<form", 1)[0]
    with app.app_context():
        row_id = db.session.scalar(select(GlossaryTerm.id).filter_by(slug=new["slug"]))
    changed = {**new, "definition_vi": "Người quay lại mua.", "retired": "y"}
    assert client.post(f"/studio/glossary/{row_id}", data=changed).status_code == 302
    assert "khách hàng thân thiết" not in client.get("/glossary").get_data(as_text=True)
    with app.app_context():  # the files do not have it: the import keeps the studio's term
        file_term = Term(id=new["slug"], modules=("basics",),
                         term={"vi": "khách hàng thân thiết", "en": "loyal customer"},
                         definition={"vi": "Khác.", "en": "Other."})  # fmt: skip
        report = import_glossary([file_term])
        assert any("khach-hang-than-thiet" in line for line in report.conflicts)
        row = db.session.get(GlossaryTerm, row_id)
        assert row.retired and row.translations["vi"].definition == "Người quay lại mua."
        import_glossary([file_term], force=True)
        assert not row.retired and row.edited_at is None
        db.session.rollback()


def module_settings(module) -> dict:
    vi, en = module.translations["vi"], module.translations["en"]
    return {"title_vi": vi.title, "title_en": en.title, "summary_vi": vi.summary,
            "summary_en": en.summary, "outcomes_vi": "\n".join(vi.outcomes),
            "outcomes_en": "\n".join(en.outcomes), "minutes": module.minutes,
            "track": module.track, "step": module.step or "", "pass_mark": module.pass_mark,
            "quiz_questions": module.quiz_questions, "quiz_attempts": module.quiz_attempts,
            "quiz_shuffle": "y" if module.quiz_shuffle else "",
            "quiz_answers": module.quiz_answers}  # fmt: skip


def test_a_trainer_changes_a_modules_settings_and_the_order_of_its_lessons(
    app, client, course, trainer
):
    from app.content.models import Module

    with app.app_context():
        basics = db.session.scalar(select(Module).filter_by(slug="basics"))
        following = db.session.scalar(select(Module).filter_by(slug="next"))
        data, basics_id, next_id = module_settings(basics), basics.id, following.id
        first, second = [lesson.id for lesson in basics.lessons]
    assert client.get(f"/studio/modules/{basics_id}").status_code == 200
    changed = {**data, "title_vi": "Nhập môn mới", "minutes": 45, "pass_mark": 80,
               "outcomes_vi": "Hiểu một.\n\nLàm hai.\n"}  # fmt: skip
    assert client.post(f"/studio/modules/{basics_id}", data=changed).status_code == 302
    assert "Nhập môn mới" in client.get("/").get_data(as_text=True)
    with app.app_context():
        row = db.session.get(Module, basics_id)
        assert row.pass_mark == 80 and row.translations["vi"].outcomes == ["Hiểu một.", "Làm hai."]
    # "next" requires "basics": basics cannot require "next"
    looped = client.post(
        f"/studio/modules/{basics_id}", data={**changed, "prerequisites": ["next"]}
    )
    assert looped.status_code == 400 and 'id="prerequisites-error"' in looped.get_data(as_text=True)
    bad = client.post(
        f"/studio/modules/{basics_id}",
        data={**changed, "minutes": 0, "track": "space", "step": "9"},
    )
    assert bad.status_code == 400
    client.post(f"/studio/lessons/{second}/move/up")
    with app.app_context():
        assert [lesson.id for lesson in db.session.get(Module, basics_id).lessons] == [
            second,
            first,
        ]
    client.post(f"/studio/lessons/{second}/move/up")  # already the first: nothing moves
    with app.app_context():
        assert [lesson.id for lesson in db.session.get(Module, basics_id).lessons] == [
            second,
            first,
        ]
    assert client.get(f"/studio/modules/{next_id}").status_code == 200


def test_drafts_in_both_languages_are_published_together(app, client, course, trainer):
    lesson_id = first_lesson(app)
    _page, vi_base = editor(client, lesson_id, "vi")
    _page, en_base = editor(client, lesson_id, "en")
    client.post(f"/studio/lessons/{lesson_id}/vi", data={"source": TEXT, "base": vi_base,
                                                         "save": "y"})  # fmt: skip
    english = "# First lesson\n\nA **customer** of a new kind.\n"
    client.post(f"/studio/lessons/{lesson_id}/en", data={"source": english, "base": en_base,
                                                         "save": "y"})  # fmt: skip
    page, vi_draft = editor(client, lesson_id, "vi")
    _page, en_draft = editor(client, lesson_id, "en")
    assert "Xuất bản cả hai ngôn ngữ" in page
    stale = client.post(f"/studio/lessons/{lesson_id}/vi/publish-both",
                        data={"revision": vi_draft, "other": en_base})  # fmt: skip
    assert stale.status_code == 409  # the English one named is published, not a draft
    client.post(f"/studio/lessons/{lesson_id}/vi/publish-both",
                data={"revision": vi_draft, "other": en_draft})  # fmt: skip
    assert "Một <strong>" in client.get("/modules/basics/first").get_data(as_text=True)
    with app.app_context():
        assert all(revision.published_at for revision in
                   db.session.scalars(select(LessonRevision).where(
                       LessonRevision.id.in_([vi_draft, en_draft]))))  # fmt: skip


def test_a_new_lesson_stays_unseen_until_published_and_then_counts(app, client, course,
                                                                   trainer, make_user):  # fmt: skip
    from app.content.models import Module
    from app.learn.models import ModuleRecord

    with app.app_context():
        basics_id = db.session.scalar(select(Module.id).filter_by(slug="basics"))
    learner = make_user()
    with app.app_context():
        from app.learn import services as learn_services

        for lesson in db.session.get(Module, basics_id).lessons:
            learn_services.complete_lesson(db.session.merge(learner), lesson.id)
        db.session.commit()
    added = client.post(
        f"/studio/modules/{basics_id}/lessons",
        data={"slug": "third", "title_vi": "Bài thứ ba", "title_en": "Third"},
    )
    assert added.status_code == 302
    again = client.post(
        f"/studio/modules/{basics_id}/lessons",
        data={"slug": "third", "title_vi": "Lại", "title_en": "Again"},
    )
    assert again.status_code == 400 and 'id="slug-error"' in again.get_data(as_text=True)
    assert "Bài thứ ba" in client.get("/studio/").get_data(as_text=True)
    assert "Bài thứ ba" not in client.get("/modules/basics").get_data(as_text=True)
    with app.app_context():
        lesson = db.session.scalar(select(Lesson).filter_by(slug="third"))
        draft = db.session.scalar(
            select(LessonRevision).filter_by(lesson_id=lesson.id, locale="vi")
        )
        lesson_id, draft_id = lesson.id, draft.id
    client.post(f"/studio/lessons/{lesson_id}/vi/publish", data={"revision": draft_id})
    assert "Bài thứ ba" in client.get("/modules/basics").get_data(as_text=True)
    with app.app_context():  # the module has a lesson more to read: no longer completed
        record = db.session.get(ModuleRecord, (learner.id, basics_id))
        assert record is None or record.completed_at is None


def test_two_saves_from_one_revision_at_the_same_moment_write_one(app, course, make_user,
                                                                  monkeypatch):  # fmt: skip
    """The second of two saves that both read the revision as the newest before either
    wrote (a race the check before writing cannot see) is told to merge."""
    from app.studio import services

    first, second = make_user(role="trainer"), make_user(role="trainer")
    with app.test_request_context():
        lesson = db.session.get(Lesson, first_lesson(app))
        base = services.latest(lesson.id, "vi")
        services.save(lesson, "vi", TEXT, base.id, db.session.merge(first))
        monkeypatch.setattr(services, "latest", lambda *_args: base)  # as read before
        with pytest.raises(services.StaleRevision):
            services.save(lesson, "vi", TEXT + "\nKhác.\n", base.id, db.session.merge(second))
        monkeypatch.undo()
        children = db.session.scalars(select(LessonRevision).filter_by(parent_id=base.id))
        assert [child.source for child in children] == [TEXT]
