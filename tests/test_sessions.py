"""Sessions that end when they should: a copied session cookie signs nobody in after
its session was logged out, after the password changed elsewhere, or once the account
is deactivated."""

from sqlalchemy import func, select

from app.assessment import services as assessment_services
from app.assessment.models import CompanyResult
from app.auth.models import LoginSession, User
from app.extensions import db
from tests.conftest import PASSWORD, REPO
from tests.test_email_confirmation import answer_everything


def log_in(app, user):
    """A new browser that logs in through the form."""
    browser = app.test_client()
    response = browser.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def copy_of(app, browser):
    """Another browser holding the same session cookie (a stolen or copied cookie)."""
    thief = app.test_client()
    cookie = browser.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    return thief


def signed_in(browser) -> bool:
    return browser.get("/account").status_code == 200


def test_a_copied_cookie_stops_working_when_its_session_logs_out(app, make_user):
    browser = log_in(app, make_user())
    thief = copy_of(app, browser)
    assert signed_in(thief)
    browser.post("/logout")
    assert not signed_in(thief) and not signed_in(browser)


def test_changing_the_password_ends_every_other_session(app, make_user):
    user = make_user()
    laptop, phone = log_in(app, user), log_in(app, user)
    response = laptop.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a-new-long-one",
            "confirm": "a-new-long-one",
        },
    )
    assert response.status_code == 302
    assert signed_in(laptop) and not signed_in(phone)


def test_a_deactivated_account_is_signed_out_everywhere(app, make_user, runner):
    user = make_user()
    browser = log_in(app, user)
    result = runner.invoke(args=["users", "deactivate", user.email])
    assert result.exit_code == 0, result.output
    assert not signed_in(browser)
    assert (
        browser.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 400
    )
    runner.invoke(args=["users", "deactivate", "--reactivate", user.email])
    assert signed_in(log_in(app, user))


def test_each_login_is_a_session_of_its_own_and_logging_out_removes_it(app, make_user):
    user = make_user()
    first, _second = log_in(app, user), log_in(app, user)
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginSession.id))) == 2
    first.post("/logout")
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginSession.id))) == 1


def test_the_account_page_lists_the_browsers_and_logs_out_the_others(app, make_user):
    user = make_user()
    phone = log_in(app, user)
    laptop = app.test_client()
    laptop.post(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0) Chrome/131.0 Safari/537.36"},
    )
    page = laptop.get("/account").get_data(as_text=True)
    assert "Chrome · Windows" in page and "trình duyệt này" in page
    assert laptop.post("/account/sessions").status_code == 302
    assert signed_in(laptop) and not signed_in(phone)
    assert "Đăng xuất ở mọi nơi khác" not in laptop.get("/account").get_data(as_text=True)


def test_deleting_the_account_removes_it_and_its_answers_from_the_company(
    app, client, make_user, login
):
    with app.app_context():
        assessment_services.import_instrument((REPO / "courses/assessment.toml").read_text())
        db.session.commit()
        instrument = assessment_services.get_instrument()
    user = login(make_user())
    answer_everything(client, instrument)
    with app.app_context():
        assert db.session.scalar(select(CompanyResult.respondents)) == 1
    wrong = client.post("/account/delete", data={"password": "wrong", "understood": "y"})
    assert wrong.status_code == 400 and "Mật khẩu chưa đúng." in wrong.get_data(as_text=True)
    unticked = client.post("/account/delete", data={"password": PASSWORD})
    assert unticked.status_code == 400
    response = client.post("/account/delete", data={"password": PASSWORD, "understood": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id) is None
        assert db.session.scalar(select(func.count(CompanyResult.company_id))) == 0
    assert not signed_in(client)
