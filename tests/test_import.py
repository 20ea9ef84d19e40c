"""Importing learners from a CSV or XLSX file in Moodle's "Upload users" columns: the
reading (pure), the dry run over the whole file, and the import, all or nothing."""

import io
import re
from functools import cache

import pytest
from flask_babel import force_locale
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from app import jobs
from app.admin import imports
from app.admin.importing import COLUMNS, FileRefused, read_learners, read_table
from app.auth.models import Company, Membership, User
from app.extensions import db
from tests.conftest import redis_test_url

GOOD = (
    "\ufefflastname;firstname;email;lang;company;province;sector;size_band;manager\n"
    "Nguyễn Văn;An;an@example.vn;vi;Gốm Bát Tràng;Hà Nội;Sản xuất;small;1\n"
    "Trần Thị;Bình;binh@example.vn;en;Gốm Bát Tràng;ha noi;;;\n"
)


def table(text: str) -> list[list[str]]:
    return read_table(text.encode("utf-8"), "learners.csv")


# -- reading (pure) ------------------------------------------------------------------------


def test_a_moodle_file_with_a_bom_and_semicolons_reads(app):
    with app.test_request_context():
        learners, problems = read_learners(table(GOOD), imports._labels(imports.SECTORS))
    assert problems == []
    an, binh = learners
    assert (an.name, an.email, an.locale, an.manager) == ("Nguyễn Văn An", "an@example.vn", "vi",
                                                         True)  # fmt: skip
    assert an.company.province == "Hà Nội" and binh.company.province == "Hà Nội"
    assert not binh.manager and binh.company.sector is None


def test_sectors_and_sizes_by_their_labels_in_either_language(app):
    text = "name,email,company,province,sector,size_band\nAn,a@x.vn,X,Huế,Bán lẻ và thương mại điện tử,Micro (up to 10 staff)\n"  # noqa: E501
    with app.test_request_context():
        (learner,), problems = read_learners(
            table(text), imports._labels(imports.SECTORS), imports._labels(imports.SIZE_BANDS)
        )
    assert problems == [] and (learner.company.sector, learner.company.size_band) == (
        "retail", "micro",
    )  # fmt: skip


def test_an_xlsx_workbook_reads_like_a_csv():
    book = Workbook()
    book.active.append(["name", "email", "password"])
    book.active.append(["Lê Chi", "chi@example.vn", 12345678])
    data = io.BytesIO()
    book.save(data)
    assert read_table(data.getvalue(), "Learners.XLSX") == [
        ["name", "email", "password"], ["Lê Chi", "chi@example.vn", "12345678"],
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("header", "refusal"),
    [
        ("name,email,shoe_size", 'Unknown column "shoe_size".'),
        ("name,email,email", 'The column "email" is there twice.'),
        ("name,company", 'The file needs an "email" column.'),
        ("email,firstname", 'The file needs a "name" column, or "firstname" and "lastname".'),
    ],
)
def test_a_header_that_cannot_be_read_refuses_the_file_by_name(app, header, refusal):
    with app.test_request_context(), force_locale("en"), pytest.raises(FileRefused) as refused:
        read_learners(table(header + "\nAn,a@x.vn,1\n"))
    with app.test_request_context(), force_locale("en"):
        assert str(refused.value.message) == refusal


def test_every_problem_is_named_by_row_and_column(app):
    text = (
        "name,email,lang,role,province,company\n"
        "An,not-an-email,vi,learner,,\n"
        "Bình,binh@example.vn,fr,emperor,,\n"
        "Chi,BINH@example.vn,,,,\n"
        "Dũng,dung@example.vn,,,Atlantis,\n"
        "Em,em@example.vn,,,Atlantis,Công ty X\n"
    )
    with app.test_request_context(), force_locale("en"):
        learners, problems = read_learners(table(text))
        found = [(p.row, p.column, str(p.message)) for p in problems]
    assert learners == []
    assert found == [
        (2, "email", "This is not an email address."),
        (3, "lang", "The language is vi or en."),
        (3, "role", "The role is learner, trainer or admin."),
        (4, "email", "This email is on an earlier row already."),
        (5, "province", "No province or city has this name."),
        (6, "province", "No province or city has this name."),
    ]


@given(st.lists(st.lists(st.text(max_size=12), min_size=4, max_size=4), min_size=1, max_size=8))
@settings(deadline=None)  # reading runs in an application's context, made once
def test_every_row_is_a_learner_or_has_a_problem(rows):
    """Whatever the cells hold, each row with any text becomes a learner or is named by
    at least one problem, and nothing else is raised."""
    header = ["name", "email", "province", "role"]
    with _reading_app().test_request_context():
        learners, problems = read_learners([header, *rows])
    rows_with_text = {n for n, row in enumerate(rows, start=2) if any(c.strip() for c in row)}
    answered = {learner.row for learner in learners} | {problem.row for problem in problems}
    assert answered == rows_with_text
    assert {learner.row for learner in learners}.isdisjoint({p.row for p in problems})


@cache
def _reading_app():
    from app import create_app
    from tests.conftest import TEST_SETTINGS

    return create_app(TEST_SETTINGS)


def test_the_accepted_columns_are_moodles_and_ours():
    assert {"username", "firstname", "lastname", "email", "password", "lang"} <= COLUMNS
    assert {"company", "company_tax_code", "province", "sector", "size_band", "role",
            "manager", "programme", "name"} <= COLUMNS  # fmt: skip


# -- the command -----------------------------------------------------------------------------


@pytest.fixture
def app_settings():
    return {"SERVER_NAME": "academy.example.vn"}


def write(tmp_path, text: str, name: str = "learners.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(User.id))),
            db.session.scalar(select(func.count(Company.id))),
        )


def test_the_dry_run_changes_nothing(app, runner, tmp_path):
    result = runner.invoke(args=["users", "import", write(tmp_path, GOOD), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "created 2, updated 0, skipped 0, errors 0"
    assert counts(app) == (0, 0)


def test_the_import_creates_accounts_and_companies_and_e_mails_them(app, runner, tmp_path, mailbox):
    result = runner.invoke(args=["users", "import", write(tmp_path, GOOD)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "created 2, updated 0, skipped 0, errors 0"
    assert counts(app) == (2, 1)
    with app.app_context():
        an = db.session.scalar(select(User).filter_by(email="an@example.vn"))
        assert an.is_company_manager and an.company.name == "Gốm Bát Tràng"
        assert an.email_confirmed_at is not None
    assert sorted(m["To"] for m in mailbox.messages) == ["an@example.vn", "binh@example.vn"]
    text = mailbox.to("an@example.vn")[0].get_body(("plain",)).get_content()
    assert "http://academy.example.vn/password/reset/" in text
    again = runner.invoke(args=["users", "import", write(tmp_path, GOOD)])
    assert again.output.splitlines()[-1] == "created 0, updated 0, skipped 2, errors 0"
    changed = GOOD.replace("Nguyễn Văn;An", "Nguyễn Văn;Ân")
    updated = runner.invoke(args=["users", "import", write(tmp_path, changed), "--update"])
    assert updated.output.splitlines()[-1] == "created 0, updated 2, skipped 0, errors 0"
    with app.app_context():
        assert db.session.scalar(select(User.name).filter_by(email="an@example.vn")) == (
            "Nguyễn Văn Ân"
        )


def test_one_bad_row_anywhere_writes_nothing(app, runner, tmp_path):
    bad = GOOD + "Lê;Chi;chi@example.vn;vi;Công ty lạ;Huế;;;\n"
    result = runner.invoke(args=["users", "import", write(tmp_path, bad)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("row 4, company: ")
    assert lines[-1] == "created 2, updated 0, skipped 0, errors 1"
    assert counts(app) == (0, 0)


def test_a_file_that_cannot_be_read_is_refused(app, runner, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,email\nLê,le@x.vn\n".encode("cp1258"))
    result = runner.invoke(args=["users", "import", str(path)])
    assert result.exit_code != 0 and "UTF-8" in result.output


def test_an_imported_learner_moves_into_the_named_company(app, runner, tmp_path, make_user):
    user = make_user(email="an@example.vn")
    result = runner.invoke(args=["users", "import", write(tmp_path, GOOD), "--update"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        states = db.session.scalars(
            select(Membership.state).filter_by(user_id=user.id).order_by(Membership.id)
        ).all()
        assert states == ["removed", "active"]


# -- the page ------------------------------------------------------------------------------


def upload(client, text: str, **extra):
    data = {"file": (io.BytesIO(text.encode("utf-8")), "learners.csv"), **extra}
    return client.post("/admin/imports", data=data, content_type="multipart/form-data")


def test_an_administrator_checks_a_file_then_imports_it(app, client, make_user, login, mailbox):
    login(make_user(role="admin"))
    bad = GOOD + "Lê;Chi;chi@example.vn;vi;Công ty lạ;Huế;;;\n"
    checked = upload(client, bad)
    assert checked.status_code == 400
    page = checked.get_data(as_text=True)
    assert "dòng 4, company:" in page and "import-submit" not in page
    assert counts(app) == (1, 0)
    page = upload(client, GOOD).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/admin/imports/confirm", data={"token": token})
    assert response.status_code == 302 and response.location == "/admin/users"
    assert counts(app) == (3, 1)
    assert len(mailbox.messages) == 2
    again = client.post("/admin/imports/confirm", data={"token": token + "x"})
    assert again.status_code == 302 and counts(app) == (3, 1)


def test_a_file_that_is_not_csv_or_xlsx_is_refused_next_to_the_field(client, make_user, login):
    login(make_user(role="admin"))
    data = {"file": (io.BytesIO(b"hello"), "learners.txt")}
    response = client.post("/admin/imports", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and 'id="file-error"' in response.get_data(as_text=True)


def test_a_cell_that_is_not_text_is_a_problem_and_a_broken_csv_is_refused(app):
    with app.test_request_context(), force_locale("en"):
        learners, problems = read_learners(table("name,email\nA\x00n,a@x.vn\nBình,b@x.vn\n"))
        assert [learner.name for learner in learners] == ["Bình"]
        assert [(p.row, p.column, str(p.message)) for p in problems] == [
            (2, "name", "This cell holds a character that is not text.")
        ]
        with pytest.raises(FileRefused):
            read_table(("name,email\n" + "x" * 200_000 + ",a@x.vn\n").encode(), "big.csv")


class TestInTheBackground:
    @pytest.fixture
    def app_settings(self):
        return {"JOBS_REDIS_URL": redis_test_url()}

    def test_a_worker_imports_the_file_while_a_page_follows_it(
        self, app, client, make_user, login, mailbox
    ):
        with app.app_context():
            jobs._queue().empty()
        login(make_user(role="admin"))
        page = upload(client, GOOD).get_data(as_text=True)
        token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/admin/imports/confirm", data={"token": token})
        assert response.location.startswith("/admin/imports/")
        waiting = client.get(response.location).get_data(as_text=True)
        assert '<meta http-equiv="refresh"' in waiting and "<progress" in waiting
        assert counts(app) == (1, 0)
        jobs.work(app, burst=True)
        done = client.get(response.location).get_data(as_text=True)
        assert "Đã nhập: created 2, updated 0, skipped 0, errors 0." in done
        assert 'http-equiv="refresh"' not in done
        assert counts(app) == (3, 1)
        jobs.work(app, burst=True)  # the welcome e-mails, queued by the import
        assert len(mailbox.messages) == 2
        assert client.get("/admin/imports/no-such-job").status_code == 404
