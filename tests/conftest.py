"""Fixtures: an application whose database changes are rolled back after each test, its
client and CLI runner, factories for users and companies, and the small course in
tests/fixtures.

The database is in-memory SQLite, or PostgreSQL when TEST_DATABASE_URL is set; there each
test process (pytest-xdist runs two) and each purpose gets a schema of its own."""

import email
import email.policy
import itertools
import os
import re
import socket
import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text
from werkzeug.security import generate_password_hash

from app import create_app
from app.assessment import services as assessment_services
from app.auth.services import SESSION_TOKEN, start_session
from app.content.catalogue import get_catalogue
from app.course import import_files, read
from app.extensions import db, limiter
from app.models import Company, Membership, User
from app.quizzes.pool import get_pool
from app.quizzes.services import attempts
from config import DEV_SECRET_KEY, database_url

FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"
REPO = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
# Light scrypt parameters for the test users (the platform's own are slow on purpose), so
# that logging in through the form costs a test a millisecond, not a tenth of a second.
PASSWORD_HASH = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
_counter = itertools.count(1)


def database_uri(purpose: str) -> str:
    """A database for one purpose of this test process: in-memory SQLite, or a fresh
    PostgreSQL schema (created empty) when TEST_DATABASE_URL is set."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return "sqlite://"
    schema = f"dxa_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{purpose}"
    engine = create_engine(database_url(url))
    with engine.begin() as connection:
        # search's unaccent (app/search/models.py) lives in public, which no test drops:
        # created in a test's schema, it would go with it; the lock keeps two test
        # processes from creating it at once
        connection.execute(text("SELECT pg_advisory_xact_lock(4823)"))
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public"))
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return f"{database_url(url)}?options=-csearch_path%3D{schema}"


TEST_SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": DEV_SECRET_KEY,
    "SQLALCHEMY_DATABASE_URI": "sqlite://",
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "RATELIMIT_STORAGE_URI": "memory://",
    "CONTENT_CHECK_SECONDS": 0,
    "MAIL_BACKEND": "locmem",
    "MAIL_URL": None,
    "JOBS_REDIS_URL": None,
    # the issuer's keys, made on first need, in a folder of this test run's own
    "CERTIFICATE_KEYS_DIR": tempfile.mkdtemp(prefix="dxa-certificate-keys-"),
    "CERTIFICATE_KEY": None,
}


@pytest.fixture
def app_settings() -> dict:
    """Override in a test module to run its tests on an application of their own, with
    these settings on top of TEST_SETTINGS (and a schema of its own)."""
    return {}


def _sqlite_transactions(engine) -> None:
    """Let pysqlite leave BEGIN to SQLAlchemy, so that a test's outer transaction really
    holds its savepoints (the recipe of SQLAlchemy's SQLite dialect documentation)."""

    @event.listens_for(engine, "connect")
    def connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def begin(connection):
        connection.exec_driver_sql("BEGIN")


def _build_app(settings: dict, purpose: str):
    uri = database_uri(purpose)
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": uri, **settings})
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _sqlite_transactions(db.engine)
        db.session.session_factory.configure(join_transaction_mode="create_savepoint")
        db.drop_all()
        db.create_all()
    return app


def _forget_content_cache(app) -> None:
    app.extensions.pop("dxa_content_cache", None)


@pytest.fixture(scope="session")
def shared_app():
    """The application most tests share: its schema is built once per test process."""
    app = _build_app({}, "shared")
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(request, app_settings):
    """An application whose database changes are rolled back after the test: every
    session joins one outer transaction as a savepoint (Indico's pattern). A test that
    overrides ``app_settings``, or adds routes (``@pytest.mark.own_app``), gets an
    application and a schema of its own."""
    if app_settings or request.node.get_closest_marker("own_app"):
        app = _build_app(app_settings, "own")
        yield app
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
        return
    app = request.getfixturevalue("shared_app")
    # The limiter is one object for every application of the process, switched on by the
    # last one built with limits (a test of them): the shared application has them off.
    limiter.enabled = app.config["RATELIMIT_ENABLED"]
    config = dict(app.config)
    _forget_content_cache(app)
    with app.app_context():
        engines = db.engines
        engine = engines[None]
        connection = engine.connect()
        outer = connection.begin()
        engines[None] = connection
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            outer.rollback()
            connection.close()
            engines[None] = engine
        app.config.clear()
        app.config.update(config)
        _forget_content_cache(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def make_company(app):
    def make(**fields) -> Company:
        n = next(_counter)
        values = {
            "name": f"Company {n}",
            "sector": "retail",
            "size_band": "small",
            "province": "Đà Nẵng",
        } | fields
        with app.app_context():
            company = Company(**values)
            db.session.add(company)
            db.session.commit()
            db.session.refresh(company)
            db.session.expunge(company)
        return company

    return make


@pytest.fixture
def make_user(app, make_company):
    def make(role: str = "learner", **fields) -> User:
        n = next(_counter)
        with app.app_context():
            if "company_id" not in fields and role == "learner":
                fields["company_id"] = make_company().id
            company_id = fields.pop("company_id", None)
            manager = fields.pop("is_company_manager", False)
            fields.setdefault("email_confirmed_at", datetime.now(UTC))
            fields.setdefault("email", f"user{n}@example.vn")
            fields.setdefault("name", f"Người học {n}")
            user = User(role=role, password_hash=PASSWORD_HASH, **fields)
            db.session.add(user)
            db.session.flush()
            if company_id is not None:
                db.session.add(
                    Membership(
                        company_id=company_id,
                        user_id=user.id,
                        state="active",
                        source="founder" if manager else "invitation",
                        is_manager=manager,
                        joined_at=user.created_at,
                    )
                )
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
        return user

    return make


@pytest.fixture
def login(client):
    """Log the test client in as ``user`` without going through the form."""

    def do(user: User, into=client) -> User:
        """``into``: another test client to sign in."""
        with into.application.app_context():
            token = start_session(user)
            db.session.commit()
        with into.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
            session[SESSION_TOKEN] = token
        return user

    return do


def import_course_files(app, root: Path):
    """Import the course under ``root`` into the test database; return its modules."""
    files = read(root)
    assert not files.problems, files.problems
    with app.app_context():
        import_files(files)
        db.session.commit()
    return files.modules


@pytest.fixture
def course(app):
    """The two-module course of tests/fixtures/course, imported."""
    return import_course_files(app, FIXTURE_COURSE)


@pytest.fixture
def real_course(app):
    """The eleven modules of courses/, imported."""
    return import_course_files(app, REPO)


@pytest.fixture
def count_queries(app):
    """A list that collects the SQL statements run while the test uses it (not the
    savepoints that stand for the transactions of the test's requests)."""
    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO")):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    yield statements
    event.remove(engine, "before_cursor_execute", before)


@pytest.fixture
def instrument(app):
    """The maturity assessment of courses/assessment.toml, imported; its parsed form."""
    with app.app_context():
        assessment_services.import_instrument((REPO / "courses/assessment.toml").read_text())
        db.session.commit()
        return assessment_services.get_instrument()


@pytest.fixture
def world(app, course, make_user, make_company):
    """Another learner's submitted quiz attempt and assessment, their company, and their
    account's id."""
    with app.app_context():
        assessment_services.import_instrument((REPO / "courses/assessment.toml").read_text())
        db.session.commit()
    company = make_company()
    owner = make_user(company_id=company.id)
    with app.test_request_context():
        pool = get_pool(get_catalogue("vi").by_slug["basics"].id, "vi")
        attempt = attempts.start_or_resume(owner.id, pool)
        attempts.submit_attempt(attempt, {}, [pool])
        snapshot = assessment_services.submit(db.session.merge(owner))
        db.session.commit()
        return {
            "attempt": attempt.id,
            "snapshot": snapshot.id,
            "company": company.id,
            "user": owner.id,
            "lesson": get_catalogue("vi").by_slug["basics"].lessons[0].id,
        }


def sign_in(role, make_user, make_company, login):
    """Sign the test client in as a new user of ``role`` (anonymous: nobody)."""
    if role == "anonymous":
        return
    if role in ("learner", "manager"):
        user = make_user(company_id=make_company().id, is_company_manager=role == "manager")
    else:
        user = make_user(role=role)
    login(user)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Mailbox:
    """What an SMTP server received, as parsed messages."""

    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted"

    def to(self, address: str) -> list:
        """The messages sent to ``address``, oldest first."""
        return [message for message in self.messages if message["To"] == address]


@contextmanager
def smtp_server():
    """A real SMTP server on loopback: what it received, and the MAIL_URL that sends to
    it."""
    from aiosmtpd.controller import Controller

    box = _Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


@pytest.fixture
def mailbox(app):
    """A real SMTP server on loopback that the application sends its e-mail to; the
    test reads ``mailbox.messages``."""
    from flask_mailman import Mail

    from app.mail import mail_settings

    with smtp_server() as (box, url):
        kept = app.extensions["mailman"]
        app.extensions["mailman"] = Mail.init_mail({**app.config, **mail_settings(url)})
        yield box
        app.extensions["mailman"] = kept


def redis_test_url() -> str:
    """A Redis database of this test process's own (REDIS_TEST_URL, numbered down by
    xdist worker); the test is skipped without it, and fails in CI."""
    url = os.environ.get("REDIS_TEST_URL")
    if not url:
        (pytest.fail if os.environ.get("CI") else pytest.skip)("REDIS_TEST_URL is not set")
    base, number = url.rsplit("/", 1)
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    return f"{base}/{int(number) - worker}"


def table_row(html: str, heading: str) -> list[str]:
    """The texts of the cells of the table row whose heading cell holds ``heading``."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and heading in cells[0]:
            return cells
    return []
