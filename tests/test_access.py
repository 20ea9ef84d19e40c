"""Who may open what: every page for a visitor and for each role."""

import pytest
from flask import Blueprint

from app.access import admin_required, trainer_required

PUBLIC = ["/", "/modules/basics", "/login", "/register", "/ping"]
MEMBERS_ONLY = ["/modules/basics/first", "/progress", "/account"]
MEMBER_POSTS = ["/modules/basics/first/complete", "/account/password", "/account/language"]
ROLES = ["learner", "trainer", "admin"]


@pytest.mark.parametrize("url", PUBLIC)
def test_visitor_can_open_public_pages(client, course, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", MEMBERS_ONLY)
def test_visitor_is_sent_to_log_in(client, course, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.location == f"/login?next={url.replace('/', '%2F')}"


@pytest.mark.parametrize("url", MEMBER_POSTS)
def test_visitor_cannot_post_member_forms(client, course, url):
    response = client.post(url)
    assert response.status_code == 302 and response.location.startswith("/login")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", PUBLIC[:2] + MEMBERS_ONLY)
def test_every_role_can_open_member_pages(client, course, make_user, login, role, url):
    login(make_user(role=role))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_logged_in_user_is_sent_home_from_login_and_register(client, make_user, login, role):
    login(make_user(role=role))
    assert client.get("/login").status_code == 302
    assert client.get("/register").status_code == 302


@pytest.fixture
def app_settings():
    return {}


@pytest.fixture
def guarded(app):
    """Two pages guarded by the role decorators later features use."""
    bp = Blueprint("guarded", __name__)
    bp.add_url_rule("/t/trainer", "trainer", trainer_required(lambda: "trainer page"))
    bp.add_url_rule("/t/admin", "admin", admin_required(lambda: "admin page"))
    app.register_blueprint(bp)
    return app


@pytest.mark.parametrize(
    ("role", "trainer_status", "admin_status"),
    [("learner", 403, 403), ("trainer", 200, 403), ("admin", 200, 200)],
)
def test_role_decorators(guarded, client, make_user, login, role, trainer_status, admin_status):
    login(make_user(role=role))
    assert client.get("/t/trainer").status_code == trainer_status
    assert client.get("/t/admin").status_code == admin_status


def test_role_decorator_sends_visitor_to_log_in(guarded, client):
    response = client.get("/t/admin")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_forbidden_page_is_friendly_and_translated(guarded, client, make_user, login):
    login(make_user())
    page = client.get("/t/admin").get_data(as_text=True)
    assert "Bạn không thể mở trang này" in page
    client.set_cookie("locale", "en")
    login(make_user(role="learner", locale="en"))
    assert "You cannot open this page" in client.get("/t/admin").get_data(as_text=True)
