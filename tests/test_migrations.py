"""The migrations build the same schema as the models, on SQLite and on PostgreSQL."""

import os

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app import create_app
from app.extensions import db
from tests.conftest import TEST_SETTINGS, database_uri

TABLES = {
    "companies", "users", "modules", "module_translations", "module_prerequisites",
    "lessons", "lesson_translations", "lesson_progress", "alembic_version", "content_state",
    "glossary_terms", "glossary_translations", "quiz_questions", "quiz_question_translations",
    "quiz_files", "quiz_attempts", "quiz_attempt_items",
}  # fmt: skip


@pytest.fixture
def empty_database(tmp_path):
    if os.environ.get("TEST_DATABASE_URL"):
        uri = database_uri("migrations")
    else:
        uri = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        yield app
        db.session.remove()
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_upgrade_creates_the_schema_and_downgrade_removes_it(empty_database):
    upgrade()
    inspector = inspect(db.engine)
    assert set(inspector.get_table_names()) >= TABLES
    constraints = {c["name"] for c in inspector.get_unique_constraints("companies")}
    assert "uq_companies_name_key_province" in constraints
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


def test_migrated_schema_matches_the_models(empty_database):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    upgrade()
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []
