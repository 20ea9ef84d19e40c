"""The quiz's and the assessment's forms in a real browser: questions left unanswered on
submitting, "I don't know" against a checklist's answers, answers in error, and question
boxes whose legends stay inside them on a phone and on a laptop."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import register
from tests.conftest import FIXTURE_COURSE, REPO

# The question boxes whose legend is not inside: below the top border, within the sides,
# no wider than the box (a long word breaks), in a box no wider than the page.
LEGENDS_OUTSIDE = """() => [...document.querySelectorAll('fieldset.question')].filter(box => {
  const legend = box.querySelector(':scope > legend');
  const b = box.getBoundingClientRect(), l = legend.getBoundingClientRect();
  const style = getComputedStyle(box);
  return b.right > document.documentElement.clientWidth + 0.5
    || l.top < b.top + parseFloat(style.borderTopWidth) - 0.5
    || l.left < b.left + parseFloat(style.borderLeftWidth) - 0.5
    || l.right > b.right - parseFloat(style.borderRightWidth) + 0.5
    || legend.scrollWidth > legend.clientWidth + 1;
}).map(box => box.id)"""


def question(page, text: str):
    return page.get_by_role("group", name=re.compile(re.escape(text)))


def in_english(page) -> None:
    page.get_by_role("button", name=re.compile("EN")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_submitting_a_quiz_with_questions_unanswered_asks_first(live_server_for, phone):
    base = live_server_for(FIXTURE_COURSE)
    page = phone
    register(page, base)
    page.goto(base + "/modules/basics/quiz")
    in_english(page)
    question(page, "Who is at the centre").get_by_label("The customer").check()
    question(page, "lifetime value").get_by_role("textbox").fill("1200")

    page.get_by_role("button", name="Submit answers").click()
    dialog = page.get_by_role("dialog", name="5 questions are unanswered. Submit anyway?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Go back to answer")).to_be_focused()
    dialog.get_by_role("button", name="Go back to answer").click()
    expect(dialog).to_be_hidden()
    # back at the first question left, with the answers as they were
    channels = question(page, "digital channels")
    expect(channels.get_by_role("checkbox").first).to_be_focused()
    expect(question(page, "Who is at the centre").get_by_label("The customer")).to_be_checked()
    assert "/modules/basics/quiz" in page.url

    channels.get_by_label("Zalo OA").check()
    page.get_by_role("button", name="Submit answers").click()
    four = page.get_by_role("dialog", name="4 questions are unanswered. Submit anyway?")
    expect(four).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.get_by_role("button", name="Submit answers")).to_be_focused()

    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("dialog").get_by_role("button", name="Submit anyway").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Score: \d+%"))).to_be_visible()


def test_one_question_left_is_said_in_the_singular_and_vietnamese_counts_the_same(
    live_server_for, phone
):
    base = live_server_for(FIXTURE_COURSE)
    page = phone
    register(page, base)
    page.goto(base + "/modules/next/quiz")
    question(page, "Bước đầu tiên").get_by_label("Có mặt trên mạng").check()
    page.get_by_role("button", name="Nộp bài").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Còn 2 câu hỏi chưa trả lời")  # one form for all counts
    dialog.get_by_role("button").first.click()
    question(page, "Một cửa hàng nhỏ").get_by_label("Đúng", exact=True).check()
    in_english(page)  # what was not saved is lost on switching; answer again
    question(page, "first step").get_by_label("Getting online").check()
    question(page, "A small shop").get_by_label("True", exact=True).check()
    page.get_by_role("button", name="Submit answers").click()
    one = page.get_by_role("dialog", name="1 question is unanswered. Submit anyway?")
    expect(one).to_be_visible()
    page.get_by_role("dialog").get_by_role("button", name="Go back to answer").click()
    question(page, "Zalo").get_by_role("textbox").fill("OA")
    page.get_by_role("button", name="Submit answers").click()  # all answered: no question
    expect(page.get_by_role("heading", name="Score: 100%")).to_be_visible()


def test_without_javascript_a_review_step_lists_the_questions_left(browser, live_server_for):
    base = live_server_for(FIXTURE_COURSE)
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="vi-VN"
    )
    page = context.new_page()
    register(page, base)
    page.goto(base + "/modules/basics/quiz")
    in_english(page)
    question(page, "Who is at the centre").get_by_label("The customer").check()
    page.get_by_role("button", name="Submit answers").click()

    summary = page.get_by_role("region", name="6 questions are unanswered")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(6)
    expect(question(page, "Who is at the centre").get_by_label("The customer")).to_be_checked()
    summary.get_by_role("link", name="Question 5 of 7").click()
    assert re.search(r"\?review=1#question-\d+$", page.url)
    question(page, "lifetime value").get_by_role("textbox").fill("1200")

    summary.get_by_role("button", name="Go back to answer").click()
    expect(page.get_by_role("region", name=re.compile("unanswered"))).to_have_count(0)
    assert re.search(r"/modules/basics/quiz#question-\d+$", page.url)
    expect(question(page, "lifetime value").get_by_role("textbox")).to_have_value("1200")
    expect(question(page, "Who is at the centre").get_by_label("The customer")).to_be_checked()

    page.get_by_role("button", name="Submit answers").click()
    summary = page.get_by_role("region", name="5 questions are unanswered")
    summary.get_by_role("button", name="Submit anyway").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Score: \d+%"))).to_be_visible()
    context.close()


def test_i_dont_know_and_the_tools_untick_each_other(live_server_for, phone):
    base = live_server_for(REPO)
    page = phone
    page.goto(base + "/assessment/page/customer-marketing")
    channels = page.locator("fieldset#q_s1_channels")
    unknown = channels.get_by_label("Tôi không biết")
    channels.get_by_label("Trang Facebook").check()
    channels.get_by_label("Zalo OA").check()
    unknown.check()
    expect(unknown).to_be_checked()
    expect(channels.get_by_role("checkbox", checked=True)).to_have_count(1)
    channels.get_by_label("Website riêng").check()
    expect(unknown).not_to_be_checked()
    expect(channels.get_by_role("checkbox", checked=True)).to_have_count(1)
    channels.get_by_label("Website riêng").uncheck()  # unticking changes nothing else
    expect(channels.get_by_role("checkbox", checked=True)).to_have_count(0)


def test_without_javascript_the_server_refuses_i_dont_know_with_a_tool(browser, live_server_for):
    base = live_server_for(REPO)
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="vi-VN"
    )
    page = context.new_page()
    page.goto(base + "/assessment/page/customer-marketing")
    channels = page.locator("fieldset#q_s1_channels")
    channels.get_by_label("Trang Facebook").check()
    channels.get_by_label("Tôi không biết").check()
    page.get_by_role("button", name=re.compile("Lưu và tiếp tục")).click()
    expect(page.locator("#error-summary")).to_be_focused()
    channels = page.locator("fieldset#q_s1_channels")
    expect(channels.locator(".field-error")).to_be_visible()
    expect(channels.get_by_label("Trang Facebook")).to_be_checked()
    page.locator("#error-summary a").first.click()
    assert page.url.endswith("#q_s1_channels")
    context.close()


def test_a_number_in_error_takes_the_focus_and_is_marked(live_server_for, phone):
    base = live_server_for(FIXTURE_COURSE)
    page = phone
    register(page, base)
    page.goto(base + "/modules/basics/quiz")
    box = question(page, "Giá trị vòng đời").get_by_role("textbox")
    box.fill("mười hai")
    page.get_by_role("button", name="Lưu câu trả lời").click()
    box = question(page, "Giá trị vòng đời").get_by_role("textbox")
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_css("border-top-width", "2px")
    expect(box).to_have_accessible_description(re.compile("Hãy nhập một con số"))


@pytest.mark.parametrize("width", [360, 1280])
def test_legends_stay_inside_their_boxes(browser, live_server_for, width):
    base = live_server_for(REPO)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()
    # every kind of assessment question, and a number in error
    for path in ("customer-marketing", "customer-marketing-2", "sales-crm", "automation"):
        page.goto(f"{base}/assessment/page/{path}")
        assert page.evaluate(LEGENDS_OUTSIDE) == [], path
    page.goto(f"{base}/assessment/page/sales-crm")
    page.locator("#q_s3_online_revenue").fill("nhiều")
    page.get_by_role("button", name=re.compile("Lưu và tiếp tục")).click()
    assert page.evaluate(LEGENDS_OUTSIDE) == []
    # a legend with one very long word wraps inside its box
    page.evaluate(
        "document.querySelector('fieldset.question legend').textContent = 'x'.repeat(300)"
    )
    assert page.evaluate(LEGENDS_OUTSIDE) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # every kind of quiz question, on the fixture's quiz and on a real one
    register(page, base)
    page.goto(base + "/modules/foundations/quiz")
    assert page.locator("fieldset.question").count() >= 10
    assert page.evaluate(LEGENDS_OUTSIDE) == []
    page.evaluate(
        "document.querySelector('fieldset.question .q-text').textContent = 'x'.repeat(300)"
    )
    assert page.evaluate(LEGENDS_OUTSIDE) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_legends_of_every_quiz_kind_stay_inside_their_boxes(browser, live_server_for, width):
    base = live_server_for(FIXTURE_COURSE)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()
    register(page, base)
    page.goto(base + "/modules/basics/quiz")  # single, multi, short, true/false, numerical,
    assert page.evaluate(LEGENDS_OUTSIDE) == []  # matching and essay
    question(page, "Giá trị vòng đời").get_by_role("textbox").fill("mười hai")
    page.get_by_role("button", name="Lưu câu trả lời").click()
    assert page.evaluate(LEGENDS_OUTSIDE) == []  # with a question in error
    context.close()
