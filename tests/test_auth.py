"""Registering, logging in and out, and the account page."""

import re

import pytest
from sqlalchemy import func, select

from app.auth.models import Company, User
from app.extensions import db
from tests.conftest import PASSWORD


def errors_in(html: str) -> list[str]:
    return re.findall(r'class="field-error" id="([\w-]+)-error">([^<]*)<', html)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


NEW_COMPANY = {
    "name": "Phạm Minh Tuấn",
    "email": "Tuan@CaPheSongHan.vn",
    "password": "mat-khau-dai",
    "confirm": "mat-khau-dai",
    "company_choice": "new",
    "company_name": "Cà phê Sông Hàn",
    "sector": "food",
    "size_band": "small",
    "province": "Đà Nẵng",
}


def test_register_with_a_new_company_logs_the_learner_in(client, app):
    response = client.post("/register", data=NEW_COMPANY)
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Xin chào, Phạm Minh Tuấn" in home
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "tuan@caphesonghan.vn"
        assert user.role == "learner"
        assert user.company.name == "Cà phê Sông Hàn"
        assert user.company.size_band == "small"
        assert user.password_hash.startswith("scrypt:")
        assert user.is_company_manager  # who registers a company manages it


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Hãy nhập một địa chỉ email hợp lệ."),
        ({"name": "   "}, "name", "Vui lòng điền mục này."),
        ({"password": "short", "confirm": "short"}, "password", "Hãy dùng ít nhất 8 ký tự."),
        ({"confirm": "something-else"}, "confirm", "Hai mật khẩu không khớp nhau."),
        ({"company_name": ""}, "company_name", "Vui lòng điền mục này."),
        ({"province": "Atlantis"}, "province", "Lựa chọn không hợp lệ."),
        ({"size_band": "huge"}, "size_band", "Lựa chọn không hợp lệ."),
        ({"company_choice": "existing", "company_name": ""}, "company_name",
         "Vui lòng điền mục này."),
        ({"company_choice": "existing", "company_name": "Không có"}, "company_name",
         "Chưa có doanh nghiệp nào tên này đăng ký ở tỉnh, thành này: hãy kiểm tra lại cả hai,"
         " hoặc đăng ký doanh nghiệp."),
        ({"company_choice": "existing", "tax_code": "0314409058"}, "tax_code",
         "Chưa có doanh nghiệp nào đăng ký với mã số thuế này: hãy kiểm tra lại, hoặc đăng ký"
         " doanh nghiệp."),
        ({"name": "A" * 121}, "name", "Không được dài quá 120 ký tự."),
        ({"sector": "   "}, "sector", "Lựa chọn không hợp lệ."),
        ({"province": " "}, "province", "Lựa chọn không hợp lệ."),
        ({"size_band": "\t"}, "size_band", "Lựa chọn không hợp lệ."),
        ({"tax_code": "12345"}, "tax_code",
         "Mã số thuế gồm 10 chữ số, hoặc 13 chữ số với chi nhánh (0312345678-001)."),
        ({"tax_code": "03144090x8"}, "tax_code",
         "Mã số thuế gồm 10 chữ số, hoặc 13 chữ số với chi nhánh (0312345678-001)."),
        ({"tax_code": "0314409059"}, "tax_code",
         "Chữ số cuối của mã số thuế này không khớp với các chữ số còn lại: hãy kiểm tra lại."),
        ({"company_choice": "elsewhere"}, "company_choice", "Lựa chọn không hợp lệ."),
    ],
)  # fmt: skip
def test_register_bad_input_is_shown_next_to_the_field_and_nothing_is_written(
    client, app, change, field, message
):
    response = client.post("/register", data={**NEW_COMPANY, **change})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert (field, message) in errors_in(html)
    assert count(app, User) == 0 and count(app, Company) == 0


def test_register_keeps_what_was_typed_except_passwords(client):
    html = client.post("/register", data={**NEW_COMPANY, "email": "bad"}).get_data(as_text=True)
    assert 'value="Phạm Minh Tuấn"' in html
    assert 'value="Cà phê Sông Hàn"' in html
    assert '<option selected value="Đà Nẵng">' in html
    assert "mat-khau-dai" not in html


def test_register_refuses_an_email_in_use_whatever_its_case(client, app, make_user):
    user = make_user()
    response = client.post("/register", data={**NEW_COMPANY, "email": user.email.upper()})
    assert response.status_code == 400
    assert ("email", "Email này đã có tài khoản. Hãy đăng nhập.") in errors_in(
        response.get_data(as_text=True)
    )
    assert count(app, Company) == 1  # only the existing user's company


def test_register_in_english_shows_english_messages(client):
    client.set_cookie("locale", "en")
    html = client.post("/register", data={**NEW_COMPANY, "email": "x"}).get_data(as_text=True)
    assert ("email", "Enter a valid email address.") in errors_in(html)
    assert '<html lang="en">' in html


def test_login_and_logout(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/"
    assert "Đăng xuất" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    assert client.get("/progress").status_code == 302


def test_wrong_email_and_wrong_password_get_the_same_message(client, make_user):
    user = make_user()
    wrong_password = client.post("/login", data={"email": user.email, "password": "nope-nope"})
    wrong_email = client.post("/login", data={"email": "who@example.vn", "password": PASSWORD})
    assert wrong_password.status_code == wrong_email.status_code == 400
    message = ("password", "Email hoặc mật khẩu không đúng.")
    assert message in errors_in(wrong_password.get_data(as_text=True))
    assert message in errors_in(wrong_email.get_data(as_text=True))
    assert f'value="{user.email}"' in wrong_password.get_data(as_text=True)


def test_inactive_user_cannot_log_in(client, make_user):
    user = make_user(active=False)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/progress", "/progress"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_login_follows_only_safe_next(client, make_user, target, expected):
    user = make_user()
    response = client.post(
        f"/login?next={target}", data={"email": user.email, "password": PASSWORD}
    )
    assert response.location == expected


def test_change_password(client, app, make_user, login):
    user = login(make_user())
    bad = client.post(
        "/account/password",
        data={"current_password": "wrong-one", "new_password": "new-password-1",
              "confirm": "new-password-1"},
    )  # fmt: skip
    assert bad.status_code == 400
    assert ("current_password", "Mật khẩu hiện tại không đúng.") in errors_in(
        bad.get_data(as_text=True)
    )
    good = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "new-password-1",
              "confirm": "new-password-1"},
    )  # fmt: skip
    assert good.status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).check_password("new-password-1")


def test_change_password_mismatch_is_reported(client, make_user, login):
    login(make_user())
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "new-password-1",
              "confirm": "new-password-2"},
    )  # fmt: skip
    assert ("confirm", "Hai mật khẩu không khớp nhau.") in errors_in(
        response.get_data(as_text=True)
    )


def test_language_is_saved_on_the_account(client, app, make_user, login):
    user = login(make_user())
    response = client.post("/account/language", data={"locale": "en"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"
    client.delete_cookie("locale")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_language_form_rejects_unknown_language(client, make_user, login):
    login(make_user())
    assert client.post("/account/language", data={"locale": "fr"}).status_code == 400
