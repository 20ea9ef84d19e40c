"""The command line: content check/import/export, users create, demo."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.auth.models import Company, User
from app.content.models import Lesson, Module
from app.extensions import db
from tests.conftest import FIXTURE_COURSE, REPO


@pytest.fixture
def course_dir(tmp_path) -> Path:
    shutil.copytree(FIXTURE_COURSE, tmp_path, dirs_exist_ok=True)
    return tmp_path


def test_check_passes_on_a_good_course(runner, course_dir):
    result = runner.invoke(args=["content", "check", str(course_dir)])
    assert result.exit_code == 0, result.output
    assert "OK: 2 modules, 3 lessons, 2 glossary terms." in result.output


def test_check_reports_file_and_line_and_fails(runner, course_dir):
    (course_dir / "courses/01-basics/01-first.vi.md").unlink()
    result = runner.invoke(args=["content", "check", str(course_dir)])
    assert result.exit_code != 0
    assert "courses/01-basics/01-first.en.md:1: no Vietnamese translation" in result.output
    assert "1 problem(s) found." in result.output


def test_import_twice_says_nothing_changed(runner, app, course_dir):
    first = runner.invoke(args=["content", "import", str(course_dir)])
    assert first.exit_code == 0, first.output
    # one line of figures, not one line per thing
    assert first.output.startswith("Content: created 2 modules, ")
    assert len(first.output.splitlines()) == 1
    second = runner.invoke(args=["content", "import", str(course_dir)])
    assert second.exit_code == 0
    assert second.output.strip() == "Nothing changed."


def test_import_lists_each_thing_on_request(runner, app, course_dir):
    listed = runner.invoke(args=["content", "import", "--list", str(course_dir)])
    assert "created: module basics" in listed.output.splitlines()


def test_malformed_course_imports_nothing(runner, app, course_dir):
    path = course_dir / "courses/02-next/module.toml"
    path.write_text(path.read_text().replace("minutes = 20", "minutes = -5"))
    result = runner.invoke(args=["content", "import", str(course_dir)])
    assert result.exit_code != 0
    assert "minutes must be a positive number" in result.output
    assert "nothing was imported" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Module.id))) == 0
        assert db.session.scalar(select(func.count(Lesson.id))) == 0


def test_export_round_trip_through_the_cli(runner, course_dir, tmp_path_factory):
    runner.invoke(args=["content", "import", str(course_dir)])
    out = tmp_path_factory.mktemp("out")
    result = runner.invoke(args=["content", "export", str(out)])
    assert result.exit_code == 0
    assert "file(s) written" in result.output
    again = runner.invoke(args=["content", "export", str(out)])
    assert again.output.strip() == "Nothing changed."
    original = (course_dir / "courses/02-next/module.toml").read_bytes()
    assert (out / "courses/02-next/module.toml").read_bytes() == original


def test_users_create_admin(runner, app):
    result = runner.invoke(
        args=["users", "create", "--email", "Boss@Example.vn", "--name", "Chị Hoa",
              "--role", "admin", "--password", "s3cret-pass"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.role) == ("boss@example.vn", "admin")
        assert user.check_password("s3cret-pass")


def test_users_create_refuses_duplicate_and_short_password(runner, make_user):
    user = make_user()
    duplicate = runner.invoke(
        args=["users", "create", "--email", user.email.upper(), "--name", "X",
              "--password", "long-enough"]
    )  # fmt: skip
    assert duplicate.exit_code != 0
    assert "already exists" in duplicate.output
    short = runner.invoke(
        args=["users", "create", "--email", "new@example.vn", "--name", "X", "--password", "short"]
    )
    assert short.exit_code != 0 and "at least 8" in short.output


def test_demo_creates_accounts_once_and_prints_logins(runner, app):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0
    assert "learner@demo.dxacademy.vn / demo-password" in result.output
    assert "admin@demo.dxacademy.vn" in result.output
    runner.invoke(args=["demo"])
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 5
        assert db.session.scalar(select(func.count(Company.id))) == 1


def test_repository_course_passes_check(runner):
    result = runner.invoke(args=["content", "check", str(REPO)])
    assert result.exit_code == 0, result.output


def test_unreadable_glossary_and_assessment_files_are_reported_not_raised(runner, tmp_path):
    shutil.copytree(FIXTURE_COURSE, tmp_path, dirs_exist_ok=True)
    (tmp_path / "courses/glossary.toml").write_bytes(b"[\xff]\n")
    (tmp_path / "courses/assessment.toml").write_bytes(b"version = 1\x00\n")
    result = runner.invoke(args=["content", "import", str(tmp_path)])
    assert result.exit_code != 0
    assert "courses/glossary.toml:1: not valid UTF-8 text" in result.output
    assert "courses/assessment.toml:1: a control character (U+0000)" in result.output
    assert "Traceback" not in result.output


class TestCompaniesInvite:
    @pytest.fixture
    def app_settings(self):
        return {"SERVER_NAME": "academy.example.vn"}

    def test_an_administrator_invites_by_email_and_gets_the_links(
        self, runner, make_company, make_user, mailbox
    ):
        company = make_company(name="Gốm Bát Tràng")
        admin = make_user(role="admin")
        member = make_user(company_id=company.id)
        result = runner.invoke(
            args=["companies", "invite", str(company.id), "an@example.vn", member.email,
                  "--by", admin.email]
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "Invited an@example.vn: http://academy.example.vn/join/" in result.output
        assert f"{member.email} is a member already." in result.output
        (message,) = mailbox.messages
        assert message["To"] == "an@example.vn" and "Gốm Bát Tràng" in message["Subject"]

    def test_it_refuses_a_learner_an_unknown_company_and_a_bad_address(
        self, runner, make_company, make_user
    ):
        company, learner, admin = make_company(), make_user(), make_user(role="admin")
        for args, complaint in (
            ([str(company.id), "a@example.vn", "--by", learner.email], "not an administrator"),
            (["999999", "a@example.vn", "--by", admin.email], "No company has the id"),
            ([str(company.id), "not-an-address", "--by", admin.email], "Not email addresses"),
        ):
            result = runner.invoke(args=["companies", "invite", *args])
            assert result.exit_code != 0 and complaint in result.output


def test_the_demo_learner_has_completed_the_first_module_and_holds_its_certificate(
    runner, app, course
):
    from app.certificates.models import Certificate
    from app.quizzes.models import QuizAttempt

    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        staff = db.session.scalar(select(User).filter_by(email="staff1@demo.dxacademy.vn"))
        attempt = db.session.scalar(select(QuizAttempt).filter_by(user_id=staff.id))
        assert attempt.passed and attempt.score == 100
        certificate = db.session.scalar(select(Certificate).filter_by(user_id=staff.id))
        assert certificate.module.slug == "basics" and not certificate.reason
