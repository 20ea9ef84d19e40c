"""``flask certificates …``: keys, issue, revoke, and the documents written to files."""

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.extensions import db
from tests.certificates.conftest import certificates_of


@pytest.fixture
def server_name(app):
    app.config["SERVER_NAME"] = "academy.example.vn"


def test_keygen_makes_a_new_current_key_and_keeps_the_older(runner, keys_dir):
    first = runner.invoke(args=["certificates", "keygen"])
    second = runner.invoke(args=["certificates", "keygen"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output
    assert len(list(keys_dir.glob("*.pem"))) == 2
    newest = second.output.split()[3]  # "New current key <kid> in <folder>."
    assert (keys_dir / "current").read_text().strip() == newest


def test_issue_prints_the_code_and_revoke_takes_it(app, runner, course, make_user):
    user = make_user()
    result = runner.invoke(
        args=["certificates", "issue", "--email", user.email, "--module", "basics",
              "--reason", "Lớp học trực tiếp"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    code = result.output.strip()
    assert len(code) == 14
    [certificate] = certificates_of(app, user.id)
    assert certificate.reason == "Lớp học trực tiếp"
    again = runner.invoke(
        args=["certificates", "issue", "--email", user.email, "--module", "basics"]
    )
    assert again.exit_code != 0 and "already holds" in again.output
    revoked = runner.invoke(args=["certificates", "revoke", code.lower(), "--reason", "Sai"])
    assert revoked.exit_code == 0, revoked.output
    assert certificates_of(app, user.id)[0].state == "revoked"
    with app.app_context():
        assert set(db.session.scalars(select(AuditEntry.action))) >= {
            "certificate.issue", "certificate.revoke"
        }  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ["issue", "--email", "no@one.vn", "--module", "basics"],
        ["issue", "--email", "x@y.vn"],
        ["revoke", "ZZZZ-ZZZZ-ZZZZ", "--reason", "x"],
        ["pdf", "ZZZZ-ZZZZ-ZZZZ", "out.pdf"],
    ],
)
def test_mistakes_are_clear_errors(runner, course, args, server_name):
    result = runner.invoke(args=["certificates", *args])
    assert result.exit_code != 0 and "Error:" in result.output


def test_unknown_module_and_programme(runner, course, make_user):
    user = make_user()
    for option in (["--module", "nope"], ["--programme", "Nope"]):
        result = runner.invoke(args=["certificates", "issue", "--email", user.email, *option])
        assert result.exit_code != 0 and "No " in result.output


def test_pdf_and_credential_are_written_to_files(
    app, runner, course, make_user, issue, tmp_path, server_name
):
    code = issue(make_user())
    pdf = runner.invoke(args=["certificates", "pdf", code, str(tmp_path / "c.pdf")])
    assert pdf.exit_code == 0, pdf.output
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")
    jwt = runner.invoke(args=["certificates", "credential", code, str(tmp_path / "c.jwt")])
    assert jwt.exit_code == 0, jwt.output
    assert (tmp_path / "c.jwt").read_text().count(".") == 2


def test_documents_need_the_sites_address(runner, course, make_user, issue, tmp_path):
    code = issue(make_user())
    result = runner.invoke(args=["certificates", "pdf", code, str(tmp_path / "c.pdf")])
    assert result.exit_code != 0 and "SERVER_NAME" in result.output
