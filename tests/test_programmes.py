"""Programmes: an administrator creates one, enrols companies (with all their members)
and learners, and finds them by it in the users and companies lists and in imports."""

import re

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.auth.models import User
from app.auth.services import mark_confirmed
from app.extensions import db
from app.programmes.models import Programme, programme_learners
from tests.test_admin import companies_listed, names_listed
from tests.test_import import write


@pytest.fixture
def admin(make_user, login):
    return login(make_user(role="admin", name="Lê Quốc Bảo"))


def create(client, **changes):
    data = {"name_vi": "Chuyển đổi số 2027", "name_en": "Digital transformation 2027",
            "starts_on": "2027-01-05", "ends_on": "2027-06-30", **changes}  # fmt: skip
    return client.post("/admin/programmes", data=data)


def programme_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Programme.id))


def test_an_administrator_creates_a_programme_with_its_modules(app, client, admin, course):
    with app.app_context():
        from app.content.models import Module

        basics = db.session.scalar(select(Module.id).filter_by(slug="basics"))
    response = create(client, modules=[str(basics)])
    assert response.status_code == 302
    with app.app_context():
        programme = db.session.scalar(select(Programme))
        assert [module.slug for module in programme.modules] == ["basics"]
        assert str(programme.ends_on) == "2027-06-30"
        assert db.session.scalar(select(AuditEntry.action)) == "programme.create"
    page = client.get("/admin/programmes").get_data(as_text=True)
    assert "Chuyển đổi số 2027" in page


def test_a_programme_that_ends_before_it_starts_is_refused_next_to_the_field(
    app, client, admin, course
):
    response = create(client, ends_on="2026-12-31")
    assert response.status_code == 400
    assert 'id="ends_on-error"' in response.get_data(as_text=True)
    assert create(client, name_vi="").status_code == 400
    assert create(client, starts_on="not a date").status_code == 400
    assert programme_id(app) is None


def test_enrolling_companies_and_learners_puts_them_in_the_lists(
    app, client, admin, course, make_company, make_user
):
    create(client)
    pid = programme_id(app)
    company = make_company(name="Gốm Bát Tràng", tax_code="0314409058")
    member = make_user(name="Thành viên Gốm", company_id=company.id)
    alone = make_user(name="Người học tự do", company_id=None)
    make_user(name="Người ngoài")
    url = f"/admin/programmes/{pid}"
    assert client.post(f"{url}/companies", data={"companies": "0314.409.058"}).status_code == 302
    assert client.post(f"{url}/learners", data={"emails": alone.email}).status_code == 302
    assert set(names_listed(client, f"?programme={pid}")) == {member.name, alone.name}
    assert companies_listed(client, f"?programme={pid}") == ["Gốm Bát Tràng"]
    unknown = client.post(f"{url}/companies", data={"companies": "424242"})
    assert unknown.status_code == 400 and "424242" in unknown.get_data(as_text=True)
    assert client.post(f"{url}/learners", data={"emails": "ai@example.vn"}).status_code == 400
    client.post(f"{url}/companies/{company.id}/remove")
    assert names_listed(client, f"?programme={pid}") == [alone.name]


def test_an_import_enrols_learners_in_the_programme_it_names(app, runner, client, admin,
                                                              course, tmp_path):  # fmt: skip
    create(client)
    text = ("name,email,programme\nAn,an@example.vn,Digital transformation 2027\n"
            "Bình,binh@example.vn,Không có chương trình này\n")  # fmt: skip
    result = runner.invoke(args=["users", "import", write(tmp_path, text), "--dry-run"])
    assert re.search(r"row 3, programme: ", result.output)
    good = "name,email,cohort1\nAn,an@example.vn,chuyển đổi số 2027\n"
    app.config["SERVER_NAME"] = "academy.example.vn"
    result = runner.invoke(args=["users", "import", write(tmp_path, good)])
    assert result.exit_code == 0, result.output
    app.config["SERVER_NAME"] = None
    assert names_listed(client, f"?programme={programme_id(app)}") == ["An"]


def test_learners_away_for_two_weeks_with_a_required_module_are_at_risk(
    app, client, admin, course, make_user
):
    from datetime import UTC, datetime, timedelta

    from app.content.models import Lesson, Module
    from app.learn.models import LessonProgress
    from tests.test_admin import completed_module

    now = datetime.now(UTC)
    with app.app_context():
        basics = db.session.scalar(select(Module.id).filter_by(slug="basics"))
        lesson = db.session.scalar(select(Lesson.id).filter_by(module_id=basics))
    create(client, modules=[str(basics)])
    pid = programme_id(app)
    away = make_user(name="Vắng lâu", created_at=now - timedelta(days=40))
    busy = make_user(name="Chăm chỉ", created_at=now - timedelta(days=40), last_login_at=now)
    done = make_user(name="Xong rồi", created_at=now - timedelta(days=40))
    free = make_user(name="Không chương trình", created_at=now - timedelta(days=40))
    with app.app_context():
        db.session.add(LessonProgress(user_id=away.id, lesson_id=lesson,
                                      opened_at=now - timedelta(days=20)))  # fmt: skip
        db.session.commit()
    completed_module(app, done, "basics", now - timedelta(days=30))
    emails = ", ".join(person.email for person in (away, busy, done))
    client.post(f"/admin/programmes/{pid}/learners", data={"emails": emails})
    page = client.get(f"/admin/at-risk?programme={pid}").get_data(as_text=True)
    assert "Vắng lâu" in page and "Nhập môn" in page and "1 người học có nguy cơ" in page
    assert client.get(f"/admin/at-risk?programme={pid}&page=2").status_code == 404
    assert "Chăm chỉ" not in page and "Xong rồi" not in page
    assert free.name not in client.get("/admin/at-risk").get_data(as_text=True)
    download = client.get(f"/admin/at-risk.csv?programme={pid}").get_data(as_text=True)
    assert download.splitlines()[1].startswith("Vắng lâu,")
    assert client.get("/admin/at-risk?programme=999").status_code == 404


def test_an_address_without_an_account_is_invited_and_enrolled_once_confirmed(
    app, client, admin, course, make_user, mailbox
):
    create(client)
    pid = programme_id(app)
    url = f"/admin/programmes/{pid}/learners"
    refused = client.post(url, data={"emails": "moi@example.vn"})
    assert refused.status_code == 400 and "moi@example.vn" in refused.get_data(as_text=True)
    assert mailbox.messages == []
    assert client.post(url, data={"emails": "moi@example.vn, khac@example.vn",
                                  "invite": "y"}).status_code == 302  # fmt: skip
    assert sorted(m["To"] for m in mailbox.messages) == ["khac@example.vn", "moi@example.vn"]
    body = mailbox.messages[0].get_body(("plain",)).get_content()
    assert "/register" in body
    page = client.get(f"/admin/programmes/{pid}").get_data(as_text=True)
    assert "Đã mời, đang chờ tài khoản" in page and "moi@example.vn" in page
    newcomer = make_user(email="moi@example.vn", email_confirmed_at=None)
    with app.app_context():
        assert newcomer.id not in programme_learners_of(pid)
        mark_confirmed(db.session.get(User, newcomer.id))
        db.session.commit()
        assert newcomer.id in programme_learners_of(pid)
    client.post(f"/admin/programmes/{pid}/invitations/withdraw", data={"email": "khac@example.vn"})
    page = client.get(f"/admin/programmes/{pid}").get_data(as_text=True)
    assert "khac@example.vn" not in page and "Đã mời, đang chờ tài khoản" not in page
    assert client.post(f"/admin/programmes/{pid}/invitations/withdraw").status_code == 400


def programme_learners_of(pid: int) -> set[int]:
    return set(db.session.scalars(select(programme_learners.c.user_id)
                                  .where(programme_learners.c.programme_id == pid)))  # fmt: skip
