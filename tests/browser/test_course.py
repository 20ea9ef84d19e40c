"""The real course in a browser: the catalogue's three tracks and one lesson of each."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import register
from tests.conftest import REPO


def test_catalogue_and_one_lesson_of_each_track(live_server_for, phone):
    base = live_server_for(REPO)
    register(phone, base)
    for track in ["Nền tảng", "Lộ trình 7 bước trưởng thành số",
                  "Quản trị quan hệ khách hàng (CRM)"]:  # fmt: skip
        expect(phone.get_by_role("heading", name=track, exact=True)).to_be_visible()
    expect(phone.locator(".module-card")).to_have_count(11)

    for module in [
        "Nền tảng chuyển đổi số",
        "Bước 4: Tối ưu hóa",
        "Báo cáo, bảng điều khiển và KPI cho CRM",
    ]:
        phone.goto(base + "/")
        phone.get_by_role("link", name=module, exact=True).click()
        expect(phone.get_by_role("heading", level=1)).to_have_text(module)
        phone.locator(".lesson-list a").first.click()
        expect(phone.get_by_role("heading", name="Bạn sẽ làm được gì")).to_be_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{module}: the page scrolls sideways ({width}px)"

    # a term is explained where it stands, and its entry is one tap further
    term = phone.locator("button.term").first
    name = term.inner_text()
    term.click()
    tip = phone.locator(".term-tip:popover-open")
    expect(tip).to_be_visible()
    tip.get_by_role("link", name="Trong bảng thuật ngữ").click()
    expect(phone).to_have_url(re.compile(r"/glossary#term-"))
    expect(phone.locator(".glossary-entry:target dt")).to_have_text(re.compile(name, re.I))
