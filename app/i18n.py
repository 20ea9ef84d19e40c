"""Interface language: the user's saved choice, then the visitor's cookie, then the
browser's Accept-Language, then Vietnamese."""

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup

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


# Jinja's own "newstyle" callables wrap the translation function in three context calls
# and a proxy lookup; a page calls them dozens of times. These do the same in one step:
# the text is translated, marked safe where autoescaping is on (translations are ours, and
# the % operator of Markup escapes the variables), and always %-formatted.


@pass_eval_context
def template_gettext(eval_ctx, string: str, **variables) -> str:
    text = _translations().ugettext(string)
    return (Markup(text) if eval_ctx.autoescape else text) % variables  # noqa: S704


@pass_eval_context
def template_ngettext(eval_ctx, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    text = _translations().ungettext(singular, plural, num)
    return (Markup(text) if eval_ctx.autoescape else text) % variables  # noqa: S704


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    env = app.jinja_env
    env.globals["current_locale"] = current_locale
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True  # {% trans %} blocks hand their variables to gettext
    env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)
