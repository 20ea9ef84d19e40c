"""Headers, cookies, rate limits and redirects that keep users safe."""

import pytest

from app.extensions import limiter
from app.security import is_safe_next
from tests.conftest import PASSWORD, REPO, redis_test_url


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


LIMITS = {
    "RATELIMIT_ENABLED": True,
    "AUTH_RATE_LIMIT": "3 per minute",
    "LOGIN_ACCOUNT_LIMIT": "4 per 15 minutes",
    "LOGIN_ACCOUNT_ADDRESS_LIMIT": "3 per minute",
    "LOGIN_ADDRESS_LIMIT": "8 per 15 minutes",
}


class TestRateLimit:
    @pytest.fixture
    def app_settings(self):
        return LIMITS

    @staticmethod
    def attempt(client, email, typed="wrong", address="10.0.0.1", **headers):
        return client.post(
            "/login",
            data={"email": email, "password": typed},
            environ_base={"REMOTE_ADDR": address},
            headers=headers,
        ).status_code

    def test_guesses_at_one_account_stop_whatever_the_address(self, client, make_user):
        user = make_user()
        addresses = [f"10.0.0.{n}" for n in range(1, 6)]
        codes = [self.attempt(client, user.email, address=a) for a in addresses]
        assert codes == [400, 400, 400, 400, 429]
        assert self.attempt(client, user.email, PASSWORD, address="10.9.9.9") == 429
        page = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert "Quá nhiều lần thử" in page.get_data(as_text=True)

    def test_the_email_written_another_way_is_the_same_account(self, client, make_user):
        user = make_user()
        spellings = [user.email, user.email.upper(), f" {user.email}", user.email.title()]
        assert [
            self.attempt(client, e, address=f"10.1.0.{n}") for n, e in enumerate(spellings)
        ] == [400] * 4
        assert self.attempt(client, user.email, address="10.1.0.9") == 429

    def test_a_forwarded_for_header_does_not_change_the_address_counted(self, client):
        codes = [
            self.attempt(client, f"x{n}@b.vn", **{"X-Forwarded-For": f"1.2.3.{n}"})
            for n in range(9)
        ]
        assert codes[-1] == 429

    def test_successful_logins_are_never_counted(self, client, make_user):
        user = make_user()
        for _ in range(12):
            assert self.attempt(client, user.email, PASSWORD) == 302
            client.post("/logout")

    def test_an_office_behind_one_address_keeps_logging_in_after_typos(self, client, make_user):
        staff = [make_user() for _ in range(3)]
        for person in staff:
            assert [self.attempt(client, person.email) for _ in range(2)] == [400, 400]
        for person in staff:
            assert self.attempt(client, person.email, PASSWORD) == 302
            client.post("/logout")

    def test_reading_the_login_page_is_not_limited(self, client):
        assert {client.get("/login").status_code for _ in range(5)} == {200}

    def test_registration_is_limited(self, client):
        statuses = {client.post("/register", data={}).status_code for _ in range(4)}
        assert 429 in statuses


class TestRateLimitInRedis(TestRateLimit):
    """The same limits kept in Redis, as in production, where every worker counts on the
    one store (CI sets REDIS_TEST_URL). Each test process counts in a database of its
    own, emptied before each test."""

    @pytest.fixture
    def app_settings(self):
        return {**LIMITS, "RATELIMIT_STORAGE_URI": redis_test_url()}

    @pytest.fixture(autouse=True)
    def no_counts_yet(self, app):
        with app.app_context():
            limiter.reset()


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
    from config import DEV_SECRET_KEY

    # explicit, since `make run` leaves instance/secret_key behind, which Config reads
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"TESTING": False, "DEBUG": False, "SECRET_KEY": DEV_SECRET_KEY})


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


def test_pages_are_compressed_with_brotli_or_gzip(client, course):
    brotli = client.get("/", headers={"Accept-Encoding": "br, gzip"})
    assert brotli.headers["Content-Encoding"] == "br"
    gzip = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert gzip.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in client.get("/").headers  # a client that asks for none


def test_static_files_carry_a_content_hash_and_are_kept_for_a_year(app, client):
    import hashlib

    page = client.get("/").get_data(as_text=True)
    digest = hashlib.sha256((REPO / "static" / "app.css").read_bytes()).hexdigest()[:12]
    assert f"/static/app.css?v={digest}" in page
    cached = client.get(f"/static/app.css?v={digest}")
    assert cached.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "immutable" not in client.get("/static/app.css").headers.get("Cache-Control", "")
    stale = client.get("/static/app.css?v=000000000000")  # an old page's address
    assert "immutable" not in stale.headers.get("Cache-Control", "")
