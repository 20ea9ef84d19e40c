"""E-mail: every message rendered from a pair of templates, plain text and HTML, in the
recipient's language, then sent by a background job (app.jobs).

``MAIL_URL`` says where messages go (``smtp://user:password@host:587?tls=1``, or
``smtps://`` for SSL on 465). Without it, in development, each message is printed to the
console and saved under ``instance/outbox/`` (OutboxEmailBackend), so that a newcomer can
follow a link from a message without any mail server.
"""

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from flask_mailman import EmailMultiAlternatives, Mail
from flask_mailman.backends.base import BaseEmailBackend

from app.jobs import enqueue

mail = Mail()


def mail_settings(url: str) -> dict[str, object]:
    """Flask-Mailman's settings for a ``MAIL_URL``."""
    parts = urlsplit(url)
    options = parse_qs(parts.query)
    secure = parts.scheme == "smtps"
    return {
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": parts.hostname or "localhost",
        "MAIL_PORT": parts.port or (465 if secure else 25),
        "MAIL_USERNAME": unquote(parts.username) if parts.username else None,
        "MAIL_PASSWORD": unquote(parts.password) if parts.password else None,
        "MAIL_USE_SSL": secure,
        "MAIL_USE_TLS": options.get("tls", ["0"])[0] in ("1", "true", "yes"),
        "MAIL_TIMEOUT": 20,
    }


class OutboxEmailBackend(BaseEmailBackend):
    """Development: print each message's plain text to the console and save the whole
    message as a .eml file under MAIL_OUTBOX."""

    def send_messages(self, email_messages):
        outbox = Path(current_app.config["MAIL_OUTBOX"])
        outbox.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
            path = outbox / f"{stamp}.eml"
            path.write_bytes(message.message().as_bytes())
            print(f"--- e-mail to {', '.join(message.to)}: {message.subject} ({path})")  # noqa: T201
            print(message.body)  # noqa: T201
        return len(email_messages)


def send(to: str, template: str, locale: str, headers: dict[str, str] | None = None, **context):
    """Send the message ``templates/email/<template>`` (``.subject.txt``, ``.txt`` and
    ``.html``) to ``to``, in ``locale``, by a background job."""
    with force_locale(locale):
        subject = " ".join(render_template(f"email/{template}.subject.txt", **context).split())
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    enqueue(deliver, to, subject, text, html, headers or {})


def deliver(to: str, subject: str, text: str, html: str, headers: dict[str, str]) -> None:
    """The job: hand one message to the configured backend."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[to],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    message.send()


def init_app(app: Flask) -> None:
    if app.config.get("MAIL_URL"):
        app.config.update(mail_settings(app.config["MAIL_URL"]))
    else:
        app.config.setdefault("MAIL_BACKEND", "app.mail.OutboxEmailBackend")
    mail.init_app(app)
