"""What a careless user or an attacker may send: every value that no page offers is
answered with a message in the user's language or a refusal, never a server error, and
nothing is written."""

import pytest
from sqlalchemy import func, select

from app.assessment.models import Assessment
from app.auth.models import User
from app.extensions import db
from tests.conftest import REPO
from tests.test_assessment_web import page_of
from tests.test_auth import errors_in

INSTRUMENT_TEXT = (REPO / "courses/assessment.toml").read_text()


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_an_overlong_login_email_is_answered_next_to_the_field(client):
    response = client.post("/login", data={"email": "a" * 250 + "@x.vn", "password": "x"})
    assert response.status_code == 400
    assert ("email", "Không được dài quá 254 ký tự.") in errors_in(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("POST", "/login", {"email": "lan\x00@example.vn", "password": "x"}),
        ("POST", "/register", {"name": "Lan\x00", "email": "lan@example.vn"}),
        ("GET", "/glossary?q=a\x00b", None),
        ("POST", "/login", {"email\x1b": "lan@example.vn"}),
    ],
)
def test_control_characters_are_refused_in_the_users_language(client, app, method, url, data):
    response = client.open(url, method=method, data=data)
    assert response.status_code == 400
    assert "không văn bản nào chứa được" in response.get_data(as_text=True)
    assert count(app, User) == 0


def test_line_breaks_and_tabs_are_text(client):
    assert client.get("/glossary?q=a%09b%0Ac").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        f"/attempts/{2**31}",
        f"/attempts/{2**63}",
        f"/attempts/{10**30}",
        f"/assessment/results/{2**64}",
        f"/assessment/company/{2**31}",
    ],
)
def test_ids_too_large_for_the_database_are_not_found(client, make_user, login, url):
    login(make_user(role="admin"))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page", [str(2**31), str(2**63), str(10**40), "-5", "x"])
def test_any_page_number_is_answered(client, course, make_user, login, page):
    login(make_user(role="trainer"))
    for view in ("essays", "analysis"):
        response = client.get(f"/modules/basics/quiz/{view}?page={page}")
        assert response.status_code in (200, 404), view


def _question(instrument, kind):
    question = next(q for q in instrument.questions if q.kind == kind)
    return question, "q_" + question.id.replace("-", "_")


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("checklist", "no-such-option", "không phải là lựa chọn có trong danh sách"),
        ("checklist", "   ", "không phải là lựa chọn có trong danh sách"),
        ("yesno", "maybe", "Lựa chọn không hợp lệ."),
        ("yesno", " ", "Lựa chọn không hợp lệ."),
        ("scale", "²", "Lựa chọn không hợp lệ."),
        ("number", "1e309", "Hãy nhập một số"),
        ("number", "-1e999", "Hãy nhập một số"),
        ("number", "9" * 5000, "Hãy nhập một số"),
    ],
)
def test_assessment_answers_not_offered_are_reported_and_nothing_is_saved(
    client, app, instrument, make_user, login, kind, value, message
):
    login(make_user())
    question, name = _question(instrument, kind)
    response = client.post(f"/assessment/page/{page_of(question)}", data={name: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, Assessment) == 0


@pytest.mark.parametrize("position", ["²", "١", "9" * 5000, "-1", " 0"])
def test_a_quiz_choice_not_on_the_page_is_reported_and_nothing_is_saved(
    client, app, course, make_user, login, position
):
    login(make_user())
    page = client.get("/modules/basics/quiz").get_data(as_text=True)
    action = page.split('action="/attempts/', 1)[1].split('"', 1)[0]
    name = page.split('type="radio" name="', 1)[1].split('"', 1)[0]
    response = client.post(f"/attempts/{action}", data={name: position, "save": "1"})
    assert response.status_code == 400
    assert "Hãy chọn một trong các đáp án" in response.get_data(as_text=True)
