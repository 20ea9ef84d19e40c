"""Headers, cookies, rate limits and redirects that keep users safe."""

import pytest

from app.security import is_safe_next
from tests.conftest import PASSWORD


def test_every_page_sends_security_headers(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers


def test_pages_carry_no_inline_script_or_external_files(client, course, make_user, login):
    login(make_user())
    for url in ["/", "/register", "/modules/basics", "/modules/basics/first", "/account"]:
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and " on" + "click=" not in html
        assert "http://" not in html.replace('xmlns="http://', "")
        assert "https://" not in html, url


def test_session_cookie_is_httponly_lax_and_not_secure_over_http(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_over_https(client, make_user):
    user = make_user()
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        base_url="https://dx.example.vn",
    )
    assert "Secure" in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" in response.headers


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/modules/x", True),
        ("/progress?tab=1", True),
        (None, False),
        ("", False),
        ("modules", False),
        ("//evil.example", False),
        ("/\\evil.example", False),
        ("https://evil.example", False),
        ("javascript:alert(1)", False),
        ("/\\/evil.example", False),
    ],
)
def test_is_safe_next(target, safe):
    assert is_safe_next(target) is safe


class TestRateLimit:
    @pytest.fixture
    def app_settings(self):
        return {"RATELIMIT_ENABLED": True, "AUTH_RATE_LIMIT": "3 per minute"}

    def test_login_attempts_are_limited(self, client):
        statuses = [
            client.post("/login", data={"email": "a@b.vn", "password": "x"}).status_code
            for _ in range(4)
        ]
        assert statuses == [400, 400, 400, 429]
        assert "Quá nhiều lần thử" in client.post("/login").get_data(as_text=True)

    def test_reading_the_login_page_is_not_limited(self, client):
        assert {client.get("/login").status_code for _ in range(5)} == {200}

    def test_registration_is_limited(self, client):
        statuses = {client.post("/register", data={}).status_code for _ in range(4)}
        assert 429 in statuses


def test_redis_is_used_for_rate_limits_when_configured(monkeypatch):
    import importlib

    import config

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/15")
    reloaded = importlib.reload(config)
    assert reloaded.Config.RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/15"
    monkeypatch.delenv("REDIS_URL")
    assert importlib.reload(config).Config.RATELIMIT_STORAGE_URI == "memory://"


def test_production_refuses_the_development_secret_key():
    from app import create_app

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"TESTING": False, "DEBUG": False})


def test_personal_pages_are_kept_by_no_cache_and_static_files_are(client, course, make_user, login):
    login(make_user())
    for url in ("/", "/progress", "/modules/basics/first", "/account"):
        assert client.get(url).headers["Cache-Control"] == "private, no-store", url
    assert "no-store" not in client.get("/static/app.css").headers.get("Cache-Control", "")


def test_the_session_cookie_is_sent_only_when_the_session_changes(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert "session=" in response.headers.get("Set-Cookie", "")
    client.get("/account")  # the first page with a form keeps its token in the session
    for url in ("/static/app.css", "/account", "/glossary", "/"):
        assert "Set-Cookie" not in client.get(url).headers, url


def test_a_method_not_allowed_names_the_allowed_ones(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}
