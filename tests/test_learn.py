"""The learner's reading path: catalogue, module, lessons in order, progress, resuming."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.learn.models import LessonProgress
from tests.conftest import table_row


@pytest.fixture
def learner(make_user, login):
    return login(make_user())


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_catalogue_groups_modules_by_track_with_lessons_and_time(client, course):
    page = text_of(client.get("/"))
    assert '<h2 id="track-foundations">Nền tảng</h2>' in page
    assert '<h2 id="track-ladder">Lộ trình 7 bước trưởng thành số</h2>' in page
    assert page.index("Nhập môn") < page.index("Bước 1: Khởi động")
    assert "Những điều cơ bản. Dành cho người mới." in page
    assert "30 phút · 2 bài học" in page
    assert "<li>Bài đầu tiên</li>" in page


def test_catalogue_in_english(client, course):
    client.set_cookie("locale", "en")
    page = text_of(client.get("/"))
    assert "The basics. For newcomers." in page
    assert "30 minutes · 2 lessons" in page
    assert "20 minutes · 1 lesson" in page


def test_catalogue_needs_few_queries(client, course, count_queries, learner):
    client.get("/")
    count_queries.clear()
    client.get("/")
    assert len(count_queries) <= 8, count_queries


def test_module_page_lists_outcomes_prerequisites_and_lessons(client, course):
    page = text_of(client.get("/modules/next"))
    assert "<h1>Bước 1: Khởi động</h1>" in page
    assert "<li>Bắt đầu</li>" in page
    assert 'href="/modules/basics">Nhập môn</a>' in page
    assert 'href="/modules/next/only">Bài duy nhất</a>' in page


def test_missing_module_and_lesson_are_404(client, course, learner):
    assert client.get("/modules/nowhere").status_code == 404
    assert client.get("/modules/basics/nowhere").status_code == 404
    assert client.get("/modules/nowhere/first").status_code == 404


def test_lessons_after_the_first_need_login(client, course):
    response = client.get("/modules/basics/second")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def test_lesson_shows_rendered_text_and_next_link(client, course, learner):
    page = text_of(client.get("/modules/basics/first"))
    assert "<h1>Bài đầu tiên</h1>" in page
    # the first use of a glossary term links to its entry
    assert (
        '<strong><button type="button" class="term" popovertarget="tip-term-customer">'
        "khách hàng</button>"
    ) in page
    assert "Bài 1/2" in page
    assert 'rel="next" href="/modules/basics/second"' in page
    assert 'rel="prev"' not in page
    second = text_of(client.get("/modules/basics/second"))
    assert 'rel="prev" href="/modules/basics/first"' in second
    assert "Quay lại học phần" in second


def test_opening_a_lesson_records_it_once(client, app, course, learner):
    client.get("/modules/basics/first")
    client.get("/modules/basics/first")
    with app.app_context():
        rows = db.session.scalars(select(LessonProgress)).all()
        assert len(rows) == 1 and rows[0].completed_at is None
        assert rows[0].opened_at.tzinfo is not None


def test_marking_complete_changes_the_progress_shown(client, course, learner):
    before = text_of(client.get("/modules/basics/first"))
    assert "Đã hoàn thành 0/2 bài học" in before
    response = client.post("/modules/basics/first/complete")
    assert (
        response.status_code == 302 and response.location == "/modules/basics/first#lesson-status"
    )
    after = text_of(client.get("/modules/basics/first"))
    assert "Đã hoàn thành bài học." in after  # the flash
    assert "Bạn đã hoàn thành bài học này." in after
    assert "Đã hoàn thành 1/2 bài học" in after
    assert "Đánh dấu đã học xong" not in after
    client.post("/modules/basics/first/complete")  # twice is harmless
    assert "Đã hoàn thành 1/3 bài học" in text_of(client.get("/progress"))


def test_complete_and_continue_lands_on_the_next_lesson_then_the_quiz(client, course, learner):
    page = text_of(client.get("/modules/basics/first"))
    assert "Hoàn thành và học tiếp" in page
    response = client.post("/modules/basics/first/complete", data={"then": "next"})
    assert response.location == "/modules/basics/second"
    last = client.post("/modules/basics/second/complete", data={"then": "next"})
    assert last.location == "/modules/basics/quiz"
    assert client.post("/modules/basics/second/complete", data={"then": "x"}).status_code == 400


def test_a_visitor_reads_the_first_lesson_of_a_module_but_not_the_second(client, course):
    page = text_of(client.get("/modules/basics/first"))
    assert "Đọc tiếp với một tài khoản miễn phí" in page
    assert "Đánh dấu đã học xong" not in page
    second = client.get("/modules/basics/second")
    assert second.status_code == 302 and "/login" in second.location


def test_progress_page_per_module_and_overall(client, course, learner):
    client.post("/modules/next/only/complete")
    page = text_of(client.get("/progress"))
    assert "Đã hoàn thành 1/3 bài học" in page
    # every lesson read, but the quiz is still to pass: not completed yet
    assert table_row(page, "Bước 1: Khởi động")[1:] == ["1 / 1", "Chưa làm", "Cần đạt bài kiểm tra"]
    assert table_row(page, "Nhập môn")[1:] == ["0 / 2", "Chưa làm", "Chưa bắt đầu"]


def test_continue_where_you_left_off_opens_the_next_unread_lesson(client, course, learner):
    def continued() -> str | None:
        found = re.search(
            r'<a class="button primary" href="([^"]+)">.{0,200}?Tiếp tục', text_of(client.get("/"))
        )
        return found.group(1) if found else None

    assert continued() is None
    client.get("/modules/basics/first")
    assert continued() == "/modules/basics/first"
    assert "Học tiếp từ chỗ bạn dừng" in text_of(client.get("/"))
    client.post("/modules/basics/first/complete")
    assert continued() == "/modules/basics/second"
    client.post("/modules/basics/second/complete")
    assert continued() == "/modules/next/only"
    client.post("/modules/next/only/complete")
    home = text_of(client.get("/"))
    assert continued() is None
    assert "Bạn đã hoàn thành mọi bài học." in home


def test_complete_without_csrf_token_is_refused(app, client, course, learner):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/modules/basics/first/complete")
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn" in response.get_data(as_text=True)


def test_ping_is_trivial(client):
    response = client.get("/ping")
    assert response.get_data(as_text=True) == "ok"


def test_lesson_page_reads_little_from_the_database(client, course, learner, count_queries):
    client.get("/modules/basics/first")  # first visit records the opening
    client.get("/modules/basics/second")
    count_queries.clear()
    client.get("/modules/basics/first")
    # the user, the content version and the learner's progress; texts come from memory
    assert len(count_queries) == 3, count_queries


def test_imported_change_is_shown_at_once(client, app, course, learner, tmp_path):
    import shutil

    from app.content import services as content_services
    from app.content.files import read_course
    from tests.conftest import FIXTURE_COURSE

    assert "Bài đầu tiên" in client.get("/modules/basics/first").get_data(as_text=True)
    shutil.copytree(FIXTURE_COURSE, tmp_path, dirs_exist_ok=True)
    (tmp_path / "courses/01-basics/01-first.vi.md").write_text("# Bài đầu, đã sửa\n\nMới.\n")
    with app.app_context():
        content_services.import_course(read_course(tmp_path)[0])
        db.session.commit()
    assert "Bài đầu, đã sửa" in client.get("/modules/basics/first").get_data(as_text=True)
    assert "Bài đầu, đã sửa" in client.get("/").get_data(as_text=True)
