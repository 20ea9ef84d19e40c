"""The learner's journey in a real browser on a phone-sized screen."""

import re

from playwright.sync_api import expect

from tests.conftest import FIXTURE_COURSE


def test_register_read_complete_and_switch_to_english(live_server_for, phone):
    base = live_server_for(FIXTURE_COURSE)
    page = phone
    page.goto(base + "/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", name="Nền tảng")).to_be_visible()

    page.get_by_role("link", name="Đăng ký").first.click()
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Mai")
    page.get_by_label("Email").fill("mai@example.vn")
    page.get_by_label("Mật khẩu", exact=True).fill("mat-khau-an-toan")
    page.get_by_label("Nhập lại mật khẩu").fill("mat-khau-an-toan")
    # With JavaScript on, only the fields of the chosen option are shown.
    page.get_by_label("Doanh nghiệp của tôi đã đăng ký: xin gia nhập").check()
    expect(page.get_by_label("Ngành")).to_be_hidden()
    page.get_by_label("Đăng ký doanh nghiệp của tôi").check()
    expect(page.get_by_label("Ngành")).to_be_visible()
    page.get_by_label("Tên doanh nghiệp").fill("Nội thất Mộc Phát")
    page.get_by_label("Ngành").select_option("manufacturing")
    page.get_by_label("Quy mô").select_option("small")
    page.get_by_label("Tỉnh hoặc thành phố").select_option("TP. Hồ Chí Minh")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.get_by_role("heading", name="Xin chào, Nguyễn Thị Mai")).to_be_visible()

    page.get_by_role("link", name="Nhập môn").click()
    page.get_by_role("link", name="Bài đầu tiên").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bài đầu tiên")
    expect(page.get_by_text("Đã hoàn thành 0/2 bài học")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the lesson page scrolls sideways on a phone ({width}px)"

    page.get_by_role("button", name="Đánh dấu đã học xong").click()
    expect(page.get_by_text("Bạn đã hoàn thành bài học này.")).to_be_visible()
    expect(page.get_by_text("Đã hoàn thành 1/2 bài học")).to_be_visible()

    page.get_by_role("button", name=re.compile("EN")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("The first lesson")
    expect(page.get_by_text("1 of 2 lessons completed")).to_be_visible()
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Courses").click()
    expect(page.get_by_role("link", name=re.compile("^Continue"))).to_be_visible()


def test_pages_work_without_javascript(browser, live_server_for):
    base = live_server_for(FIXTURE_COURSE)
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="vi-VN"
    )
    page = context.new_page()
    page.goto(base + "/register")
    # Every company field is visible; the radio decides which ones count.
    page.get_by_label("Doanh nghiệp của tôi đã đăng ký: xin gia nhập").check()
    expect(page.get_by_label("Ngành")).to_be_visible()
    expect(page.get_by_label("Tên doanh nghiệp")).to_be_visible()
    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    context.close()


def test_keyboard_reaches_the_skip_link_first(live_server_for, phone):
    base = live_server_for(FIXTURE_COURSE)
    phone.goto(base + "/")
    phone.keyboard.press("Tab")
    focused = phone.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Bỏ qua, đến nội dung chính"
