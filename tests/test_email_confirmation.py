"""A new account confirms its email by a link: until then the person reads and takes
quizzes, but their assessment answers do not count in their company's result."""

import re

from sqlalchemy import select

from app.assessment.models import CompanyResult
from app.auth.models import Membership, User
from app.extensions import db
from tests.test_assessment_web import PAGES, form_for
from tests.test_auth import NEW_COMPANY

COLLEAGUE = {**NEW_COMPANY, "email": "hanh@caphesonghan.vn", "name": "Võ Thị Hạnh"}


def link_in(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/account/confirm/\S+)", text).group(1)


def answer_everything(client, instrument):
    for page in PAGES:
        data = form_for(page, lambda q: "yes" if q.kind == "yesno" else None)
        client.post(f"/assessment/page/{page}", data=data)
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


def test_answers_count_for_the_company_once_the_email_is_confirmed_and_the_request_approved(
    app, client, instrument, mailbox, login
):
    client.post("/register", data=NEW_COMPANY)
    client.get(link_in(mailbox.messages[0]))
    answer_everything(client, instrument)
    assert respondents(app) == 1
    client.post("/logout")
    client.post("/register", data={**COLLEAGUE, "company_choice": "existing"})
    answer_everything(client, instrument)
    client.get(link_in(mailbox.to(COLLEAGUE["email"])[0]))
    assert respondents(app) == 1  # confirmed, but a manager has not let them in yet
    with app.app_context():
        founder = db.session.scalar(select(User).filter_by(email=NEW_COMPANY["email"].lower()))
        request_id = db.session.scalar(select(Membership.id).filter_by(state="requested"))
        db.session.expunge(founder)
    login(founder)
    client.post(f"/my-company/requests/{request_id}/approve")
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
    user = login(make_user())
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
