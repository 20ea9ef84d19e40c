"""A new account confirms its email by a link: until then the person reads and takes
quizzes, but their assessment answers do not count in their company's result."""

import re

import pytest
from sqlalchemy import select

from app.assessment import services as assessment_services
from app.assessment.models import CompanyResult
from app.auth.models import Company, User
from app.extensions import db
from tests.conftest import REPO
from tests.test_assessment_web import form_for
from tests.test_auth import NEW_COMPANY

COLLEAGUE = {**NEW_COMPANY, "email": "hanh@caphesonghan.vn", "name": "Võ Thị Hạnh"}


@pytest.fixture
def instrument(app):
    with app.app_context():
        assessment_services.import_instrument((REPO / "courses/assessment.toml").read_text())
        db.session.commit()
        return assessment_services.get_instrument()


def link_in(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/account/confirm/\S+)", text).group(1)


def answer_everything(client, instrument):
    for dimension in instrument.dimensions:
        data = form_for(dimension.id, lambda q: "yes" if q.kind == "yesno" else None)
        client.post(f"/assessment/page/{dimension.id}", data=data)
    assert client.post("/assessment/submit").status_code == 302


def respondents(app) -> int | None:
    with app.app_context():
        return db.session.scalar(select(CompanyResult.respondents))


def test_registering_sends_a_link_and_the_page_asks_for_it(client, mailbox):
    client.post("/register", data=NEW_COMPANY)
    (message,) = mailbox.messages
    assert message["Subject"].strip() == "Xác nhận email của bạn cho DX Academy"
    assert "Hãy xác nhận email" in client.get("/").get_data(as_text=True)
    assert client.get(link_in(message)).status_code == 302
    assert "Hãy xác nhận email" not in client.get("/").get_data(as_text=True)
    assert client.get(link_in(message)).status_code == 400  # once only


def test_answers_count_for_the_company_once_the_email_is_confirmed(
    app, client, instrument, mailbox
):
    client.post("/register", data=NEW_COMPANY)
    client.get(link_in(mailbox.messages[0]))
    answer_everything(client, instrument)
    assert respondents(app) == 1
    client.post("/logout")
    with app.app_context():
        company_id = db.session.scalar(select(Company.id))
    joined = {**COLLEAGUE, "company_choice": "existing", "company_id": str(company_id)}
    client.post("/register", data=joined)
    answer_everything(client, instrument)
    assert respondents(app) == 1  # not confirmed yet
    client.get(link_in(mailbox.messages[-1]))
    assert respondents(app) == 2


def test_a_new_link_can_be_asked_for(app, client, mailbox):
    client.post("/register", data=NEW_COMPANY)
    assert client.post("/account/confirm").status_code == 302
    assert len(mailbox.messages) == 2
    client.get(link_in(mailbox.messages[1]))
    with app.app_context():
        assert db.session.scalar(select(User.email_confirmed_at)) is not None


def test_a_made_up_link_does_not_confirm(client):
    assert client.get("/account/confirm/not-a-link").status_code == 400


def test_a_changed_email_is_confirmed_again_and_stops_counting_until_then(
    app, client, instrument, make_user, login, mailbox
):
    user = login(make_user(company_id=None))
    with app.app_context():
        company = Company(name="Xưởng mộc", sector="manufacturing", size_band="micro",
                          province="Huế")  # fmt: skip
        db.session.add(company)
        db.session.flush()
        db.session.get(User, user.id).company_id = company.id
        db.session.commit()
    answer_everything(client, instrument)
    assert respondents(app) == 1
    response = client.post("/account/details", data={"name": "Tên mới", "email": "moi@example.vn"})
    assert response.status_code == 302
    assert respondents(app) is None  # nobody who counts: no combined result
    assert mailbox.messages[-1]["To"] == "moi@example.vn"
    client.get(link_in(mailbox.messages[-1]))
    assert respondents(app) == 1
    with app.app_context():
        assert db.session.get(User, user.id).name == "Tên mới"


def test_an_email_in_use_is_refused_next_to_the_field(client, make_user, login):
    other = make_user()
    login(make_user())
    response = client.post("/account/details", data={"name": "A", "email": other.email})
    assert response.status_code == 400
    assert "Email này đã có tài khoản." in response.get_data(as_text=True)
