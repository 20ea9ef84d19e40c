"""Fixtures: an application with its own empty database per test, its client and CLI
runner, factories for users and companies, and the small course in tests/fixtures."""

import itertools
import os
from pathlib import Path

import pytest
from sqlalchemy import event
from werkzeug.security import generate_password_hash

from app import create_app
from app.content import services as content_services
from app.content.files import read_course
from app.extensions import db
from app.models import Company, User
from config import DEV_SECRET_KEY, database_url

FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"
REPO = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
_PASSWORD_HASH = generate_password_hash(PASSWORD)  # hashed once: scrypt is slow on purpose
_counter = itertools.count(1)

TEST_SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": DEV_SECRET_KEY,
    "SQLALCHEMY_DATABASE_URI": database_url(os.environ.get("TEST_DATABASE_URL"))
    if os.environ.get("TEST_DATABASE_URL")
    else "sqlite://",
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "RATELIMIT_STORAGE_URI": "memory://",
    "CATALOGUE_CHECK_SECONDS": 0,
}


@pytest.fixture
def app_settings() -> dict:
    """Override in a test module to change the application's settings."""
    return {}


@pytest.fixture
def app(app_settings):
    app = create_app({**TEST_SETTINGS, **app_settings})
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


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
            user = User(
                email=f"user{n}@example.vn",
                name=f"Người học {n}",
                role=role,
                password_hash=_PASSWORD_HASH,
                **fields,
            )
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
        return user

    return make


@pytest.fixture
def login(client):
    """Log the test client in as ``user`` without going through the form."""

    def do(user: User) -> User:
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
        return user

    return do


def import_course_files(app, root: Path):
    """Import the course under ``root`` into the test database; return its modules."""
    modules, problems = read_course(root)
    assert not problems
    with app.app_context():
        content_services.import_course(modules)
        db.session.commit()
    return modules


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
    """A list that collects the SQL statements run while the test uses it."""
    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    yield statements
    event.remove(engine, "before_cursor_execute", before)
