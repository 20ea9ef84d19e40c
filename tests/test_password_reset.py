"""A forgotten password, reset by e-mail: a signed link that works once, for an hour,
sent through a real SMTP server; the same answer whether or not the email has an
account."""

import re

import pytest

from tests.conftest import PASSWORD

NEW = "một mật khẩu mới dài"


def ask(client, email, **headers):
    return client.post("/password/forgot", data={"email": email}, headers=headers)


def link_in(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/password/reset/\S+)", text).group(1)


def test_the_link_arrives_in_both_parts_in_the_users_language(client, make_user, mailbox):
    user = make_user()
    response = ask(client, user.email.upper())
    assert response.status_code == 302 and response.location == "/login"
    assert "một liên kết để chọn mật khẩu mới đang được gửi tới" in client.get("/login").get_data(
        as_text=True
    )
    (message,) = mailbox.messages
    assert message["To"] == user.email
    assert message["Subject"] == "Chọn mật khẩu mới cho DX Academy"
    html = message.get_body(("html",)).get_content()
    assert link_in(message) in html and f"Chào {user.name}," in html


def test_the_answer_is_the_same_for_an_email_without_an_account(client, mailbox):
    response = ask(client, "nobody@example.vn")
    assert response.status_code == 302 and response.location == "/login"
    assert mailbox.messages == []


def test_the_link_sets_a_new_password_once_and_ends_every_session(
    app, client, make_user, login, mailbox
):
    user = make_user()
    other = app.test_client()
    login(user, into=other)
    ask(client, user.email)
    link = link_in(mailbox.messages[0])
    assert client.get(link).status_code == 200
    response = client.post(link, data={"new_password": NEW, "confirm": NEW})
    assert response.status_code == 302 and response.location == "/login"
    assert other.get("/account").status_code == 302  # signed out
    assert client.post("/login", data={"email": user.email, "password": NEW}).status_code == 302
    client.post("/logout")
    assert (
        client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 400
    )
    again = client.post(
        link, data={"new_password": "yet another long one", "confirm": "yet another long one"}
    )
    assert again.status_code == 400
    assert "Liên kết này không còn dùng được" in again.get_data(as_text=True)


def test_a_tampered_or_made_up_link_does_not_work(client, make_user, mailbox):
    ask(client, make_user().email)
    link = link_in(mailbox.messages[0])
    for bad in (
        link[:-2] + ("aa" if not link.endswith("aa") else "bb"),
        "/password/reset/x",
        "/password/reset/" + "a" * 500,
    ):
        assert client.get(bad).status_code == 400, bad


def test_the_new_password_meets_the_rules(client, make_user, mailbox):
    user = make_user()
    ask(client, user.email)
    link = link_in(mailbox.messages[0])
    response = client.post(link, data={"new_password": "12345678", "confirm": "12345678"})
    assert response.status_code == 400
    assert "mật khẩu phổ biến nhất" in response.get_data(as_text=True)


class TestExpiry:
    @pytest.fixture
    def app_settings(self):
        return {"RESET_TOKEN_SECONDS": -1}

    def test_an_expired_link_does_not_work(self, client, make_user, mailbox):
        ask(client, make_user().email)
        response = client.get(link_in(mailbox.messages[0]))
        assert response.status_code == 400
        assert "Gửi cho tôi liên kết mới" in response.get_data(as_text=True)
