"""The style guide: every component, for those who build pages, in both languages."""

import re

from app.home.routes import ICONS
from tests.conftest import REPO


def test_the_style_guide_shows_every_component_to_a_trainer(
    client, course, instrument, make_user, login
):
    login(make_user(role="trainer"))
    page = client.get("/styleguide").get_data(as_text=True)
    for part in ("Màu sắc", "Nút và biểu mẫu", "Thang trưởng thành", "Biểu tượng"):
        assert part in page, part
    assert 'class="error-summary"' in page and 'href="#name"' in page  # a form's errors
    assert page.count('class="badge step-badge') == 8  # seven steps, and the card's
    assert 'class="ring"' in page and "<progress" in page and 'class="ladder-chart"' in page
    client.set_cookie("locale", "en")
    assert "Buttons and forms" in client.get("/styleguide").get_data(as_text=True)


def test_every_icon_the_guide_lists_is_in_the_sprite():
    sprite = (REPO / "static" / "icons.svg").read_text(encoding="utf-8")
    assert sorted(ICONS) == sorted(re.findall(r'<symbol id="([a-z0-9-]+)"', sprite))


def test_every_colour_token_is_defined_and_none_refers_to_itself():
    sheets = ("app.css", "quiz.css", "manage.css", "charts.css")
    css = "".join((REPO / "static" / name).read_text(encoding="utf-8") for name in sheets)
    defined = dict(re.findall(r"(--[a-z0-9-]+):\s*([^;]+);", css))
    assert not [name for name, value in defined.items() if f"var({name})" in value]
    assert set(re.findall(r"var\((--[a-z0-9-]+)\)", css)) <= set(defined)


def test_the_error_summary_lists_messages_given_lazily(client, course, make_user, login):
    """A form's validators give their messages as lazy strings: the summary shows them."""
    page = client.post("/login", data={"email": "", "password": ""}).get_data(as_text=True)
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert summary and re.search(r'<a href="#email">[^<]+: \S', summary.group(0))
