"""The administrators' workplace: the dashboard's figures on a small programme counted by
hand, the users list with its search and filters, a user's page and its actions, and the
audit log."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app import jobs
from app.assessment.models import Assessment, CompanyResult, Recommendation
from app.audit import AuditEntry
from app.auth.models import Company, LoginSession, Membership, User
from app.content.catalogue import get_catalogue
from app.content.models import Lesson, Module
from app.extensions import db
from app.learn.models import LessonProgress
from app.learn.services import refresh_records
from app.quizzes.models import QuizAttempt
from tests.conftest import PASSWORD, redis_test_url

NOW = datetime.now(UTC)


def add(app, *rows) -> None:
    """Write rows as they are, and count the learners' standing in each module again (as
    a course import does), since the reading and attempts added skip the services."""
    with app.app_context():
        db.session.add_all(rows)
        refresh_records(get_catalogue("vi"))
        db.session.commit()


def ids(app, model, **where) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(model.id).filter_by(**where).order_by(model.id)))


def completed_module(app, user, slug: str, at: datetime) -> None:
    """Every lesson of ``slug`` completed at ``at``, and its quiz passed then."""
    with app.app_context():
        module = db.session.scalar(select(Module).filter_by(slug=slug))
        for lesson_id in db.session.scalars(select(Lesson.id).filter_by(module_id=module.id)):
            db.session.add(LessonProgress(user_id=user.id, lesson_id=lesson_id, opened_at=at,
                                          completed_at=at))  # fmt: skip
        db.session.add(QuizAttempt(user_id=user.id, module_id=module.id, number=1, seed=1,
                                   layout=[], submitted_at=at, score=1.0, passed=True))  # fmt: skip
        db.session.commit()
    add(app)


@pytest.fixture
def admin(make_user, login):
    return login(make_user(role="admin", name="Lê Quốc Bảo"))


@pytest.fixture
def programme(app, course, make_company, make_user):
    """Two companies and three learners: An completed both modules this week and took
    the assessment (step 2), Bình read one lesson long ago, Chi did nothing; one company
    has a result at step 2."""
    first, second = make_company(province="Huế"), make_company(province="Cần Thơ")
    an = make_user(name="Nguyễn Văn An", company_id=first.id, last_login_at=NOW)
    binh = make_user(name="Trần Thị Bình", company_id=first.id)
    chi = make_user(name="Lê Chi", company_id=second.id, email_confirmed_at=None)
    completed_module(app, an, "basics", NOW - timedelta(days=1))
    completed_module(app, an, "next", NOW - timedelta(days=1))
    with app.app_context():
        lesson = db.session.scalar(select(Lesson.id).order_by(Lesson.id))
    old = NOW - timedelta(days=60)
    add(
        app,
        LessonProgress(user_id=binh.id, lesson_id=lesson, opened_at=old),
        Assessment(
            user_id=an.id,
            company_id=first.id,
            answers={},
            submitted_at=NOW,
            placement=2,
            crm_level=1,
            result={},
        ),  # fmt: skip
        CompanyResult(
            company_id=first.id, placement=2, crm_level=1, dimensions={}, respondents=1
        ),  # fmt: skip
    )
    return {"an": an, "binh": binh, "chi": chi, "first": first, "second": second}


# -- the dashboard ---------------------------------------------------------------------------


def test_the_dashboard_counts_the_programme(client, admin, programme):
    page = client.get("/admin/").get_data(as_text=True)
    figures = dict(
        (label.strip(), int(number))
        for number, label in re.findall(r"<li><strong>(\d+)</strong>([^<]+)</li>", page)
    )
    assert figures == {
        "người học": 3,
        "doanh nghiệp": 2,
        "hoạt động trong 7 ngày qua": 1,  # An; Bình read two months ago
        "hoạt động trong 30 ngày qua": 1,
        "lượt đánh giá": 1,
        "học phần đã hoàn thành": 2,
    }


def table_of(page: str, heading_id: str) -> list[tuple[str, int]]:
    section = page.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', section)
    return [(label, int(count)) for label, count in rows]


def test_the_funnel_counts_who_completed_every_module_recommended(app, client, admin, programme):
    an, binh = programme["an"], programme["binh"]
    basics, following = ids(app, Module)
    add(app, Recommendation(user_id=an.id, module_id=basics, rank=1),
        Recommendation(user_id=an.id, module_id=following, rank=2),
        Recommendation(user_id=binh.id, module_id=basics, rank=1))  # fmt: skip
    page = client.get("/admin/").get_data(as_text=True)
    assert table_of(page, "funnel-heading")[-1][1] == 1  # An; Bình only opened a lesson


def test_the_funnel_the_weeks_and_the_ladder_agree_with_the_data(client, admin, programme):
    page = client.get("/admin/").get_data(as_text=True)
    assert [count for _label, count in table_of(page, "funnel-heading")] == [3, 1, 2, 1, 0]
    weeks = table_of(page, "weeks-heading")
    assert len(weeks) == 12 and sum(count for _label, count in weeks) == 2
    assert weeks[-1][1] + weeks[-2][1] == 2  # this week, or last if today is a Monday
    steps = table_of(page, "spread-heading")
    assert [count for _label, count in steps] == [0, 0, 1, 0, 0, 0, 0, 0]
    assert '<svg class="chart" role="img"' in page


# -- users -------------------------------------------------------------------------------------


def names_listed(client, query: str = "") -> list[str]:
    page = client.get(f"/admin/users{query}").get_data(as_text=True)
    return re.findall(r'<th scope="row" data-label="[^"]+"><a href="/admin/users/\d+">([^<]+)</a>',
                      page)  # fmt: skip


def test_the_search_forgives_accents_and_case(client, admin, programme):
    assert names_listed(client, "?q=nguyen+van+an") == ["Nguyễn Văn An"]
    assert names_listed(client, "?q=TRAN%20binh") == ["Trần Thị Bình"]
    assert names_listed(client, "?q=50%25") == []  # a % typed is a %, not "anything"


def test_the_filters_narrow_the_list(client, admin, programme):
    assert names_listed(client, "?province=C%E1%BA%A7n+Th%C6%A1") == ["Lê Chi"]
    assert names_listed(client, "?status=unconfirmed") == ["Lê Chi"]
    assert names_listed(client, "?role=admin") == ["Lê Quốc Bảo"]
    first = programme["first"].id
    assert names_listed(client, f"?company={first}") == ["Trần Thị Bình", "Nguyễn Văn An"]
    assert client.get("/admin/users?role=emperor").status_code == 400
    assert client.get("/admin/users?company=99999999999999").status_code == 200


def test_pages_keep_the_filters(client, admin, make_user, app):
    for n in range(55):
        make_user(role="trainer", name=f"Giảng viên {n:02}")
    page = client.get("/admin/users?role=trainer").get_data(as_text=True)
    assert "/admin/users?page=2&amp;role=trainer" in page
    assert len(names_listed(client, "?role=trainer&page=2")) == 5


def test_a_users_page_shows_their_learning_and_sessions(client, admin, programme, login):
    an = programme["an"]
    page = client.get(f"/admin/users/{an.id}").get_data(as_text=True)
    assert "Nguyễn Văn An" in page and "Đã hoàn thành 2/2 học phần" in page
    assert "100 %" in page  # the quiz attempts
    assert client.get("/admin/users/99999").status_code == 404


def test_changing_a_role_is_logged_and_not_allowed_on_oneself(app, client, admin, programme):
    an = programme["an"]
    assert client.post(f"/admin/users/{an.id}/role", data={"role": "trainer"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, an.id).role == "trainer"
        entry = db.session.scalar(select(AuditEntry))
        assert (entry.action, entry.actor_id, entry.user_id) == ("user.role", admin.id, an.id)
        assert entry.details == {"role": ["learner", "trainer"]}
    assert client.post(f"/admin/users/{admin.id}/role", data={"role": "learner"}).status_code == 400
    assert client.post(f"/admin/users/{an.id}/role", data={"role": "god"}).status_code == 400


def test_deactivating_ends_the_sessions_and_reactivating_lets_them_back(
    app, client, admin, programme, login
):
    an = programme["an"]
    other = app.test_client()
    login(an, into=other)
    assert client.post(f"/admin/users/{an.id}/active", data={"active": "0"}).status_code == 302
    with app.app_context():
        assert not db.session.get(User, an.id).active
        assert db.session.scalars(select(LoginSession).filter_by(user_id=an.id)).all() == []
    assert other.get("/progress").status_code == 302  # signed out
    client.post(f"/admin/users/{an.id}/active", data={"active": "1"})
    response = other.post("/login", data={"email": an.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.post(f"/admin/users/{an.id}/active", data={"active": "x"}).status_code == 400
    assert client.post(f"/admin/users/{admin.id}/active", data={"active": "0"}).status_code == 400


def test_an_administrator_sends_a_reset_link(app, client, admin, programme, mailbox):
    an = programme["an"]
    assert client.post(f"/admin/users/{an.id}/reset").status_code == 302
    (message,) = mailbox.messages
    assert (
        message["To"] == an.email
        and "/password/reset/" in message.get_body(("plain",)).get_content()
    )


def test_an_account_without_a_password_gets_its_welcome_e_mail_again(
    app, client, admin, programme, mailbox
):
    chi = programme["chi"]
    with app.app_context():
        db.session.get(User, chi.id).set_password(None)
        db.session.commit()
    page = client.get(f"/admin/users/{chi.id}").get_data(as_text=True)
    assert "Gửi lại thư chào mừng" in page
    assert client.post(f"/admin/users/{chi.id}/reset").status_code == 302
    (message,) = mailbox.messages
    assert message["To"] == chi.email and "/password/reset/" in message.get_body(
        ("plain",)).get_content()  # fmt: skip
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.action).filter_by(user_id=chi.id)) == (
            "user.welcome_link"
        )


def test_an_invitation_waiting_is_sent_again_from_the_persons_page(
    app, client, admin, programme, mailbox
):
    first, chi = programme["first"], programme["chi"]
    client.post(f"/admin/companies/{first.id}/invitations", data={"emails": chi.email})
    page = client.get(f"/admin/users/{chi.id}").get_data(as_text=True)
    assert "Lời mời đang chờ địa chỉ này" in page and first.name in page
    form = page.split('id="invitations-heading"', 1)[1].split("</section>", 1)[0]
    assert f'value="{chi.email}"' in form
    assert client.post(f"/admin/companies/{first.id}/invitations",
                       data={"emails": chi.email}).status_code == 302  # fmt: skip
    first_link, second_link = (re.search(r"(/join/\S+)", m.get_body(("plain",)).get_content())
                               .group(1) for m in mailbox.messages)  # fmt: skip
    assert first_link != second_link
    company_page = client.get(f"/admin/companies/{first.id}").get_data(as_text=True)
    assert "Gửi lại lời mời" in company_page


# -- the audit log -------------------------------------------------------------------------


def test_the_audit_log_lists_filters_and_downloads(app, client, admin, programme):
    an, binh = programme["an"], programme["binh"]
    client.post(f"/admin/users/{an.id}/role", data={"role": "trainer"})
    client.post(f"/admin/users/{binh.id}/active", data={"active": "0"})
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "user.role" in page and "user.deactivate" in page and "learner → trainer" in page
    only = client.get("/admin/audit?action=user.deactivate").get_data(as_text=True)
    assert "user.deactivate" in only and "learner → trainer" not in only
    download = client.get("/admin/audit.csv")
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["at", "actor", "action", "user_id", "company_id", "details"]
    assert [row[2] for row in rows[1:]] == ["user.deactivate", "user.role"]
    assert rows[2][1] == "Lê Quốc Bảo" and rows[2][5] == "role: learner → trainer"


def test_only_administrators_see_administration_in_the_menu(client, make_user, login):
    login(make_user(role="trainer"))
    assert "/admin/" not in client.get("/").get_data(as_text=True)
    login(make_user(role="admin"))
    assert 'href="/admin/"' in client.get("/").get_data(as_text=True)


# -- companies -----------------------------------------------------------------------------


def companies_listed(client, query: str = "") -> list[str]:
    page = client.get(f"/admin/companies{query}").get_data(as_text=True)
    return re.findall(r'<a href="/admin/companies/\d+">([^<]+)</a>', page)


def test_the_companies_list_filters(client, admin, programme, make_company):
    first, second = programme["first"], programme["second"]
    make_company(name="Xưởng gỗ Bình Dương", sector="manufacturing", province="Đồng Nai")
    assert set(companies_listed(client)) == {first.name, second.name, "Xưởng gỗ Bình Dương"}
    assert companies_listed(client, "?step=2") == [first.name]
    assert companies_listed(client, "?sector=manufacturing") == ["Xưởng gỗ Bình Dương"]
    assert companies_listed(client, "?province=C%E1%BA%A7n+Th%C6%A1") == [second.name]
    assert companies_listed(client, "?q=x%C6%B0%E1%BB%9Fng") == ["Xưởng gỗ Bình Dương"]
    assert client.get("/admin/companies?step=9").status_code == 400


def test_a_companys_page_shows_its_memberships_and_result(client, admin, programme):
    page = client.get(f"/admin/companies/{programme['first'].id}").get_data(as_text=True)
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" in page
    assert "bước 2" in page
    assert client.get("/admin/companies/999999").status_code == 404


def company_form(company, **changes) -> dict:
    return {"company_name": company.name, "sector": company.sector,
            "size_band": company.size_band, "province": company.province, **changes}  # fmt: skip


def test_editing_a_company_is_logged_and_a_clash_refused(app, client, admin, programme):
    first, second = programme["first"], programme["second"]
    url = f"/admin/companies/{first.id}/edit"
    assert client.post(url, data=company_form(first, province="Đà Nẵng")).status_code == 302
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).filter_by(action="company.edit"))
        assert entry.details == {"province": ["Huế", "Đà Nẵng"]}
    clash = company_form(first, company_name=second.name, province=second.province)
    response = client.post(url, data=clash)
    assert response.status_code == 400
    assert 'id="company_name-error"' in response.get_data(as_text=True)


def test_an_administrator_appoints_a_manager_and_invites_one(
    app, client, admin, programme, mailbox
):
    first, binh = programme["first"], programme["binh"]
    with app.app_context():
        row = db.session.scalar(select(Membership.id).filter_by(user_id=binh.id, state="active"))
    url = f"/admin/companies/{first.id}/members/{row}/manager"
    assert client.post(url, data={"manager": "1"}).status_code == 302
    with app.app_context():
        assert db.session.get(Membership, row).is_manager
    client.post(f"/admin/companies/{first.id}/invitations",
                data={"emails": "giamdoc@example.vn", "manager": "y"})  # fmt: skip
    (message,) = mailbox.messages
    link = re.search(r"http://localhost(/join/\S+)", message.get_body(("plain",)).get_content())
    client.post("/logout")
    account = {"name": "Giám đốc", "email": "giamdoc@example.vn", "password": PASSWORD,
               "confirm": PASSWORD}  # fmt: skip
    client.post(link.group(1), data=account)
    with app.app_context():
        newcomer = db.session.scalar(select(User).filter_by(email="giamdoc@example.vn"))
        assert newcomer.is_company_manager and newcomer.company_id == first.id


def test_merging_a_duplicate_moves_its_people_and_answers(app, client, admin, programme):
    first, second, chi = programme["first"], programme["second"], programme["chi"]
    add(app, Assessment(user_id=chi.id, company_id=second.id, answers={}, submitted_at=NOW,
                        placement=1, crm_level=0, result={}))  # fmt: skip
    response = client.post(f"/admin/companies/{second.id}/merge", data={"into": first.id})
    assert response.status_code == 302 and response.location == f"/admin/companies/{first.id}"
    with app.app_context():
        assert db.session.get(Company, second.id) is None
        assert db.session.get(User, chi.id).company_id == first.id
        moved = db.session.scalar(select(Assessment.company_id).filter_by(user_id=chi.id))
        assert moved == first.id
        entry = db.session.scalar(select(AuditEntry).filter_by(action="company.merge"))
        assert entry.details["merged"][0] == second.id and entry.company_id == first.id
    page = client.get(f"/admin/companies/{first.id}").get_data(as_text=True)
    assert "Lê Chi" in page


def test_a_company_cannot_be_merged_into_itself_or_nothing(client, admin, programme):
    first = programme["first"]
    itself = client.post(f"/admin/companies/{first.id}/merge", data={"into": first.id})
    assert itself.status_code == 400 and 'id="into-error"' in itself.get_data(as_text=True)
    nothing = client.post(f"/admin/companies/{first.id}/merge", data={"into": 999999})
    assert nothing.status_code == 400
    assert client.post(f"/admin/companies/{first.id}/merge", data={"into": "x"}).status_code == 400


# -- the completion report -----------------------------------------------------------------


def report_rows(client, query: str = "") -> list[list[str]]:
    download = client.get(f"/admin/reports.csv{query}")
    assert download.status_code == 200
    return list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))


def test_the_report_by_module_counts_by_hand(client, admin, programme):
    header, *rows = report_rows(client)
    assert header == ["Nhóm", "Người học", "Đã bắt đầu", "Đã hoàn thành",
                      "Tỉ lệ đạt bài kiểm tra (%)", "Số ngày trung vị để hoàn thành"]  # fmt: skip
    # three learners; An started and completed both modules (and passed both quizzes),
    # Bình opened the first lesson of basics two months ago, Chi nothing
    assert rows == [["Nhập môn", "3", "2", "1", "100", "0.0"],
                    ["Bước 1: Khởi động", "3", "1", "1", "100", "0.0"]]  # fmt: skip
    page = client.get("/admin/reports").get_data(as_text=True)
    assert '<svg class="chart"' in page and "Nhập môn" in page


def test_the_report_by_company_and_over_a_date_range(client, admin, programme):
    first, second = programme["first"], programme["second"]
    _header, *rows = report_rows(client, "?by=company")
    assert sorted(rows) == sorted([[first.name, "2", "2", "1", "100", "0.0"],
                                   [second.name, "1", "0", "0", "", ""]])  # fmt: skip
    since = (NOW - timedelta(days=30)).date().isoformat()
    _header, *rows = report_rows(client, f"?by=company&start={since}")
    assert [first.name, "2", "1", "1", "100", "0.0"] in rows  # Bình's start was earlier
    assert client.get("/admin/reports?by=planet").status_code == 400


def test_the_report_by_learner_has_a_row_for_each(client, admin, programme):
    an, chi = programme["an"], programme["chi"]
    _header, *rows = report_rows(client, "?by=learner")
    assert len(rows) == 3
    assert [f"{an.name} <{an.email}>", "1", "1", "1", "100", "0.0"] in rows
    assert [f"{chi.name} <{chi.email}>", "1", "0", "0", "", ""] in rows


def test_the_maturity_report_spreads_companies_and_shows_how_they_moved(app, client, admin,
                                                                        programme):  # fmt: skip
    second, chi = programme["second"], programme["chi"]
    add(app, Assessment(user_id=chi.id, company_id=second.id, answers={}, placement=1,
                        submitted_at=NOW - timedelta(days=90), crm_level=0, result={}),
        Assessment(user_id=chi.id, company_id=second.id, answers={}, placement=3,
                   submitted_at=NOW - timedelta(days=1), crm_level=0, result={}),
        CompanyResult(company_id=second.id, placement=3, crm_level=0, dimensions={},
                      respondents=1))  # fmt: skip
    download = client.get("/admin/maturity.csv?by=province")
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert ["Huế", "0", "0", "1", "0", "0", "0", "0", "0", "1"] in rows  # the first, step 2
    assert ["Cần Thơ", "0", "0", "0", "1", "0", "0", "0", "0", "1"] in rows
    # the first company was assessed once; the second moved from step 1 to step 3
    movement = rows[rows.index([]) + 2 :]
    assert movement[1] == ["Bước 1", "0", "0", "0", "1", "0", "0", "0", "0"]
    assert sum(int(cell) for row in movement for cell in row[1:]) == 1
    page = client.get("/admin/maturity").get_data(as_text=True)
    assert page.count('<svg class="chart"') == 2
    moved = page.split('id="movement"', 1)[1]
    assert re.findall(
        r"<tr><th[^>]*>([^<]+)</th><td[^>]*>([^<]+)</td><td[^>]*>(\d+)</td>", moved
    ) == [("Bước 1", "Bước 3", "1")]
    book = client.get("/admin/maturity.xlsx?by=sector")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(book.get_data())).active
    assert sheet.cell(row=1, column=10).value == "Tổng"
    assert client.get("/admin/maturity?by=planet").status_code == 400


def test_the_report_downloads_as_xlsx(client, admin, programme):
    from openpyxl import load_workbook

    download = client.get("/admin/reports.xlsx?by=province")
    sheet = load_workbook(io.BytesIO(download.get_data())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Nhóm" and sorted(row[0] for row in rows[1:]) == ["Cần Thơ", "Huế"]


class TestLargeExports:
    @pytest.fixture
    def app_settings(self, tmp_path):
        return {"JOBS_REDIS_URL": redis_test_url(), "EXPORTS_DIR": str(tmp_path)}

    def test_a_large_xlsx_is_written_in_the_background_and_then_linked(
        self, app, client, admin, programme
    ):
        from openpyxl import load_workbook

        with app.app_context():
            jobs._queue().empty()
        response = client.get("/admin/reports.xlsx?by=learner")
        assert response.status_code == 302 and response.location.startswith("/admin/exports/")
        waiting = client.get(response.location).get_data(as_text=True)
        assert 'http-equiv="refresh"' in waiting
        jobs.work(app, burst=True)
        ready = client.get(response.location).get_data(as_text=True)
        link = re.search(r'href="(/admin/exports/[^"]+/file)"', ready).group(1)
        download = client.get(link)
        assert "dx-academy-completion-by-learner.xlsx" in download.headers["Content-Disposition"]
        sheet = load_workbook(io.BytesIO(download.get_data())).active
        assert sheet.max_row == 4  # the headings and the three learners
        assert client.get("/admin/exports/no-such-job/file").status_code == 404
        with app.app_context():
            other = jobs.enqueue(print, "not an export")
        jobs.work(app, burst=True)
        assert client.get(f"/admin/exports/{other}/file").status_code == 404
        assert client.get("/admin/reports.csv?by=learner").status_code == 200  # sent at once


@pytest.mark.parametrize(
    "url",
    [
        "/admin/maturity?by=%00",
        "/admin/maturity?programme=99999999999999999999",
        "/admin/maturity.xlsx?programme=-1",
        "/admin/reports?by=learner&programme=abc",
        "/admin/reports.csv?by=learner&start=2026-13-01",
        "/admin/reports.xlsx?by=learner&end=0001-01-01",
        "/admin/at-risk?page=999999999999",
        "/admin/at-risk?programme=99999999999999999999",
        "/admin/at-risk.csv?page=-5",
        "/admin/imports/" + "x" * 500,
        "/admin/exports/%E2%80%AE/file",
    ],
)
def test_a_report_asked_for_with_a_hostile_address_is_refused_not_broken(client, admin, url):
    assert client.get(url).status_code in (200, 400, 404)
