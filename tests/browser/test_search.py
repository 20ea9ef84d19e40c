"""Search in a browser without JavaScript, on a phone: the header's box, typed without
marks and sent with Enter, and the results page; no page scrolls sideways."""

import pytest
from playwright.sync_api import expect

from tests.conftest import REPO


@pytest.fixture
def phone_without_script(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False
    )
    page = context.new_page()
    yield page
    context.close()


def test_the_header_box_finds_lessons_without_marks_on_a_phone(
    live_server_for, phone_without_script
):
    page = phone_without_script
    base = live_server_for(REPO)
    page.goto(base + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.get_by_role("searchbox", name="Tìm trong khóa học")
    expect(box).to_be_visible()
    box.fill("chuyen doi so")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tìm")
    results = page.locator(".search-result")
    expect(results).to_have_count(20)
    expect(results.first.locator("mark").first).to_have_text("chuyển đổi số", ignore_case=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    results.first.get_by_role("link").click()  # the glossary's term, the best match
    expect(page).to_have_url(base + "/glossary#term-digital-transformation")
    expect(page.locator(".glossary-entry:target dt")).to_contain_text("chuyển đổi số")
