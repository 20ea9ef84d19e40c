"""Shared fragments: parts of pages rendered once and served again, such as the site's
menus, a lesson's text or a module's card.

A fragment is a pure function of its variables, the language and the content version:
``fragment(name, **variables)`` renders ``name`` with those variables alone and keeps the
HTML in the content cache (app.cache) under all three, so the next page that asks with the
same values gets the same HTML. It is rendered in an environment of its own whose globals
are an allow-list (``url_for``, the gettext functions, ``current_locale``): no request,
session, user, flash message, configuration or CSRF token can reach it, and a fragment
that holds a form is refused, since a form needs a token of its own visitor. What is
personal is passed as plain values (a lesson completed or not), or stays in the page
around the fragment.
"""

from flask import Flask, current_app, request, url_for
from flask_babel import get_translations
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from app.cache import cached
from app.i18n import current_locale

_EXTENSION = "dxa_fragments"


def fragment(template_name: str, **variables) -> Markup:
    """``template_name`` rendered with ``variables`` (hashable values: numbers, texts,
    tuples, frozen dataclasses), once per language and content version."""
    key = ("fragment", template_name, current_locale(), request.script_root,
           tuple(sorted(variables.items())))  # fmt: skip

    def render() -> Markup:
        env: Environment = current_app.extensions[_EXTENSION]
        html = env.get_template(template_name).render(variables)
        if "<form" in html:
            raise ValueError(f"{template_name}: a shared fragment cannot hold a form")
        return Markup(html)  # noqa: S704 - rendered with autoescaping on

    return cached(key, render)


def init_app(app: Flask) -> None:
    env = Environment(
        loader=app.jinja_env.loader,
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        auto_reload=app.jinja_env.auto_reload,
    )
    env.filters.update(app.jinja_env.filters)
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda text: get_translations().ugettext(text),
        lambda singular, plural, n: get_translations().ungettext(singular, plural, n),
        newstyle=True,
    )
    env.globals.update(url_for=url_for, current_locale=current_locale)
    app.extensions[_EXTENSION] = env
    app.jinja_env.globals["fragment"] = fragment
