"""Weekly e-mails: a reminder to a learner who has been away from a module they should
finish, and the digest of the team's progress for a manager who asked for it; sent by
``flask reminders send`` through a real SMTP server, once a week at most, each with a
link that stops them without logging in."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import url_for
from itsdangerous import URLSafeSerializer
from rq.cron import CronScheduler
from sqlalchemy import select, update

from app import jobs
from app.assessment import services as assessment_services
from app.assessment.models import Assessment
from app.content.models import Lesson, Module
from app.extensions import db
from app.learn.models import LessonProgress
from app.models import Membership, User
from app.quizzes.models import QuizAttempt
from app.reminders import sending, services
from tests.conftest import REPO, redis_test_url
from tests.test_assessment_web import answer_all, submit, worst

UNSUBSCRIBE = re.compile(r"<http://localhost(/unsubscribe/[^>]+)>")


def days_ago(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


@pytest.fixture
def site(app):
    """The address the links of messages sent outside a request are built with (the
    app fixture puts the settings back after the test)."""
    app.config["SERVER_NAME"] = "localhost"


def send(runner) -> str:
    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def learner(make_user, **fields) -> User:
    """A learner whose account is a month old."""
    return make_user(**{"created_at": days_ago(30), **fields})


def read(app, user, module: str, lesson: str, days: float, completed: bool = False) -> None:
    """Record that ``user`` opened the lesson ``days`` ago (and completed it then)."""
    with app.app_context():
        lesson_id = db.session.scalar(
            select(Lesson.id).join(Module).where(Module.slug == module, Lesson.slug == lesson)
        )
        at = days_ago(days)
        db.session.add(
            LessonProgress(
                user_id=user.id,
                lesson_id=lesson_id,
                opened_at=at,
                completed_at=at if completed else None,
            )
        )
        db.session.commit()


def pass_quiz(app, user, module: str, days: float) -> None:
    with app.app_context():
        module_id = db.session.scalar(select(Module.id).where(Module.slug == module))
        at = days_ago(days)
        db.session.add(
            QuizAttempt(
                user_id=user.id, module_id=module_id, number=1, seed=1, layout=[],
                responses={}, started_at=at, submitted_at=at, score=100.0, passed=True,
            )
        )  # fmt: skip
        db.session.commit()


def change(app, model, where, **values) -> None:
    with app.app_context():
        db.session.execute(update(model).where(where).values(**values))
        db.session.commit()


def parts(message) -> tuple[str, str]:
    return (
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


def unsubscribe_path(message) -> str:
    return UNSUBSCRIBE.fullmatch(message["List-Unsubscribe"].strip()).group(1)


# -- who gets a reminder -------------------------------------------------------------------


def test_a_learner_away_for_a_week_gets_one_reminder_in_their_language(
    app, runner, site, course, make_user, mailbox
):
    user = learner(make_user)
    read(app, user, "basics", "first", days=9, completed=True)
    read(app, user, "basics", "second", days=8)
    assert "sent 1 reminder(s) and 0 digest(s)" in send(runner)
    (message,) = mailbox.messages
    assert message["To"] == user.email
    assert "Nhập môn" in message["Subject"]
    text, html = parts(message)
    assert '<html lang="vi">' in html
    for part in (text, html):
        assert f"Chào {user.name}," in part
        assert "Nhập môn" in part
        assert "Đã hoàn thành 1/2 bài học" in part
        assert "http://localhost/modules/basics/second" in part
        assert "http://localhost" + unsubscribe_path(message) in part
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_english_learner_gets_it_in_english_with_the_first_unfinished_lesson(
    app, runner, site, course, make_user, mailbox
):
    user = learner(make_user, locale="en")
    read(app, user, "basics", "second", days=10, completed=True)
    read(app, user, "basics", "first", days=10)
    send(runner)
    (message,) = mailbox.messages
    text, html = parts(message)
    assert message["Subject"] == "Your next lesson on DX Academy: Basics"
    assert '<html lang="en">' in html
    assert "You started the module “Basics” and have not finished it yet." in text
    for part in (text, html):
        assert "http://localhost/modules/basics/first" in part


def test_when_only_the_quiz_is_left_the_reminder_links_to_it(
    app, runner, site, course, make_user, mailbox
):
    user = learner(make_user, locale="en")
    read(app, user, "basics", "first", days=12, completed=True)
    read(app, user, "basics", "second", days=11, completed=True)
    send(runner)
    text, html = parts(mailbox.messages[0])
    assert "Only the module's quiz is left." in text
    assert "http://localhost/modules/basics/quiz" in html


def test_sending_again_in_the_same_week_sends_nothing(
    app, runner, site, course, make_user, mailbox
):
    user = learner(make_user)
    read(app, user, "basics", "first", days=8)
    assert "sent 1 reminder(s)" in send(runner)
    assert "sent 0 reminder(s) and 0 digest(s)" in send(runner)
    assert len(mailbox.messages) == 1
    with app.app_context():
        next_week = sending.send_weekly(datetime.now(UTC) + timedelta(days=7))
    assert next_week.reminders == 1 and len(mailbox.messages) == 2


def test_a_learner_active_in_the_last_seven_days_gets_none(
    app, runner, site, course, make_user, mailbox
):
    user = learner(make_user)
    read(app, user, "basics", "first", days=20, completed=True)
    read(app, user, "basics", "second", days=3)
    assert "sent 0 reminder(s)" in send(runner)
    assert mailbox.messages == []


@pytest.mark.parametrize(
    "fields",
    [{"reminders": False}, {"email_confirmed_at": None}, {"active": False}],
    ids=["unsubscribed", "unconfirmed", "deactivated"],
)
def test_no_reminder_for_an_account_that_should_not_get_one(
    app, runner, site, course, make_user, mailbox, fields
):
    user = learner(make_user, **fields)
    read(app, user, "basics", "first", days=8)
    assert "sent 0 reminder(s)" in send(runner)
    assert mailbox.messages == []


def test_a_learner_with_nothing_started_and_no_assessment_gets_none(
    runner, site, course, make_user, mailbox
):
    learner(make_user)
    send(runner)
    assert mailbox.messages == []


@pytest.fixture
def instrument(app):
    with app.app_context():
        assessment_services.import_instrument((REPO / "courses/assessment.toml").read_text())
        db.session.commit()


def test_the_first_recommended_module_is_reminded_once_the_account_is_a_week_old(
    app, client, runner, site, instrument, real_course, make_user, login, mailbox
):
    user = login(make_user(created_at=days_ago(3)))
    answer_all(client, worst)
    submit(client)
    home = client.get("/").get_data(as_text=True)
    section = home[home.index("Đề xuất cho bạn") : home.index("Danh mục khóa học")]
    first = re.search(r'href="/modules/([\w-]+)"', section).group(1)
    assert "sent 0 reminder(s)" in send(runner)  # the account is three days old
    change(app, User, User.id == user.id, created_at=days_ago(9))
    assert "sent 0 reminder(s)" in send(runner)  # the assessment was just submitted
    change(app, Assessment, Assessment.user_id == user.id, submitted_at=days_ago(8))
    assert "sent 1 reminder(s)" in send(runner)
    text, html = parts(mailbox.messages[0])
    assert re.search(rf"http://localhost/modules/{first}/[\w-]+", text)
    assert re.search(rf'href="http://localhost/modules/{first}/[\w-]+"', html)


class TestQueue:
    @pytest.fixture
    def app_settings(self):
        return {"JOBS_REDIS_URL": redis_test_url(), "SERVER_NAME": "localhost"}

    def test_rqs_cron_scheduler_enqueues_the_sending_that_a_worker_runs(
        self, app, course, make_user, mailbox
    ):
        user = learner(make_user)
        read(app, user, "basics", "first", days=8)
        with app.app_context():
            queue = jobs._queue()
            queue.empty()
            scheduler = CronScheduler(connection=queue.connection)
            scheduler.load_config_from_file("app.reminders.cron")
            (job,) = scheduler.get_jobs()
            assert (job.cron, job.queue_name) == ("0 8 * * 1", jobs.QUEUE)
            job.enqueue(queue.connection)
        assert mailbox.messages == []
        jobs.work(app, burst=True)  # the sending, then the e-mail it put on the queue
        assert [m["To"] for m in mailbox.messages] == [user.email]


def test_without_the_sites_address_the_command_says_what_to_set(runner, course):
    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 1
    assert "SERVER_NAME" in result.output


# -- stopping them -------------------------------------------------------------------------


def test_the_link_shows_a_button_and_the_button_stops_the_reminders_without_login(
    app, client, runner, site, course, make_user, mailbox
):
    user = learner(make_user, locale="en")
    read(app, user, "basics", "first", days=8)
    send(runner)
    path = unsubscribe_path(mailbox.messages[0])
    page = client.get(path)
    assert page.status_code == 200 and '<form method="post">' in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).reminders  # following the link is not enough
    done = client.post(path)
    assert done.status_code == 200
    assert f"we will send no more reminders to {user.email}" in done.get_data(as_text=True)
    with app.app_context():
        assert not db.session.get(User, user.id).reminders
        sending.send_weekly(datetime.now(UTC) + timedelta(days=7))
    assert len(mailbox.messages) == 1


def test_the_page_speaks_the_language_of_the_email(app, client, make_user):
    user = make_user()
    with app.app_context():
        path = f"/unsubscribe/{services.unsubscribe_token('reminder', user.id)}"
    assert '<html lang="vi">' in client.get(path, headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_tampered_or_made_up_link_is_refused(app, client, make_user, method):
    user = make_user()
    with app.app_context():
        token = services.unsubscribe_token("reminder", user.id)
        forged = URLSafeSerializer("another key", salt="reminders-unsubscribe").dumps(
            ["reminder", user.id]
        )
    for bad in (
        token[:-2] + ("aa" if not token.endswith("aa") else "bb"),
        forged,
        "x",
        "a" * 500,
    ):
        response = client.open(f"/unsubscribe/{bad}", method=method)
        assert response.status_code == 400, bad
        assert "DX Academy" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).reminders


class TestWithCsrf:
    @pytest.fixture
    def app_settings(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_the_one_click_post_of_a_mail_client_needs_no_csrf_token(
        self, app, client, make_user, login
    ):
        user = make_user()
        with app.app_context():
            path = f"/unsubscribe/{services.unsubscribe_token('reminder', user.id)}"
        response = client.post(path, data={"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        with app.app_context():
            assert not db.session.get(User, user.id).reminders
        login(user)
        assert client.post("/account/reminders", data={"reminders": "on"}).status_code == 400


def test_a_learner_turns_reminders_off_and_on_in_their_account(app, client, make_user, login):
    user = login(make_user(locale="en"))
    page = client.get("/account").get_data(as_text=True)
    assert 'id="reminders-heading"' in page and 'value="off"' in page
    response = client.post("/account/reminders", data={"reminders": "off"})
    assert response.status_code == 302
    assert response.location == "/account#reminders-heading"
    with app.app_context():
        assert not db.session.get(User, user.id).reminders
    assert 'value="on"' in client.get("/account").get_data(as_text=True)
    client.post("/account/reminders", data={"reminders": "on"})
    with app.app_context():
        assert db.session.get(User, user.id).reminders
    assert client.post("/account/reminders", data={"reminders": "maybe"}).status_code == 400


# -- the manager's digest ------------------------------------------------------------------


@pytest.fixture
def team(app, course, make_company, make_user):
    """A company whose manager asked for the digest (in English): one member completed
    Basics two days ago, one three weeks ago, one has done nothing."""
    company = make_company(name="Cà phê Sông Hàn")
    manager = make_user(company_id=company.id, is_company_manager=True, locale="en")
    recent, earlier, idle = (make_user(company_id=company.id) for _ in range(3))
    for person, name in ((recent, "An Recent"), (earlier, "Bình Earlier"), (idle, "Chi Idle")):
        change(app, User, User.id == person.id, name=name)
    for person, days in ((recent, 2), (earlier, 21)):
        read(app, person, "basics", "first", days=days + 1, completed=True)
        read(app, person, "basics", "second", days=days, completed=True)
        pass_quiz(app, person, "basics", days=days + 0.5)
    change(app, Membership, Membership.user_id == manager.id, digest=True)
    return {"company": company, "manager": manager, "idle": idle}


def test_a_manager_who_asked_gets_the_weekly_digest_of_the_team(
    app, runner, site, team, make_company, make_user, mailbox
):
    other = make_company()
    make_user(company_id=other.id, is_company_manager=True)  # did not ask
    assert "sent 0 reminder(s) and 1 digest(s)" in send(runner)
    (message,) = mailbox.messages
    assert message["To"] == team["manager"].email
    assert message["Subject"].strip() == "This week at Cà phê Sông Hàn on DX Academy"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with app.app_context():
        my_company = url_for("companies.my_company", _external=True)
    text, html = parts(message)
    for part in (text, html):
        done_this_week = part[part.index("Completed this week") : part.index("Every member")]
        assert "An Recent" in done_this_week and "Basics" in done_this_week
        assert "Bình Earlier" not in done_this_week
        everyone = part[part.index("Every member") :]
        assert "1 of 2 modules completed" in everyone
        assert "Chi Idle" in everyone and "no activity yet" in everyone
        assert my_company in part
        assert "http://localhost" + unsubscribe_path(message) in part
    assert "sent 0 reminder(s) and 0 digest(s)" in send(runner)


def test_a_member_who_is_not_a_manager_gets_no_digest(app, runner, site, team, mailbox):
    change(app, Membership, Membership.user_id == team["idle"].id, digest=True)
    change(app, Membership, Membership.user_id == team["manager"].id, digest=False)
    assert "0 digest(s)" in send(runner)
    assert mailbox.messages == []


def test_the_digests_link_stops_the_digest_only(app, client, runner, site, team, mailbox):
    send(runner)
    path = unsubscribe_path(mailbox.messages[0])
    assert "Stop the weekly digest of the progress of Cà phê Sông Hàn" in client.get(path).get_data(
        as_text=True
    )
    assert "no more digests of Cà phê Sông Hàn" in client.post(path).get_data(as_text=True)
    with app.app_context():
        manager = db.session.get(User, team["manager"].id)
        assert manager.reminders and not manager.membership.digest
        later = sending.send_weekly(datetime.now(UTC) + timedelta(days=7))
    assert later.digests == 0 and len(mailbox.messages) == 1


# -- the rules alone -----------------------------------------------------------------------


def test_the_week_is_the_iso_week_in_the_platforms_time_zone():
    saigon = ZoneInfo("Asia/Ho_Chi_Minh")
    sunday_night_utc = datetime(2027, 1, 3, 23, 30, tzinfo=UTC)  # Monday morning in Saigon
    assert services.week_of(sunday_night_utc, saigon) == "2027-W01"
    assert services.week_of(sunday_night_utc, ZoneInfo("UTC")) == "2026-W53"
    assert services.week_of(datetime(2026, 12, 2, 1, tzinfo=UTC), saigon) == "2026-W49"


def test_away_means_nothing_done_for_seven_days():
    now = datetime(2026, 12, 7, 1, tzinfo=UTC)
    assert services.is_away([now - timedelta(days=7), None], now)
    assert not services.is_away([now - timedelta(days=30), now - timedelta(days=6)], now)
    assert not services.is_away([None], now)
