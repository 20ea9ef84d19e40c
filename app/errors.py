"""Errors: the rules of the platform refusing an input, and the error pages in the user's
language (JSON errors under /api/)."""

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    InternalServerError,
    RequestEntityTooLarge,
)

from app.extensions import db

PAGES = {400, 403, 404, 429, 500}


class DomainError(Exception):
    """A rule of the platform refused an input or an action. ``field`` names the form
    field it concerns (None: the action as a whole) and ``message`` says why in the
    user's language; a subclass may give its message once for all its cases."""

    message = _l("This cannot be done now.")

    def __init__(self, field: str | None = None, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))
        self.field = field


class UnreadableInput(BadRequest):
    """A request holding what no text field can hold: a NUL or another control
    character."""


def wants_json() -> bool:
    return request.path.startswith("/api/")


def handle_http_error(error: HTTPException):
    code = error.code or 500
    if isinstance(error, CSRFError):
        description = _("The form had expired. Please go back, reload the page and try again.")
    elif isinstance(error, UnreadableInput):
        description = _(
            "What was sent held characters that no text can contain, so nothing was saved."
            " Please check what you typed or pasted, and try again."
        )
    elif isinstance(error, RequestEntityTooLarge):
        most = (request.max_content_length or 0) / (1024 * 1024)
        description = _(
            "What was sent is larger than this page accepts (at most %(most)s MB), so nothing"
            " was saved. Please send a smaller file.",
            most=f"{most:g}",
        )
    else:
        description = None
    if wants_json():
        return jsonify(error=error.name, message=description or error.description), code
    template = f"errors/{code if code in PAGES else 'generic'}.html"
    response = make_response(render_template(template, error=error, description=description))
    response.status_code = code
    for name, value in error.get_headers():  # Allow on a 405, Retry-After on a 429
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_server_error(error: InternalServerError):
    """Flask hands every unhandled exception here, wrapped in InternalServerError."""
    db.session.rollback()
    return handle_http_error(error)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_server_error)
