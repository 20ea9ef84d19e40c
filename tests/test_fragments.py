"""Shared fragments: parts of pages rendered once and served to everyone who shares
their key, never with one visitor's data in them."""

import re

import pytest
from jinja2 import UndefinedError

from app.fragments import shared_fragment


def hidden_inputs(html: str, form: str) -> dict[str, str]:
    """The hidden inputs joined to ``form`` by their form attribute, by name."""
    found = re.findall(rf'<input type="hidden" form="{form}" name="([^"]+)" value="([^"]*)">', html)
    return dict(found)


@pytest.fixture
def fragments(app, monkeypatch):
    """Render shared fragments from source text, counting how often each is rendered."""
    sources: dict[str, str] = {}
    renders: list[str] = []

    def get_template(name):
        renders.append(name)
        return app.jinja_env.from_string(sources[name])

    monkeypatch.setattr(app.jinja_env, "get_template", get_template)

    def render(source: str, key=None, **variables):
        sources["fragment.html"] = source
        with app.test_request_context("/"):
            return str(shared_fragment("fragment.html", key, **variables))

    render.renders = renders
    return render


def test_header_follows_sign_in_and_language_after_it_is_cached(client, make_user, login):
    assert "Đăng nhập" in client.get("/").get_data(as_text=True)
    login(make_user())
    signed_in = client.get("/").get_data(as_text=True)
    assert "Đăng xuất" in signed_in and "Đăng nhập" not in signed_in
    client.post("/logout")
    visitor = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Log in" in visitor and "Log out" not in visitor


def test_each_visitor_gets_their_own_tokens_around_the_shared_header(app, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    pages = []
    for user in (make_user(), make_user()):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
        pages.append((client, client.get("/glossary").get_data(as_text=True)))
    (first, first_page), (_second, second_page) = pages
    logout = hidden_inputs(first_page, "logout")
    assert logout["csrf_token"] != hidden_inputs(second_page, "logout")["csrf_token"]

    switch = hidden_inputs(first_page, "lang-switch")
    assert switch["next"] == "/glossary"
    response = first.post("/locale", data={**switch, "locale": "en"})
    assert response.status_code == 302 and response.location == "/glossary"
    assert '<html lang="en">' in first.get("/glossary").get_data(as_text=True)
    assert first.post("/logout", data=logout).status_code == 302


def test_the_language_switch_without_a_token_is_refused(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/locale", data={"locale": "en", "next": "/"}).status_code == 400


@pytest.mark.parametrize(
    "source",
    ["{{ current_user.name }}", "{{ request.path }}", "{{ session.keys() }}", "{{ csrf_token() }}"],
)
def test_a_fragment_cannot_read_the_visitor(fragments, source):
    with pytest.raises(UndefinedError, match="not for a shared fragment"):
        fragments(source)


def test_a_fragment_is_escaped_translated_and_kept_per_key_and_language(fragments):
    source = "{{ _('Courses') }}: {{ name }}"
    assert fragments(source, name="<b>") == "Khóa học: &lt;b&gt;"
    assert fragments(source, name="<b>") == "Khóa học: &lt;b&gt;"
    assert fragments(source, name="x") == "Khóa học: x"
    assert fragments(source, key=("k",), name="y") == "Khóa học: y"
    assert fragments(source, key=("k",), name="z") == "Khóa học: y"  # the key stands for it
    assert len(fragments.renders) == 3


def test_a_content_change_renders_fragments_anew(app, fragments):
    from app.content.catalogue import bump_version
    from app.extensions import db

    fragments("{{ n }}", n=1)
    with app.app_context():
        bump_version()
        db.session.commit()
    fragments("{{ n }}", n=1)
    assert len(fragments.renders) == 2


def test_lesson_pager_follows_completion_for_each_learner(client, course, make_user, login):
    def pager():
        html = client.get("/modules/basics/first").get_data(as_text=True)
        return html[html.index('<nav class="pager"') :]

    login(make_user())
    before = pager()
    assert '<a class="button" rel="next"' in before
    client.post("/modules/basics/first/complete")
    assert '<a class="button primary" rel="next"' in pager()
    login(make_user())
    assert pager() == before


def test_mark_as_complete_takes_its_token_from_outside_the_shared_status(
    app, client, course, make_user, login
):
    app.config["WTF_CSRF_ENABLED"] = True
    login(make_user())
    page = client.get("/modules/basics/first").get_data(as_text=True)
    assert client.post("/modules/basics/first/complete").status_code == 400
    token = hidden_inputs(page, "complete")
    response = client.post("/modules/basics/first/complete", data=token)
    assert response.status_code == 302
    page = client.get("/modules/basics/first").get_data(as_text=True)
    assert "Bạn đã hoàn thành bài học này." in page and hidden_inputs(page, "complete") == {}
