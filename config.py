"""Configuration classes. Every setting can be overridden from the environment with the
``DXA_`` prefix (``DXA_SECRET_KEY``, ``DXA_SQLALCHEMY_DATABASE_URI`` ...); the common
deployment variables ``SECRET_KEY``, ``DATABASE_URL`` and ``REDIS_URL`` are read as well."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused outside debug and tests


def database_url(url: str | None) -> str:
    """SQLAlchemy's URL for ``url``: PostgreSQL through psycopg 3; SQLite in instance/
    when none is given."""
    url = url or ""
    if url.startswith("postgres://"):  # Heroku-style URLs name the dialect differently
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url or f"sqlite:///{BASE_DIR / 'instance' / 'dx-academy.sqlite'}"


def _instance_secret() -> str | None:
    """The key `make run` writes to instance/secret_key, so that local commands share it."""
    path = BASE_DIR / "instance" / "secret_key"
    return path.read_text().strip() if path.is_file() else None


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY") or _instance_secret() or DEV_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    # Check pooled server connections before use; a SQLite file needs no such check.
    SQLALCHEMY_ENGINE_OPTIONS: dict = (
        {} if SQLALCHEMY_DATABASE_URI.startswith("sqlite") else {"pool_pre_ping": True}
    )

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Secure is also set per request when the request came over HTTPS (see app.security).
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "") == "1"
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    # No request body may be larger (two GIFT files of 512 KB and their form fit).
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # The cookie is sent when the session changes (logging in, a first form), not with
    # every response: a session lasts 14 days from logging in.
    SESSION_REFRESH_EACH_REQUEST = False
    # Behind a reverse proxy that sets X-Forwarded-Proto/For: the number of proxies.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # E-mail (app.mail): where it goes; without MAIL_URL, to the console and MAIL_OUTBOX.
    MAIL_URL = os.environ.get("MAIL_URL")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_FROM", "DX Academy <no-reply@dxacademy.local>")
    MAIL_OUTBOX = str(BASE_DIR / "instance" / "outbox")
    #: where large report files written in the background wait a day to be fetched
    #: (with several app servers and workers, a folder they all share)
    EXPORTS_DIR = os.environ.get("DXA_EXPORTS_DIR") or str(BASE_DIR / "instance" / "exports")
    # Background jobs (app.jobs) on Redis; without it they run at once, in the request.
    JOBS_REDIS_URL = os.environ.get("REDIS_URL")
    JOB_TIMEOUT = 600
    # How long a password-reset link and an email-confirmation link work.
    RESET_TOKEN_SECONDS = 3600
    CONFIRM_TOKEN_SECONDS = 7 * 86400
    # How long an invitation sent to one address works (a company's shared link works
    # until its managers revoke it).
    INVITE_TOKEN_SECONDS = 14 * 86400
    # How long the link that an imported account chooses its first password with works.
    WELCOME_TOKEN_SECONDS = 14 * 86400

    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Registrations from one address.
    AUTH_RATE_LIMIT = "10 per minute; 60 per hour"
    # Failed logins (a login that succeeds is never counted): guessing at one account
    # stops whatever the addresses, while an office behind one address, its staff
    # mistyping now and then, keeps logging in.
    LOGIN_ACCOUNT_LIMIT = "10 per 15 minutes"
    LOGIN_ACCOUNT_ADDRESS_LIMIT = "5 per minute"
    LOGIN_ADDRESS_LIMIT = "100 per 15 minutes"
    # Reset links asked for one account: no inbox is flooded.
    RESET_ACCOUNT_LIMIT = "3 per hour"
    # New confirmation links one account may ask for.
    CONFIRM_RESEND_LIMIT = "3 per hour"
    # Invitations one manager may send, counted by address: enough to invite a company's
    # staff in a morning, too few to make the platform a relay for anyone's mail.
    INVITE_LIMIT = "100 per hour; 300 per day"
    # Requests to join a company that one account may make.
    JOIN_REQUEST_LIMIT = "10 per hour"

    # Certificates (app.certificates): who issues them, and the issuer's signing keys, in
    # this folder (created with the first key when it is missing: `flask certificates
    # keygen` makes a new current key, the older ones stay published) or, as a PEM, in the
    # CERTIFICATE_KEY variable.
    CERTIFICATE_ISSUER = os.environ.get("CERTIFICATE_ISSUER", "DX Academy")
    CERTIFICATE_KEYS_DIR = os.environ.get("CERTIFICATE_KEYS_DIR") or str(
        BASE_DIR / "instance" / "certificate-keys"
    )
    CERTIFICATE_KEY = os.environ.get("CERTIFICATE_KEY")
    # Codes that match no certificate, typed at /verify from one address: enough for a
    # reader's typos, too few to guess at codes.
    VERIFY_MISS_LIMIT = "10 per minute; 50 per day"

    CONTENT_DIR = BASE_DIR
    # How often each worker checks whether the published content changed (seconds).
    CONTENT_CHECK_SECONDS = 1.0
    # How many values built from the content (catalogue, pools, page fragments) each
    # worker keeps; the least recently used go first.
    CONTENT_CACHE_SIZE = 5000
    PER_PAGE = 20
