"""Taking a quiz on a phone: fail, read why, retake and pass."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import register
from tests.conftest import FIXTURE_COURSE


def question(page, text: str):
    return page.get_by_role("group", name=re.compile(re.escape(text)))


def assert_fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways on a phone ({width}px)"


def answer(page, right: bool) -> None:
    if right:
        question(page, "Ai là trung tâm").get_by_label("Khách hàng").check()
        channels = question(page, "kênh số")
        channels.get_by_label("Tài khoản Zalo OA").check()
        channels.get_by_label("Trang Facebook").check()
        channels.get_by_label("Tờ rơi in").uncheck()
        question(page, "Mọi thay đổi").get_by_label("Câu trả lời của bạn").fill("Khách hàng")
        question(page, "Dữ liệu không ai dùng").get_by_label("Đúng", exact=True).check()
        question(page, "Giá trị vòng đời").get_by_label("Câu trả lời của bạn").fill("1200")
        tools = question(page, "Nối mỗi công cụ")
        tools.get_by_label("Zalo OA").select_option(label="nhắn tin cho khách hàng")
        tools.get_by_label("MISA").select_option(label="kế toán")
    else:
        question(page, "Ai là trung tâm").get_by_label("Cơ quan thuế").check()
        question(page, "kênh số").get_by_label("Tờ rơi in").check()
        question(page, "Mọi thay đổi").get_by_label("Câu trả lời của bạn").fill("phần mềm")
        question(page, "Dữ liệu không ai dùng").get_by_label("Sai", exact=True).check()
        question(page, "Giá trị vòng đời").get_by_label("Câu trả lời của bạn").fill("100")
        tools = question(page, "Nối mỗi công cụ")
        tools.get_by_label("Zalo OA").select_option(label="in tờ rơi")
        tools.get_by_label("MISA").select_option(label="in tờ rơi")
    question(page, "Hãy mô tả").get_by_label("Suy ngẫm của bạn").fill(
        "Dùng số đơn theo giờ để xếp ca nhân viên."
    )


def test_take_fail_read_explanations_retake_and_pass(live_server_for, phone):
    base = live_server_for(FIXTURE_COURSE)
    page = phone
    register(
        page,
        base,
        name="Lê Thị Hồng",
        email="hong@example.vn",
        company="Trà Sữa Mây",
        sector="retail",
        size="micro",
        province="Đà Nẵng",
    )
    page.get_by_role("link", name="Nhập môn").first.click()
    page.get_by_role("link", name="Làm bài kiểm tra").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bài kiểm tra: Nhập môn")
    expect(page.get_by_role("group")).to_have_count(7)
    assert_fits(page)

    # Answers saved on the server survive a reload.
    answer(page, right=False)
    page.get_by_role("button", name="Lưu câu trả lời").click()
    expect(page.get_by_text("Đã lưu câu trả lời.")).to_be_visible()
    page.reload()
    expect(question(page, "Ai là trung tâm").get_by_label("Cơ quan thuế")).to_be_checked()
    expect(question(page, "Giá trị vòng đời").get_by_role("textbox")).to_have_value("100")

    second_tab = page.context.new_page()  # the same attempt, open in another tab
    second_tab.goto(page.url)
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_role("heading", name="Điểm: 0%")).to_be_visible()
    expect(page.get_by_text("Chưa đạt: bạn cần 70% để đạt.")).to_be_visible()
    assert_fits(page)
    # Why each answer is right or wrong, and where to read again.
    expect(page.get_by_text("Sai: giấy không phải là kênh số.")).to_be_visible()
    expect(
        page.get_by_text("Chuyển đổi số bắt đầu từ khách hàng rồi mới đến công cụ.")
    ).to_be_visible()
    review = page.get_by_role("region", name="Hãy xem lại các bài học này")
    expect(review.get_by_role("link", name="Bài đầu tiên")).to_be_visible()
    expect(review.get_by_role("link", name="Bài thứ hai")).to_be_visible()

    # Submitting the same attempt again from the other tab grades nothing twice.
    answer(second_tab, right=True)
    second_tab.get_by_role("button", name="Nộp bài").click()
    expect(second_tab.get_by_text("Lần làm bài này đã được nộp; đây là kết quả.")).to_be_visible()
    expect(second_tab.get_by_role("heading", name="Điểm: 0%")).to_be_visible()
    second_tab.close()

    page.get_by_role("link", name="Làm lại bài kiểm tra").click()
    expect(page.get_by_text("Lần làm 2")).to_be_visible()
    answer(page, right=True)
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_role("heading", name="Điểm: 100%")).to_be_visible()
    expect(page.get_by_text("Đạt. Bạn đã đạt mức điểm yêu cầu 70%.")).to_be_visible()
    assert_fits(page)

    page.get_by_role("link", name="Tiến độ của tôi").click()
    expect(page.get_by_text("Cao nhất 100% · đã đạt")).to_be_visible()


def test_the_quiz_works_without_javascript(browser, live_server_for):
    base = live_server_for(FIXTURE_COURSE)
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="vi-VN"
    )
    page = context.new_page()
    register(
        page,
        base,
        name="Lê Thị Hồng",
        email="hong@example.vn",
        company="Trà Sữa Mây",
        sector="retail",
        size="micro",
        province="Đà Nẵng",
    )
    page.goto(base + "/modules/next/quiz")
    question(page, "Bước đầu tiên").get_by_label("Có mặt trên mạng").check()
    question(page, "Một cửa hàng nhỏ").get_by_label("Đúng", exact=True).check()
    question(page, "Zalo").get_by_label("Câu trả lời của bạn").fill("oa")
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_role("heading", name="Điểm: 100%")).to_be_visible()
    context.close()
