"""The parts of a page that differ per visitor: the header follows sign-in and language,
each visitor's forms carry their own tokens, and a lesson's pager follows completion."""

import re


def form_fields(html: str, action: str) -> dict[str, str]:
    """The hidden inputs of the form posting to ``action``, by name."""
    form = re.search(rf'<form[^>]* action="{re.escape(action)}">(.*?)</form>', html, re.S)
    inputs = re.findall(r"<input[^>]*>", form.group(1))
    fields = {}
    for tag in inputs:
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if 'type="hidden"' in tag and name and value:
            fields[name.group(1)] = value.group(1)
    return fields


def test_header_follows_sign_in_and_language(client, make_user, login):
    assert "Đăng nhập" in client.get("/").get_data(as_text=True)
    login(make_user())
    signed_in = client.get("/").get_data(as_text=True)
    assert "Đăng xuất" in signed_in and "Đăng nhập" not in signed_in
    client.post("/logout")
    visitor = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Log in" in visitor and "Log out" not in visitor


def test_each_visitor_gets_their_own_tokens_in_the_header_forms(app, make_user, login):
    app.config["WTF_CSRF_ENABLED"] = True
    pages = []
    for user in (make_user(), make_user()):
        client = app.test_client()
        login(user, into=client)
        pages.append((client, client.get("/glossary").get_data(as_text=True)))
    (first, first_page), (_second, second_page) = pages
    logout = form_fields(first_page, "/logout")
    assert logout["csrf_token"] != form_fields(second_page, "/logout")["csrf_token"]

    switch = form_fields(first_page, "/locale")
    assert switch["next"] == "/glossary"
    response = first.post("/locale", data={**switch, "locale": "en"})
    assert response.status_code == 302 and response.location == "/glossary"
    assert '<html lang="en">' in first.get("/glossary").get_data(as_text=True)
    assert first.post("/logout", data=logout).status_code == 302


def test_the_language_switch_without_a_token_is_refused(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/locale", data={"locale": "en", "next": "/"}).status_code == 400


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


def test_mark_as_complete_needs_the_learners_token(app, client, course, make_user, login):
    app.config["WTF_CSRF_ENABLED"] = True
    login(make_user())
    page = client.get("/modules/basics/first").get_data(as_text=True)
    assert client.post("/modules/basics/first/complete").status_code == 400
    token = form_fields(page, "/modules/basics/first/complete")
    response = client.post("/modules/basics/first/complete", data=token)
    assert response.status_code == 302
    page = client.get("/modules/basics/first").get_data(as_text=True)
    assert "Bạn đã hoàn thành bài học này." in page and "/first/complete" not in page
