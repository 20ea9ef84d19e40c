"""Many requests at once, as on the morning a company's staff are asked to take the
assessment: every submission is kept and counted, nothing is graded twice, no 500. The
application here runs on a database of its own that threads really share (a file for
SQLite, a schema for PostgreSQL), with no transaction of the test around it."""

import os
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app import create_app
from app.assessment import services as assessment_services
from app.assessment.models import Assessment, CompanyResult
from app.audit import AuditEntry
from app.auth import membership
from app.auth.models import Company, Membership, User
from app.auth.services import SESSION_TOKEN, start_session
from app.course import import_files, read
from app.demo import demo_answer
from app.extensions import db
from app.quizzes.models import QuizAttempt
from tests.conftest import FIXTURE_COURSE, PASSWORD_HASH, REPO, TEST_SETTINGS, database_uri

STAFF = 20


@pytest.fixture
def live_app(tmp_path):
    uri = (
        database_uri("concurrency")
        if os.environ.get("TEST_DATABASE_URL")
        else f"sqlite:///{tmp_path / 'concurrent.sqlite'}"
    )
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        db.create_all()
        import_files(read(FIXTURE_COURSE))
        assessment_services.import_instrument((REPO / "courses/assessment.toml").read_text())
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def staff(live_app):
    """STAFF members of one company, each with a browser signed in."""
    with live_app.app_context():
        company = Company(name="Xưởng gỗ", sector="manufacturing", size_band="small",
                          province="Bình Dương")  # fmt: skip
        people = [User(email=f"staff{n}@example.vn", name=f"Nhân viên {n}",
                       password_hash=PASSWORD_HASH, email_confirmed_at=datetime.now(UTC))
                  for n in range(STAFF)]  # fmt: skip
        db.session.add_all(people)
        db.session.flush()
        db.session.add_all(
            Membership(company=company, user_id=person.id, state="active", source="invitation")
            for person in people
        )
        sessions = [(person.id, start_session(person)) for person in people]
        db.session.commit()
    browsers = []
    for user_id, token in sessions:
        browser = live_app.test_client()
        with browser.session_transaction() as session:
            session.update({"_user_id": str(user_id), "_fresh": True, SESSION_TOKEN: token})
        browsers.append(browser)
    return browsers


def at_once(calls):
    """Run the calls in threads released together; their results in order."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        start.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def first_page(live_app):
    with live_app.app_context():
        instrument = assessment_services.get_instrument()
    page = assessment_services.pages(instrument)[0]
    answers = {
        "q_" + q.id.replace("-", "_"): demo_answer(q, 3)
        for q in assessment_services.questions_on(instrument, page)
        if q.kind in ("yesno", "scale")
    }
    return page.id, {key: str(value) for key, value in answers.items()}


def count(live_app, statement):
    with live_app.app_context():
        return db.session.scalar(statement)


def test_a_whole_company_submitting_at_once_is_counted_in_full(live_app, staff):
    page, answers = first_page(live_app)
    for browser in staff:
        assert browser.post(f"/assessment/page/{page}", data=answers).status_code == 302
    codes = at_once([lambda b=b: b.post("/assessment/submit").status_code for b in staff])
    assert codes == [302] * STAFF
    submitted = (
        select(func.count()).select_from(Assessment).where(Assessment.submitted_at.is_not(None))
    )
    assert count(live_app, submitted) == STAFF
    assert count(live_app, select(CompanyResult.respondents)) == STAFF


def test_a_first_page_posted_twice_at_once_keeps_one_draft(live_app, staff):
    page, answers = first_page(live_app)
    browser = staff[0]
    codes = at_once(
        [lambda: browser.post(f"/assessment/page/{page}", data=answers).status_code] * 2
    )
    assert codes == [302, 302]
    drafts = select(func.count()).select_from(Assessment).where(Assessment.submitted_at.is_(None))
    assert count(live_app, drafts) == 1


def test_the_same_quiz_submitted_twice_at_once_is_graded_once(live_app, staff):
    browser = staff[0]
    page = browser.get("/modules/basics/quiz").get_data(as_text=True)
    attempt = page.split('action="/attempts/', 1)[1].split('"', 1)[0]
    codes = at_once(
        [lambda: browser.post(f"/attempts/{attempt}", data={"submit_anyway": "1"}).status_code] * 2
    )
    assert codes == [302, 302]
    graded = (
        select(func.count()).select_from(QuizAttempt).where(QuizAttempt.submitted_at.is_not(None))
    )
    assert count(live_app, graded) == 1


def test_many_learners_submitting_their_quizzes_at_once_are_all_graded(live_app, staff):
    attempts = []
    for browser in staff:
        page = browser.get("/modules/basics/quiz").get_data(as_text=True)
        attempts.append(page.split('action="/attempts/', 1)[1].split('"', 1)[0])
    calls = [lambda b=b, a=a: b.post(f"/attempts/{a}", data={"submit_anyway": "1"}).status_code
             for b, a in zip(staff, attempts, strict=True)]  # fmt: skip
    assert at_once(calls) == [302] * STAFF
    graded = (
        select(func.count()).select_from(QuizAttempt).where(QuizAttempt.submitted_at.is_not(None))
    )
    assert count(live_app, graded) == STAFF


def test_two_managers_stepping_down_at_once_leave_the_company_one(live_app, staff):
    """Two managers each make themselves a member at the same moment, and two others
    leave at the same moment: each time one of them stays a manager."""
    with live_app.app_context():
        rows = db.session.scalars(select(Membership).order_by(Membership.id)).all()
        for row in rows[:4]:
            row.is_manager = True
        db.session.commit()
        first, second = rows[0].id, rows[1].id
    codes = at_once(
        [
            lambda: staff[0].post(f"/my-company/members/{first}/manager", data={"manager": "0"}),
            lambda: staff[1].post(f"/my-company/members/{second}/manager", data={"manager": "0"}),
            lambda: staff[2].post("/my-company/leave"),
            lambda: staff[3].post("/my-company/leave"),
        ]
    )
    assert [response.status_code for response in codes] == [302] * 4
    managers = select(func.count()).where(Membership.state == "active", Membership.is_manager)
    assert count(live_app, managers) == 1  # whichever came last was refused


def test_two_people_registering_one_company_at_once_make_one_company(live_app):
    """The second becomes a request to join the first's."""
    data = {"password": "mat-khau-dai", "confirm": "mat-khau-dai", "company_choice": "new",
            "company_name": "Gốm Bát Tràng", "sector": "manufacturing", "size_band": "small",
            "province": "Hà Nội"}  # fmt: skip
    people = [{**data, "name": f"Người {n}", "email": f"nguoi{n}@example.vn"} for n in range(2)]
    codes = at_once(
        [lambda p=p: live_app.test_client().post("/register", data=p).status_code for p in people]
    )
    assert codes == [302, 302]
    assert count(live_app, select(func.count()).select_from(Company)) == 1
    states = select(Membership.state).order_by(Membership.state)
    with live_app.app_context():
        assert db.session.scalars(states).all() == ["active", "requested"]


def test_one_invitation_followed_twice_at_once_lets_one_in(live_app, staff):
    with live_app.app_context():
        manager = db.session.scalars(select(Membership).order_by(Membership.id)).first()
        manager.is_manager = True
        _row, token = membership.invite(manager.company, manager.user, "moi@example.vn")
        db.session.commit()
    people = [
        {"name": f"Người mới {n}", "email": f"moi{n}@example.vn", "password": "mat-khau-dai",
         "confirm": "mat-khau-dai"}
        for n in range(2)
    ]  # fmt: skip
    codes = at_once(
        [lambda p=p: live_app.test_client().post(f"/join/{token}", data=p).status_code
         for p in people]
    )  # fmt: skip
    assert codes == [302, 302]
    joined = select(func.count()).where(
        Membership.state == "active", Membership.source == "invitation",
        Membership.user_id.in_(select(User.id).where(User.email.like("moi_@example.vn"))),
    )  # fmt: skip
    assert count(live_app, joined) == 1


def test_a_request_approved_and_refused_at_once_is_decided_once(live_app, staff):
    with live_app.app_context():
        rows = db.session.scalars(select(Membership).order_by(Membership.id)).all()
        rows[0].is_manager = rows[1].is_manager = True
        outsider = User(email="ngoai@example.vn", name="Người ngoài", password_hash=PASSWORD_HASH)
        db.session.add(outsider)
        db.session.flush()
        request = membership.ask_to_join(outsider, rows[0].company)
        db.session.commit()
        request_id = request.id
    codes = at_once(
        [
            lambda: staff[0].post(f"/my-company/requests/{request_id}/approve").status_code,
            lambda: staff[1].post(f"/my-company/requests/{request_id}/refuse").status_code,
        ]
    )
    assert set(codes) <= {302, 404}  # the second finds it decided: a message, or gone
    with live_app.app_context():
        decided = db.session.get(Membership, request_id)
        decisions = db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action.in_(
                ["membership.approve", "membership.refuse"]))
        )  # fmt: skip
        assert decided.state in ("active", "removed") and decisions == 1
