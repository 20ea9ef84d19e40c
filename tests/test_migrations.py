"""The migrations build the same schema as the models, on SQLite and on PostgreSQL."""

import json
import os
from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from app import create_app
from app.assessment import instrument as instrument_module
from app.assessment import scoring
from app.assessment import services as assessment_services
from app.assessment.models import Assessment
from app.auth.models import Membership, User
from app.course import import_files, read
from app.demo import demo_answer
from app.extensions import db
from app.quizzes.models import QuizQuestion, QuizQuestionTranslation, QuizQuestionVersion
from tests.conftest import FIXTURE_COURSE, REPO, TEST_SETTINGS, database_uri

TABLES = {
    "companies", "users", "modules", "module_translations", "module_prerequisites",
    "lessons", "lesson_translations", "lesson_progress", "alembic_version", "content_state",
    "glossary_terms", "glossary_translations", "quiz_questions", "quiz_question_translations",
    "quiz_files", "quiz_attempts", "quiz_attempt_items", "login_sessions", "account_tokens",
    "memberships", "sent_reminders", "audit_log", "programmes", "programme_modules",
    "programme_companies", "programme_learners", "quiz_question_versions",
    "quiz_question_version_texts", "certificates", "search_entries", "search_index",
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

    from app.search.models import is_index

    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"include_name": lambda name, type_, _parents: not is_index(name, type_)},
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_upgrading_keeps_each_submitted_assessment_as_it_was_scored(empty_database):
    """0005 stores each result with its instrument's digest: an assessment submitted
    before the upgrade shows the placement it had, and counts as scored with the current
    questions."""
    source = (REPO / "courses/assessment.toml").read_text(encoding="utf-8")
    instrument = instrument_module.parse(source)
    answers = {q.id: demo_answer(q, 3) for q in instrument.questions}
    upgrade(revision="0004_assessment")
    now = datetime.now(UTC)
    with db.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO assessment_instruments (id, source, updated_at) VALUES (1, :s, :t)"),
            {"s": source, "t": now},
        )
        connection.execute(
            text(
                "INSERT INTO users (id, email, name, password_hash, role, is_company_manager,"
                " active, created_at) VALUES (1, 'lan@example.vn', 'Lan', 'x', 'learner',"
                " false, true, :t)"
            ),
            {"t": now},
        )
        connection.execute(
            text(
                "INSERT INTO assessments (id, user_id, answers, started_at, updated_at,"
                " submitted_at, placement, crm_level) VALUES (1, 1, :a, :t, :t, :t, 0, 0)"
            ),
            {"a": json.dumps(answers), "t": now},
        )
    upgrade()
    snapshot = db.session.get(Assessment, 1)
    expected = scoring.assess(instrument, answers)
    assert scoring.result_to_dict(expected) == snapshot.result
    assert expected.placement > 0
    assert assessment_services.is_current(snapshot)


def test_upgrading_renders_the_questions_already_stored(empty_database):
    upgrade()
    files = read(FIXTURE_COURSE)
    import_files(files)
    db.session.commit()
    before = db.session.execute(
        select(QuizQuestionTranslation.id, QuizQuestionTranslation.rendered)
    ).all()
    db.session.remove()
    downgrade(revision="0006_login_sessions")
    upgrade()
    after = db.session.execute(
        select(QuizQuestionTranslation.id, QuizQuestionTranslation.rendered)
    ).all()
    assert sorted(after) == sorted(before) and len(after) > 10


def test_upgrading_makes_the_earliest_member_of_each_unmanaged_company_its_manager(
    empty_database,
):
    upgrade(revision="0008_account_tokens")
    now = datetime.now(UTC)
    with db.engine.begin() as connection:
        for company_id in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO companies (id, name, name_key, sector, size_band, province,"
                    " created_at) VALUES (:i, :n, :n, 'food', 'small', 'Huế', :t)"
                ),
                {"i": company_id, "n": f"company {company_id}", "t": now},
            )
        for user_id, company_id, manager in (
            (1, 1, False),
            (2, 1, False),
            (3, 2, False),
            (4, 2, True),
        ):
            connection.execute(
                text(
                    "INSERT INTO users (id, email, name, password_hash, role, is_company_manager,"
                    " company_id, active, created_at) VALUES (:i, :e, 'x', 'x', 'learner', :m, :c,"
                    " true, :t)"
                ),
                {"i": user_id, "e": f"u{user_id}@x.vn", "m": manager, "c": company_id, "t": now},
            )
    upgrade()
    members = db.session.execute(
        select(
            Membership.user_id, Membership.company_id, Membership.state, Membership.is_manager
        ).order_by(Membership.user_id)
    )
    assert list(members) == [
        (1, 1, "active", True), (2, 1, "active", False),
        (3, 2, "active", False), (4, 2, "active", True),
    ]  # fmt: skip
    assert db.session.get(User, 4).company_id == 2
    db.session.remove()
    downgrade(revision="0011_email_confirmation")
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT id, company_id, is_company_manager FROM users"))
        assert sorted(rows) == [(1, 1, True), (2, 1, False), (3, 2, False), (4, 2, True)]


def test_upgrading_makes_each_stored_question_its_version_1(empty_database):
    upgrade()
    import_files(read(FIXTURE_COURSE))
    db.session.commit()
    db.session.remove()
    downgrade(revision="0023_one_edit_per_revision")
    upgrade()
    questions = db.session.scalars(select(QuizQuestion)).all()
    versions = db.session.scalars(select(QuizQuestionVersion)).all()
    assert len(versions) == len(questions) > 5
    assert {(v.question_id, v.number) for v in versions} == {(q.id, 1) for q in questions}
    for version in versions:
        texts = db.session.get(QuizQuestion, version.question_id).translations
        assert {lang: t.source for lang, t in version.texts.items()} == {
            lang: t.source for lang, t in texts.items()
        }


def test_upgrading_indexes_the_course_already_stored_as_the_application_does(empty_database):
    """0028 fills search's entries by the application's rules, repeated: a course
    imported before the upgrade is found as one imported after it."""
    from app.search import services as search_services
    from app.search.matching import parse_query
    from app.search.models import SearchEntry

    def entries():
        columns = (SearchEntry.kind, SearchEntry.locale, SearchEntry.module_id,
                   SearchEntry.lesson_id, SearchEntry.term_id, SearchEntry.title,
                   SearchEntry.body, SearchEntry.folded_title, SearchEntry.folded_body)  # fmt: skip
        return sorted(db.session.execute(select(*columns)).all())

    upgrade()
    import_files(read(FIXTURE_COURSE))
    db.session.commit()
    indexed = entries()
    db.session.remove()
    downgrade(revision="0027_certificates")
    assert "search_entries" not in inspect(db.engine).get_table_names()
    upgrade()
    assert entries() == indexed and len(indexed) == 14
    found = search_services.search(parse_query("khach hang", "vi"), "vi")
    assert [result.kind for result in found.shown] == ["term", "lesson"]
