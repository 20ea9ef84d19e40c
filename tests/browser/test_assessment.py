"""Taking the maturity assessment on a phone, as a visitor who then registers."""

import re

from playwright.sync_api import expect

from app.assessment.instrument import parse
from app.assessment.paging import PAGE_SIZE, paginate
from tests.browser.conftest import register
from tests.conftest import REPO

PAGES = len(paginate(parse((REPO / "courses/assessment.toml").read_text())))


def test_take_assessment_read_recommendations_and_open_one(live_server_for, phone):
    base = live_server_for(REPO)
    page = phone
    page.goto(base + "/")
    page.get_by_role("link", name="Xem doanh nghiệp bạn ở bước nào").click()
    page.get_by_role("link", name="Bắt đầu đánh giá").click()

    pages = 0
    while True:
        pages += 1
        expect(page.get_by_text(f"Trang {pages}/{PAGES}")).to_be_visible()
        assert page.locator("fieldset.question").count() <= PAGE_SIZE
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"page {pages} scrolls sideways ({width}px)"
        # Answer "Không" and "Chưa dùng" throughout: a company just starting out.
        for fieldset in page.locator("fieldset.question").all():
            radios = fieldset.get_by_role("radio")
            if radios.count():
                radios.nth(2 if radios.count() == 4 else 0).check()
        button = page.get_by_role("button", name=re.compile("Lưu và"))
        final = "xem lại" in button.inner_text()
        button.click()
        if final:
            break
    assert pages == PAGES
    expect(page.get_by_role("heading", name="Xem lại câu trả lời")).to_be_visible()
    expect(page.get_by_text("Câu trả lời của bạn đã được giữ lại.")).to_be_visible()

    register(page, base)
    page.goto(base + "/assessment/review")
    page.get_by_role("button", name="Xem kết quả của tôi").click()
    expect(page.get_by_role("heading", name="Kết quả trưởng thành số của bạn")).to_be_visible()
    expect(page.get_by_role("heading", name="Chưa tới bước 1")).to_be_visible()
    expect(page.locator("svg.chart")).to_be_visible()

    first = page.locator(".recommendations > li").first
    expect(first.locator("li").first).to_contain_text(re.compile("bước 1", re.IGNORECASE))
    title = first.get_by_role("link").inner_text()
    first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    page.goto(base + "/")
    expect(page.get_by_role("heading", name="Đề xuất cho bạn")).to_be_visible()
    expect(page.locator(".recommended .module-card").first).to_contain_text(title)
