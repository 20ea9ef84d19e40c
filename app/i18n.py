"""Interface language: the user's saved choice, then the visitor's cookie, then the
browser's Accept-Language, then Vietnamese."""

from flask import Flask, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

from app.extensions import babel
from app.languages import DEFAULT_LANGUAGE, LANGUAGES

LOCALE_COOKIE = "locale"


def select_locale() -> str:
    if not has_request_context():
        return "en"  # the command line speaks English to operators
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    cookie = request.cookies.get(LOCALE_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def current_locale() -> str:
    return str(get_locale())


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["current_locale"] = current_locale
    app.jinja_env.policies["ext.i18n.trimmed"] = True
