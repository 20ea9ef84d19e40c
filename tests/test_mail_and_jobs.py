"""E-mail and background jobs: in development each message goes to the console and to
instance/outbox/; with Redis, jobs wait on a queue until a worker runs them."""

import pytest

from app import jobs, mail
from tests.conftest import redis_test_url


class TestOutbox:
    @pytest.fixture
    def app_settings(self, tmp_path):
        return {"MAIL_BACKEND": "app.mail.OutboxEmailBackend", "MAIL_OUTBOX": str(tmp_path)}

    def test_a_message_is_printed_and_saved_for_a_newcomer_to_open(
        self, client, make_user, tmp_path, capsys
    ):
        user = make_user()
        client.post("/password/forgot", data={"email": user.email})
        printed = capsys.readouterr().out
        assert f"e-mail to {user.email}" in printed
        assert "http://localhost/password/reset/" in printed
        (saved,) = tmp_path.glob("*.eml")
        assert b"Content-Type: text/html" in saved.read_bytes()


def test_mail_url_settings():
    assert mail.mail_settings("smtps://a%40b.vn:p%3Ass@mail.example.vn")["MAIL_PORT"] == 465
    settings = mail.mail_settings("smtp://u:p@mail.example.vn:587?tls=1")
    assert settings["MAIL_USE_TLS"] and not settings["MAIL_USE_SSL"]
    assert (settings["MAIL_SERVER"], settings["MAIL_USERNAME"]) == ("mail.example.vn", "u")


class TestQueue:
    @pytest.fixture
    def app_settings(self):
        return {"JOBS_REDIS_URL": redis_test_url()}

    def test_e_mail_waits_on_the_queue_until_a_worker_sends_it(
        self, app, client, make_user, mailbox
    ):
        with app.app_context():
            jobs._queue().empty()
        user = make_user()
        client.post("/password/forgot", data={"email": user.email})
        assert mailbox.messages == []
        jobs.work(app, burst=True)
        assert [m["To"] for m in mailbox.messages] == [user.email]

    def test_a_long_job_reports_how_far_it_has_got(self, app):
        with app.app_context():
            jobs._queue().empty()
            job_id = jobs.enqueue(counting_job, 3)
            assert jobs.progress(job_id) == jobs.Progress("queued")
            assert jobs.progress("no-such-job") is None
        jobs.work(app, burst=True)
        with app.app_context():
            finished = jobs.progress(job_id)
        assert finished == jobs.Progress("finished", 3, 3)
        assert finished.over and finished.percent == 100


def counting_job(total: int) -> None:
    """A job in steps, saying after each how many are done."""
    for done in range(1, total + 1):
        jobs.report(done, total)


def test_without_a_queue_a_job_runs_at_once_and_has_no_progress_to_show(app):
    with app.app_context():
        assert jobs.enqueue(counting_job, 2) is None
        assert jobs.progress("anything") is None


def test_progress_in_percent():
    assert jobs.Progress("started", 1, 4).percent == 25
    assert jobs.Progress("started").percent is None and not jobs.Progress("started").over
