"""Both languages: Vietnamese first, the choice sticks, every message is translated."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).parent.parent / "app/translations/vi/LC_MESSAGES/messages.po"


def test_vietnamese_is_the_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in html and "Khóa học" in html


def test_browser_language_is_followed(client):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_visitor_switch_sticks_in_a_cookie_and_returns_to_the_page(client, course):
    response = client.post("/locale", data={"locale": "en", "next": "/modules/basics"})
    assert response.status_code == 302 and response.location == "/modules/basics"
    assert "locale=en" in response.headers["Set-Cookie"]
    assert "<h1>Basics</h1>" in client.get("/modules/basics").get_data(as_text=True)


def test_switch_refuses_to_leave_the_site(client):
    response = client.post("/locale", data={"locale": "en", "next": "https://evil.example"})
    assert response.location == "/"


def test_switch_ignores_unknown_language(client):
    client.post("/locale", data={"locale": "fr", "next": "/"})
    assert '<html lang="vi">' in client.get("/").get_data(as_text=True)


def test_user_choice_is_saved_and_beats_the_cookie(client, app, make_user, login):
    from app.auth.models import User
    from app.extensions import db

    user = login(make_user())
    client.post("/locale", data={"locale": "en", "next": "/"})
    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"
    client.set_cookie("locale", "vi")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_every_interface_message_has_a_vietnamese_translation():
    catalogue = read_po(CATALOGUE.open("rb"))
    untranslated = [
        m.id for m in catalogue if m.id and not (m.string if isinstance(m.string, str)
                                                 else all(m.string))
    ]  # fmt: skip
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_error_pages_speak_the_users_language(client):
    assert "Không tìm thấy trang" in client.get("/nowhere").get_data(as_text=True)
    client.set_cookie("locale", "en")
    assert "Page not found" in client.get("/nowhere").get_data(as_text=True)


@pytest.mark.own_app
def test_server_error_page_is_friendly(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Hệ thống gặp sự cố" in response.get_data(as_text=True)


def test_api_errors_are_json(client):
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404
    assert response.get_json()["error"] == "Not Found"
