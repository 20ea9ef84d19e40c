"""Parts of a page that are the same for everyone who shares a few facts (the language,
a role, which lesson), rendered once per worker and reused on every page view.

A shared fragment is rendered with nothing but the variables it is given: using
``current_user``, ``request``, ``session``, ``g`` or ``csrf_token`` in it is an error, so
it cannot pick up one visitor's data and show it to the next. Anything personal (a CSRF
token, a name, progress) stays in the page around it; a form in a fragment gets its token
from a hidden input outside it, joined to the form by the ``form`` attribute. Fragments
are kept with the content snapshot (app.content.catalogue), so a change of content
renders them anew.
"""

from flask import Flask, current_app, request
from markupsafe import Markup

from app.content.catalogue import cached
from app.i18n import current_locale

HIDDEN = ("current_user", "request", "session", "g", "csrf_token")
HIDDEN_HINT = "%s is not for a shared fragment: pass what it needs as a variable"


def shared_fragment(template_name: str, key: tuple | None = None, **variables) -> Markup:
    """``template_name`` rendered with ``variables`` in the current language, once per
    worker for each language, site root and ``key``. Without a key the variables are the
    key, and must then be simple values (a role, a flag); with one, they must follow from
    it (the lesson's id stands for the lesson)."""
    if key is None:
        key = tuple(sorted(variables.items()))
    cache_key = ("fragment", template_name, current_locale(), request.script_root, *key)

    def render(_version: int) -> Markup:
        env = current_app.jinja_env
        hidden = {name: env.undefined(name=name, hint=HIDDEN_HINT % name) for name in HIDDEN}
        html = env.get_template(template_name).render({**hidden, **variables})
        return Markup(html)  # noqa: S704 - an autoescaped template

    return cached(cache_key, render)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["shared_fragment"] = shared_fragment
