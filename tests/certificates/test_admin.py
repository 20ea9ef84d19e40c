"""The administrators' certificates: search, revoke, re-issue and issue by hand, each in
the audit log; the dashboard's count."""

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.content.models import Module
from app.extensions import db
from app.models import User
from tests.certificates.conftest import certificates_of, text_of


@pytest.fixture
def admin(make_user, login, client):
    user = login(make_user(role="admin", locale="en"))
    client.set_cookie("locale", "en")
    return user


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_the_list_searches_by_name_code_and_module(app, client, course, make_user, issue, admin):
    lan = make_user(name="Nguyễn Thị Lan")
    code = issue(lan, "basics")
    issue(make_user(name="Trần Văn Minh"), "next")
    page = text_of(client.get("/admin/certificates"))
    assert "Nguyễn Thị Lan" in page and "Trần Văn Minh" in page
    by_name = text_of(client.get("/admin/certificates?q=nguyen lan"))
    assert "Nguyễn Thị Lan" in by_name and "Trần Văn Minh" not in by_name
    by_code = text_of(client.get("/admin/certificates", query_string={"q": code.lower()}))
    assert "Nguyễn Thị Lan" in by_code and "Trần Văn Minh" not in by_code
    by_module = text_of(client.get("/admin/certificates?q=step 1"))
    assert "Trần Văn Minh" in by_module and "Nguyễn Thị Lan" not in by_module
    assert client.get("/admin/certificates?q=" + "x" * 300).status_code == 400
    assert client.get("/admin/certificates?page=9").status_code == 404


def test_revoking_needs_a_reason_and_is_logged(app, client, course, make_user, issue, admin):
    user = make_user()
    code = issue(user)
    assert client.get(f"/admin/certificates/{code}").status_code == 200
    refused = client.post(f"/admin/certificates/{code}/revoke", data={"reason": "  "})
    assert refused.status_code == 400 and "This field is required." in text_of(refused)
    done = client.post(f"/admin/certificates/{code}/revoke", data={"reason": "Đã gian lận"})
    assert done.status_code == 302
    [certificate] = certificates_of(app, user.id)
    assert certificate.state == "revoked" and certificate.revoked_by_id == admin.id
    assert "certificate.revoke" in actions(app)
    again = client.post(f"/admin/certificates/{code}/revoke", data={"reason": "again"})
    assert again.status_code == 400
    page = text_of(client.get(f"/verify/{code}"))
    assert "Đã gian lận" in page


def test_reissuing_after_a_name_correction(app, client, course, make_user, issue, admin):
    user = make_user(name="Nguyen Van An")
    code = issue(user)
    unchanged = client.post(f"/admin/certificates/{code}/reissue", data={})
    assert unchanged.status_code == 400 and "has not changed" in text_of(unchanged)
    with app.app_context():
        db.session.get(User, user.id).name = "Nguyễn Văn An"
        db.session.commit()
    response = client.post(f"/admin/certificates/{code}/reissue", data={})
    assert response.status_code == 302
    old, new = certificates_of(app, user.id)
    assert old.replaced_by_id == new.id and new.holder_name == "Nguyễn Văn An"
    assert "certificate.reissue" in actions(app)
    assert "Replaced" in text_of(client.get(f"/verify/{code}"))


def test_issuing_by_hand_for_offline_training(app, client, course, make_user, admin):
    user = make_user()
    with app.app_context():
        module_id = db.session.scalar(select(Module.id).where(Module.slug == "basics"))
    assert client.get("/admin/certificates/issue").status_code == 200
    form = {"email": user.email, "module": str(module_id), "reason": "Lớp học tại Đà Nẵng"}
    missing = client.post("/admin/certificates/issue", data={**form, "reason": ""})
    assert missing.status_code == 400
    nobody = client.post("/admin/certificates/issue", data={**form, "email": "no@one.vn"})
    assert nobody.status_code == 400 and "No account has this email." in text_of(nobody)
    neither = client.post("/admin/certificates/issue", data={**form, "module": ""})
    assert neither.status_code == 400 and "Choose a module or a programme." in text_of(neither)
    wrong = client.post("/admin/certificates/issue", data={**form, "module": "99999"})
    assert wrong.status_code == 400
    assert client.post("/admin/certificates/issue", data=form).status_code == 302
    [certificate] = certificates_of(app, user.id)
    assert certificate.issued_by_id == admin.id and certificate.reason == "Lớp học tại Đà Nẵng"
    assert "certificate.issue" in actions(app)
    twice = client.post("/admin/certificates/issue", data=form)
    assert twice.status_code == 400 and "already holds a valid certificate" in text_of(twice)


def test_the_dashboard_counts_certificates_issued(client, course, make_user, issue, admin):
    issue(make_user())
    page = text_of(client.get("/admin/"))
    assert "<strong>1</strong> certificates issued" in page


def test_the_list_shows_a_programmes_certificates_and_a_user_page_its_holders(
    app, client, course, make_user, issue, admin
):
    from tests.certificates.test_issuing import _programme

    lan, minh = make_user(name="Nguyễn Thị Lan"), make_user(name="Trần Văn Minh")
    code = issue(lan, "basics")
    issue(minh, "basics")  # not in the programme
    issue(lan, "next")  # in it, but of a module it does not require
    programme_id = _programme(app, lan, ["basics"])
    page = text_of(client.get(f"/admin/certificates?programme={programme_id}"))
    assert "1 certificate" in page and "Nguyễn Thị Lan" in page and "Trần Văn Minh" not in page
    assert client.get("/admin/certificates?programme=999999").status_code == 400
    user_page = text_of(client.get(f"/admin/users/{lan.id}"))
    assert code in user_page and "Step 1" in user_page
