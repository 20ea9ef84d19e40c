"""Interface language: the user's saved choice, then the visitor's cookie, then the
browser's Accept-Language, then Vietnamese."""

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale, get_translations
from flask_login import current_user

from app.extensions import babel

LOCALE_COOKIE = "locale"


def select_locale() -> str:
    if not has_request_context():
        return "en"  # the command line speaks English to operators
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    cookie = request.cookies.get(LOCALE_COOKIE)
    if cookie in languages:
        return cookie
    return request.accept_languages.best_match(languages) or languages[0]


def current_locale() -> str:
    return str(get_locale())


def _translations():
    """The request's translations, looked up once per request: templates call gettext
    dozens of times, and Flask-Babel's own lookup walks several context proxies."""
    found = g.get("_translations")
    if found is None:
        found = g._translations = get_translations()
    return found


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["current_locale"] = current_locale
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
    )
