"""Shared fragments: rendered once from their variables alone, kept per language and
content version, and unable to read anything about the visitor."""

import pytest
from jinja2 import UndefinedError

from app.cache import bump_version
from app.extensions import db
from app.fragments import fragment


@pytest.fixture
def render(app, monkeypatch):
    """Render fragments from source text, counting how often each is rendered."""
    env = app.extensions["dxa_fragments"]
    sources: dict[str, str] = {}
    renders: list[str] = []
    original = env.get_template

    def get_template(name, *args, **kwargs):
        if name not in sources:
            return original(name, *args, **kwargs)
        renders.append(name)
        return env.from_string(sources[name])

    monkeypatch.setattr(env, "get_template", get_template)

    def do(source: str, locale: str = "vi", **variables):
        sources["f.html"] = source
        with app.test_request_context("/", headers={"Accept-Language": locale}):
            return str(fragment("f.html", **variables))

    do.renders = renders
    return do


@pytest.mark.parametrize(
    "source",
    [
        "{{ current_user.name }}",
        "{{ request.path }}",
        "{{ session.keys() }}",
        "{{ g.user }}",
        "{{ config.SECRET_KEY }}",
        "{{ get_flashed_messages() }}",
        "{{ csrf_token() }}",
    ],
)
def test_a_fragment_cannot_read_the_visitor_or_the_configuration(render, source):
    with pytest.raises(UndefinedError):
        render(source)


def test_a_fragment_cannot_hold_a_form(render):
    with pytest.raises(ValueError, match="cannot hold a form"):
        render('<form method="post"><button>x</button></form>')


def test_a_fragment_is_escaped_translated_and_kept_per_variables_and_language(render):
    source = "{{ _('Courses') }}: {{ name }}"
    assert render(source, name="<b>") == "Khóa học: &lt;b&gt;"
    assert render(source, name="<b>") == "Khóa học: &lt;b&gt;"
    assert render(source, name="x") == "Khóa học: x"
    assert render(source, locale="en", name="x") == "Courses: x"
    assert len(render.renders) == 3


def test_a_content_change_renders_fragments_anew(app, render):
    render("{{ n }}", n=1)
    with app.app_context():
        bump_version()
        db.session.commit()
    render("{{ n }}", n=1)
    assert len(render.renders) == 2


def test_the_cache_keeps_a_bounded_number_of_values(app, render):
    app.config["CONTENT_CACHE_SIZE"] = 3
    for n in range(5):
        render("{{ n }}", n=n)
    render("{{ n }}", n=4)  # still kept
    render("{{ n }}", n=0)  # gone: the least recently used went first
    assert len(render.renders) == 6
