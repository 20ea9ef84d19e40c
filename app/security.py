"""HTTP security: headers on every response, cookies marked Secure over HTTPS, the
reverse-proxy fix, the check that keeps ``next=`` redirects on this site, ids in URLs
bounded to what the database holds, and control characters refused at the door."""

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

import flask
from flask import Flask, current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from werkzeug.exceptions import NotFound
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from app.errors import UnreadableInput
from app.text import CONTROL_CHARACTER

#: the largest id a database column of ours holds (a 32-bit integer on PostgreSQL)
MAX_ID = 2**31 - 1

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


V = TypeVar("V", bound=Callable)


class Request(flask.Request):
    """A request whose body may be as large as its route accepts (``accepts_body``), and
    otherwise MAX_CONTENT_LENGTH: larger, it is refused (413) before any form is read."""

    @property
    def max_content_length(self) -> int | None:  # type: ignore[override]
        view = current_app.view_functions.get(self.endpoint or "")
        return getattr(view, "max_content_length", current_app.config["MAX_CONTENT_LENGTH"])


def accepts_body(limit: int) -> Callable[[V], V]:
    """A route's largest request body, in bytes (an upload's route: above the others)."""

    def mark(view: V) -> V:
        view.max_content_length = limit  # type: ignore[attr-defined]
        return view

    return mark


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def set_headers(response):
    """The security headers of every response; pages that depend on the visitor's
    session (their name, their progress, their form tokens) are kept by no cache."""
    headers = response.headers
    if request.endpoint != "static" and (session.accessed or current_user.is_authenticated):
        headers.setdefault("Cache-Control", "private, no-store")
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def is_safe_next(target: str | None) -> bool:
    """True for a path on this site ("/learn/x"), false for anything that could leave it
    ("//evil.example", "https://evil.example", "javascript:...", "\\\\evil")."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and "\\" not in target


class IdConverter(IntegerConverter):
    """``<int:…>`` in a route: an id too large for the database is a page not found
    (rather than a database error, or the "method not allowed" that werkzeug answers
    when another method's route has the same path)."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > MAX_ID:
            raise NotFound()
        return number


def requested_page() -> int:
    """``?page=`` as a page number: 1 when it is missing or no number, and never so large
    that its offset overflows the database (such a page is past the last, not found)."""
    page = request.args.get("page", 1, type=int)
    return min(max(page, 1), MAX_ID // 1000)


def refuse_control_characters() -> None:
    """No text of the platform holds a control character, and PostgreSQL cannot store a
    NUL: a query or a form that holds one is refused before any route reads it."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if CONTROL_CHARACTER.search(key) or CONTROL_CHARACTER.search(value):
                raise UnreadableInput()


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
    app.request_class = Request
    app.session_interface = SessionInterface()
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    app.before_request(refuse_control_characters)
    app.after_request(set_headers)
