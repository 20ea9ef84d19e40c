"""Who may open what: every page for a visitor and for each role."""

import pytest
from flask import Blueprint

from app.access import admin_required, trainer_required
from app.extensions import db

PUBLIC = ["/", "/modules/basics", "/modules/basics/first", "/login", "/register", "/ping"]
MEMBERS_ONLY = ["/modules/basics/second", "/progress", "/account"]
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
def guarded(app):
    """Two pages guarded by the role decorators later features use."""
    bp = Blueprint("guarded", __name__)
    bp.add_url_rule("/t/trainer", "trainer", trainer_required(lambda: "trainer page"))
    bp.add_url_rule("/t/admin", "admin", admin_required(lambda: "admin page"))
    app.register_blueprint(bp)
    return app


@pytest.mark.own_app
@pytest.mark.parametrize(
    ("role", "trainer_status", "admin_status"),
    [("learner", 403, 403), ("trainer", 200, 403), ("admin", 200, 200)],
)
def test_role_decorators(guarded, client, make_user, login, role, trainer_status, admin_status):
    login(make_user(role=role))
    assert client.get("/t/trainer").status_code == trainer_status
    assert client.get("/t/admin").status_code == admin_status


@pytest.mark.own_app
def test_role_decorator_sends_visitor_to_log_in(guarded, client):
    response = client.get("/t/admin")
    assert response.status_code == 302 and response.location.startswith("/login")


@pytest.mark.own_app
def test_forbidden_page_is_friendly_and_translated(guarded, client, make_user, login):
    login(make_user())
    page = client.get("/t/admin").get_data(as_text=True)
    assert "Bạn không thể mở trang này" in page
    client.set_cookie("locale", "en")
    login(make_user(role="learner", locale="en"))
    assert "You cannot open this page" in client.get("/t/admin").get_data(as_text=True)


class TestAssessmentPages:
    """The assessment: open to anyone until the result, which belongs to a person."""

    @pytest.fixture(autouse=True)
    def instrument(self, app):
        from app.assessment import services
        from tests.conftest import REPO

        with app.app_context():
            services.import_instrument((REPO / "courses/assessment.toml").read_text())
            db.session.commit()

    @pytest.mark.parametrize(
        "url", ["/assessment/", "/assessment/page/customer-marketing", "/assessment/review"]
    )
    @pytest.mark.parametrize("role", [None, *ROLES])
    def test_questionnaire_is_open_to_everyone(self, client, make_user, login, role, url):
        if role:
            login(make_user(role=role))
        assert client.get(url).status_code == 200

    def test_unknown_page_is_404(self, client):
        assert client.get("/assessment/page/nowhere").status_code == 404

    @pytest.mark.parametrize(
        ("role", "manager", "status"),
        [("learner", False, 403), ("learner", True, 200), ("trainer", False, 403),
         ("admin", False, 200)],
    )  # fmt: skip
    def test_company_view_by_role(
        self, client, make_user, make_company, login, role, manager, status
    ):
        company = make_company()
        login(make_user(role=role, is_company_manager=manager, company_id=company.id))
        assert client.get(f"/assessment/company/{company.id}").status_code == status


def test_no_instrument_means_no_assessment(client):
    assert client.get("/assessment/").status_code == 404
