"""Sending the week's reminders and digests: ``send_weekly`` is what ``flask reminders
send`` runs from cron, and the job RQ's cron scheduler enqueues (app/reminders/cron.py).
However often and from wherever it runs, each person gets each kind at most once a week.

The links in the messages are built outside any request, from the ``SERVER_NAME`` and
``PREFERRED_URL_SCHEME`` settings (``DXA_SERVER_NAME=academy.example.vn``,
``DXA_PREFERRED_URL_SCHEME=https``).
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for

from app import mail
from app.db_types import utcnow
from app.extensions import db
from app.reminders import services
from app.reminders.services import Digest, Reminder


class NoServerName(RuntimeError):
    """The links of a message sent outside a request need the site's address."""


@dataclass(frozen=True)
class Sent:
    week: str
    reminders: int
    digests: int


def unsubscribe_headers(link: str) -> dict[str, str]:
    """The headers that let a mail client offer "unsubscribe" and do it in one click
    (RFC 2369 and RFC 8058)."""
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _unsubscribe_link(kind: str, target_id: int) -> str:
    token = services.unsubscribe_token(kind, target_id)
    return url_for("reminders.unsubscribe", token=token, _external=True)


def send_reminder(reminder: Reminder) -> None:
    module = reminder.module
    if reminder.lesson is not None:
        link = url_for(
            "learn.lesson", slug=module.slug, lesson_slug=reminder.lesson.slug, _external=True
        )
    elif reminder.has_quiz:
        link = url_for("quizzes.take", slug=module.slug, _external=True)
    else:
        link = url_for("learn.module", slug=module.slug, _external=True)
    unsubscribe = _unsubscribe_link("reminder", reminder.user_id)
    mail.send(
        reminder.email,
        "reminder",
        reminder.locale,
        headers=unsubscribe_headers(unsubscribe),
        name=reminder.name,
        reason=reminder.reason,
        first=reminder.first,
        module=module.title,
        lesson=reminder.lesson.title if reminder.lesson else None,
        done=reminder.done,
        total=len(module.lessons),
        link=link,
        unsubscribe=unsubscribe,
    )


def send_digest(digest: Digest) -> None:
    unsubscribe = _unsubscribe_link("digest", digest.membership_id)
    mail.send(
        digest.email,
        "digest",
        digest.locale,
        headers=unsubscribe_headers(unsubscribe),
        name=digest.name,
        company=digest.company,
        modules=digest.modules,
        members=digest.members,
        finishers=digest.finishers,
        link=url_for("companies.my_company", _external=True),
        unsubscribe=unsubscribe,
    )


def send_weekly(now: datetime | None = None) -> Sent:
    """Send the reminders and digests due this week that no run has sent yet; ``now``
    for tests. Each message is claimed and committed before it is handed to the mail
    job, so that two runs at once, or a run after a failure, never send one twice (a
    message whose sending fails is not tried again that week)."""
    if not current_app.config.get("SERVER_NAME"):
        raise NoServerName(
            "Set SERVER_NAME (DXA_SERVER_NAME=academy.example.vn): the links in the"
            " messages need the site's address."
        )
    now = now or utcnow()
    week = services.week_of(now, services.platform_zone())
    counts = {}
    for kind, due, send in (
        ("reminder", services.due_reminders, send_reminder),
        ("digest", services.due_digests, send_digest),
    ):
        messages = due(now, week)
        db.session.commit()  # end the reading: each message below is a unit of work
        sent = 0
        for message in messages:
            if not services.claim(message.user_id, kind, week):
                db.session.rollback()
                continue
            db.session.commit()
            try:
                send(message)
            except Exception:  # one message that cannot be built stops no other
                current_app.logger.exception("the %s of user %s failed", kind, message.user_id)
                continue
            sent += 1
        counts[kind] = sent
    return Sent(week, counts["reminder"], counts["digest"])
