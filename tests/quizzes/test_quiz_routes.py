"""The quiz pages for each role: taking a quiz, its result, and the trainers' import,
export, item analysis and essays."""

import io
import re

import pytest
from sqlalchemy import func, select

from app.content.models import Module
from app.extensions import db
from app.quizzes.models import QuizAttempt, QuizAttemptItem, QuizQuestion
from tests.conftest import FIXTURE_COURSE, table_row
from tests.quizzes.conftest import attempt_id_of

TRAINER_PAGES = [
    "/modules/basics/quiz/manage",
    "/modules/basics/quiz/import",
    "/modules/basics/quiz/vi.gift",
    "/modules/basics/quiz/en.gift",
    "/modules/basics/quiz/analysis",
    "/modules/basics/quiz/essays",
]
TRAINER_POSTS = ["/modules/basics/quiz/import", "/modules/basics/quiz/import/confirm"]


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def start(client) -> tuple[int, str]:
    page = client.get("/modules/basics/quiz").get_data(as_text=True)
    return attempt_id_of(page), page


def submit(client, fill, right=True, **extra):
    attempt_id, _page = start(client)
    data = fill(attempt_id, right) | {"submit": "1"} | extra
    return attempt_id, client.post(f"/attempts/{attempt_id}", data=data)


# --- who may open what ----------------------------------------------------------------


@pytest.mark.parametrize("url", ["/modules/basics/quiz", "/attempts/1", *TRAINER_PAGES])
def test_visitor_is_sent_to_log_in(client, course, url):
    response = client.get(url)
    assert response.status_code == 302 and response.location.startswith("/login?next=")


@pytest.mark.parametrize("url", ["/attempts/1", *TRAINER_POSTS])
def test_visitor_cannot_post(client, course, url):
    response = client.post(url)
    assert response.status_code == 302 and response.location.startswith("/login")


@pytest.mark.parametrize("url", TRAINER_PAGES)
def test_learner_cannot_open_trainer_pages(client, course, learner, url):
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", TRAINER_POSTS)
def test_learner_cannot_post_to_trainer_pages(client, course, learner, url):
    assert client.post(url).status_code == 403


@pytest.mark.parametrize("role", ["trainer", "admin"])
@pytest.mark.parametrize("url", TRAINER_PAGES)
def test_trainers_and_admins_open_trainer_pages(client, course, make_user, login, role, url):
    login(make_user(role=role))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/modules/nowhere/quiz",
        "/attempts/999",
    ],
)
def test_missing_module_or_attempt_is_404(client, course, learner, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", [u.replace("basics", "nowhere") for u in TRAINER_PAGES])
def test_trainer_pages_of_a_missing_module_are_404(client, course, make_user, login, url):
    login(make_user(role="trainer"))
    assert client.get(url).status_code == 404


def test_someone_elses_attempt_is_403_but_a_trainer_may_read_it(
    client, course, make_user, login, fill
):
    login(make_user())
    attempt_id, _ = submit(client, fill)
    login(make_user())
    assert client.get(f"/attempts/{attempt_id}").status_code == 403
    assert client.post(f"/attempts/{attempt_id}", data={"submit": "1"}).status_code == 403
    login(make_user(role="trainer"))
    page = text_of(client.get(f"/attempts/{attempt_id}"))
    assert "Học viên: Người học" in page and "Điểm: 100%" in page


# --- taking a quiz --------------------------------------------------------------------


def test_the_quiz_page_is_a_plain_accessible_form(client, course, learner, q):
    attempt_id, page = start(client)
    assert f'action="/attempts/{attempt_id}"' in page
    assert page.count("<fieldset") == 7 and page.count("<legend>") == 7
    assert "Câu 1/7" in page and "Ai là trung tâm của chuyển đổi số?" in page
    assert "Hãy trả lời các câu hỏi về hai bài học" in page  # the description
    radio, match, essay = q["b1-centre"], q["b6-tools"], q["b7-reflect"]
    assert f'<label class="option"><input type="radio" name="{radio}" value="0">' in page
    assert re.search(rf'<label for="{match}-0">[^<]+</label>\s*<select id="{match}-0"', page)
    assert f'<textarea id="{essay}-input" name="{essay}"' in page
    assert 'inputmode="decimal"' in page
    assert ">Lưu câu trả lời</button>" in page and ">Nộp bài</button>" in page
    # one small script of its own, no inline script: the form works without it
    assert re.findall(r"<script[^>]*>(.*?)</script>", page, re.S) == [""]
    assert re.search(r'<script src="/static/quiz.js\?v=\w+" defer>', page)


def test_the_quiz_page_never_carries_answers_or_feedback(client, app, course, learner):
    from app.content.catalogue import get_catalogue
    from app.quizzes.pool import get_pool

    _attempt_id, page = start(client)
    with app.test_request_context():
        catalogue = get_catalogue("vi")
        pool = get_pool(catalogue.by_slug["basics"].id, "vi")
        for q in pool.questions:
            if q.general_feedback_html:
                assert q.general_feedback_html not in page, q.title
            for answer, feedback in zip(q.question.answers, q.feedback_html, strict=True):
                if feedback:
                    assert feedback not in page, q.title
                if q.kind in ("short", "numerical"):
                    assert f'"{answer.text}"' not in page and f">{answer.text}<" not in page
    lowered = page.lower()
    for word in ("fraction", "correct", "feedback", "data-right", "%50%", "weight"):
        assert word not in lowered


def test_reloading_shows_the_same_attempt(client, course, learner):
    first_id, first = start(client)
    again_id, again = start(client)
    assert first_id == again_id
    order = re.findall(r'name="(q\d+[-\d]*)" value="(\d)"> <span>([^<]+)', first)
    assert order == re.findall(r'name="(q\d+[-\d]*)" value="(\d)"> <span>([^<]+)', again)


def test_saved_answers_survive_a_reload(client, course, learner, fill, q):
    attempt_id, _ = start(client)
    data = fill(attempt_id) | {"save": "1"}
    response = client.post(f"/attempts/{attempt_id}", data=data)
    assert response.status_code == 302 and response.location == "/modules/basics/quiz"
    page = text_of(client.get("/modules/basics/quiz"))
    assert "Đã lưu câu trả lời." in page
    name = q["b1-centre"]
    assert f'name="{name}" value="{data[name]}" checked' in page
    assert 'value="1200"' in page and "Chúng tôi sẽ dùng dữ liệu" in page


@pytest.mark.parametrize(
    ("title", "item", "value", "message"),
    [
        ("b1-centre", "", "9", "Hãy chọn một trong các đáp án được đưa ra."),
        ("b4-records", "", "maybe", "Hãy chọn một trong các đáp án được đưa ra."),
        ("b5-ltv", "", "mười hai", "Hãy nhập một con số, ví dụ 1200 hoặc 2,5."),
        ("b3-word", "", "x" * 201, "Câu trả lời cần ngắn hơn 200 ký tự."),
        ("b6-tools", "-0", "7", "Hãy chọn một trong các đáp án được đưa ra."),
    ],
)
def test_bad_input_is_refused_next_to_its_question(
    client, app, course, learner, fill, q, title, item, value, message
):
    attempt_id, _ = start(client)
    field = q[title] + item
    data = fill(attempt_id) | {field: value, "submit": "1"}
    response = client.post(f"/attempts/{attempt_id}", data=data)
    assert response.status_code == 400
    page = text_of(response)
    question = field.split("-")[0]
    assert re.search(rf'<p class="field-error" id="{question}-error">{message}</p>', page)
    assert "Một số câu trả lời cần bạn xem lại; chưa có gì được lưu." in page
    if title in ("b3-word", "b5-ltv"):
        assert value[:20] in page  # what the learner typed is still there
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt.submitted_at is None and attempt.responses == {}


def test_the_first_answer_in_error_takes_the_focus_and_is_marked(client, course, learner, fill, q):
    attempt_id, page = start(client)
    assert "autofocus" not in page and "aria-invalid" not in page
    word, number = q["b3-word"], q["b5-ltv"]
    data = fill(attempt_id) | {word: "x" * 201, number: "mười hai", "save": "1"}
    response = client.post(f"/attempts/{attempt_id}", data=data)
    assert response.status_code == 400
    page = text_of(response)
    assert page.count("autofocus") == 1  # the page has no error summary to take it
    for name in (word, number):
        field = re.search(rf'<input id="{name}-input"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in field and f'aria-describedby="{name}-error"' in field
        assert f'<p class="field-error" id="{name}-error">' in page
        assert f'<fieldset class="question has-error" id="question-{name[1:]}"' in page
    assert "autofocus" in re.search(rf'<input id="{word}-input"[^>]*>', page).group(0)
    # only the number in error: it takes the focus
    data = fill(attempt_id) | {number: "mười hai", "save": "1"}
    page = text_of(client.post(f"/attempts/{attempt_id}", data=data))
    assert page.count("autofocus") == 1
    assert "autofocus" in re.search(rf'<input id="{number}-input"[^>]*>', page).group(0)


@pytest.mark.parametrize(("title", "item"), [("b1-centre", ""), ("b6-tools", "-0")])
def test_a_choice_in_error_focuses_its_first_input(client, course, learner, fill, q, title, item):
    attempt_id, _ = start(client)
    name = q[title]
    response = client.post(f"/attempts/{attempt_id}", data=fill(attempt_id) | {name + item: "9"})
    assert response.status_code == 400
    page = text_of(response)
    assert page.count("autofocus") == 1
    focused = re.search(r"<(input|select)[^>]*autofocus[^>]*>", page).group(0)
    assert f'name="{name}{item}"' in focused


def test_submitting_shows_the_score_explanations_and_lessons_to_review(
    client, course, learner, fill
):
    attempt_id, response = submit(client, fill, right=False)
    assert response.status_code == 302 and response.location == f"/attempts/{attempt_id}"
    page = text_of(client.get(response.location))
    assert "Điểm: 0%" in page and "Chưa đạt: bạn cần 70% để đạt." in page
    assert '<a href="/modules/basics/first">Bài đầu tiên</a>' in page
    assert '<a href="/modules/basics/second">Bài thứ hai</a>' in page
    # each question: the learner's answer, the right one, the explanations
    assert "Đáp án đúng</dt> <dd>Khách hàng</dd>" in page
    assert "Chuyển đổi số bắt đầu từ khách hàng rồi mới đến công cụ." in page
    assert "Sai: giấy không phải là kênh số." in page  # feedback of the answer chosen
    assert "Zalo OA → nhắn tin cho khách hàng" in page
    assert "Không chấm điểm: phần suy ngẫm" in page
    assert 'href="/modules/basics/quiz">Làm lại bài kiểm tra</a>' in page


# --- questions left unanswered on submitting --------------------------------------------


def partly(fill, q, attempt_id: int, *titles: str) -> dict:
    """Form data answering only the questions ``titles`` (right)."""
    data = fill(attempt_id)
    keep = {q[title] for title in titles}
    return {key: value for key, value in data.items() if key.split("-")[0] in keep}


def test_submitting_with_questions_unanswered_grades_nothing_and_shows_a_review_step(
    client, app, course, make_user, login, fill, q
):
    login(make_user(locale="en"))
    client.set_cookie("locale", "en")
    attempt_id, _ = start(client)
    data = partly(fill, q, attempt_id, "b1-centre", "b5-ltv") | {"submit": "1"}
    response = client.post(f"/attempts/{attempt_id}", data=data)
    assert response.status_code == 302 and response.location == "/modules/basics/quiz?review=1"
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt.submitted_at is None and attempt.score is None
        assert set(attempt.responses) == {q["b1-centre"][1:], q["b5-ltv"][1:]}  # kept
    page = text_of(client.get(response.location))
    summary = re.search(r'<section class="alert alert-warning unanswered".*?</section>', page)
    assert summary, "the review step's summary is at the top of the form"
    summary = summary.group(0)
    assert '<h2 id="unanswered-title">5 questions are unanswered</h2>' in summary
    assert 'tabindex="-1" autofocus' in summary and page.count("autofocus") == 1
    assert page.index(summary) < page.index("<fieldset")
    # a link to each question left, in the order shown, none to those answered
    links = re.findall(r'<a href="#question-(\d+)">Question (\d) of 7</a>', summary)
    left = [q[t][1:] for t in ("b2-channels", "b3-word", "b4-records", "b6-tools", "b7-reflect")]
    assert [link for link, _n in links] == left and [n for _l, n in links] == list("23467")
    for question_id in left:
        assert f'id="question-{question_id}"' in page
    # each with the start of its words, and no answer's
    assert "Question 2 of 7</a>: Which of these are digital channels? Choose all" in summary
    assert "Question 3 of 7</a>: Every change starts from the" in summary
    assert "Customers" not in summary
    # the buttons: the first saves (what Enter presses), the second grades
    buttons = re.findall(r'<button class="button[^"]*" name="(\w+)" value="(\w+)">([^<]+)<', page)
    assert buttons[:2] == [("save", "answer", "Go back to answer"),
                           ("submit_anyway", "1", "Submit anyway")]  # fmt: skip
    # the answers given are still there
    assert f'name="{q["b1-centre"]}" value="{data[q["b1-centre"]]}" checked' in page
    assert 'value="1200"' in page


def test_the_review_step_reads_in_vietnamese_too(client, course, learner, fill, q):
    attempt_id, _ = start(client)
    data = partly(fill, q, attempt_id, "b1-centre") | {"submit": "1"}
    page = text_of(client.get(client.post(f"/attempts/{attempt_id}", data=data).location))
    summary = re.search(r'<section class="alert alert-warning unanswered".*?</section>', page)
    assert summary and len(re.findall(r'href="#question-\d+">Câu \d/7</a>', summary.group(0))) == 6
    assert '<html lang="vi">' in page


def test_submit_anyway_grades_the_answers_as_they_are(client, app, course, learner, fill, q):
    attempt_id, _ = start(client)
    data = partly(fill, q, attempt_id, "b1-centre", "b5-ltv")
    client.post(f"/attempts/{attempt_id}", data=data | {"submit": "1"})
    response = client.post(f"/attempts/{attempt_id}", data=data | {"submit_anyway": "1"})
    assert response.status_code == 302 and response.location == f"/attempts/{attempt_id}"
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt.submitted_at is not None and round(attempt.score) == round(200 / 6)
    assert "Điểm: 33%" in text_of(client.get(response.location))


def test_the_review_step_can_be_answered_in_place(client, app, course, learner, fill, q):
    attempt_id, _ = start(client)
    client.post(
        f"/attempts/{attempt_id}", data=partly(fill, q, attempt_id, "b1-centre") | {"submit": "1"}
    )
    # every question answered now, from the review step's own form: graded at once
    response = client.post(f"/attempts/{attempt_id}", data=fill(attempt_id) | {"submit": "1"})
    assert response.location == f"/attempts/{attempt_id}"
    with app.app_context():
        assert db.session.get(QuizAttempt, attempt_id).score == 100


def test_going_back_to_answer_keeps_the_answers_and_leads_to_the_first_question_left(
    client, app, course, learner, fill, q
):
    attempt_id, _ = start(client)
    data = partly(fill, q, attempt_id, "b1-centre", "b2-channels")
    client.post(f"/attempts/{attempt_id}", data=data | {"submit": "1"})
    more = partly(fill, q, attempt_id, "b1-centre", "b2-channels", "b3-word")
    response = client.post(f"/attempts/{attempt_id}", data=more | {"save": "answer"})
    first_left = q["b4-records"][1:]
    assert response.location == f"/modules/basics/quiz#question-{first_left}"
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt.submitted_at is None and len(attempt.responses) == 3
    page = text_of(client.get("/modules/basics/quiz"))
    assert "alert-warning unanswered" not in page and "autofocus" not in page  # as usual
    assert f'name="{q["b3-word"]}" value="{more[q["b3-word"]]}"' in page


def test_a_quiz_answered_in_full_goes_straight_to_its_result(client, course, learner, fill):
    attempt_id, response = submit(client, fill)
    assert response.location == f"/attempts/{attempt_id}"


def test_a_review_step_lists_nothing_once_every_question_is_answered(client, course, learner, fill):
    attempt_id, _ = start(client)
    client.post(f"/attempts/{attempt_id}", data=fill(attempt_id) | {"save": "1"})
    page = text_of(client.get("/modules/basics/quiz?review=1"))
    assert "alert-warning unanswered" not in page and "autofocus" not in page


def test_a_review_address_without_a_review_shows_the_quiz_as_usual(client, course, learner):
    page = text_of(client.get("/modules/basics/quiz"))
    assert "alert-warning unanswered" not in page
    for junk in ("review", "review=0", "review=" + "9" * 5000):
        response = client.get(f"/modules/basics/quiz?{junk}")
        assert response.status_code == 200  # every question unanswered: the list of them
        assert "alert-warning unanswered" in text_of(response)
    assert client.get("/modules/basics/quiz?review=%00").status_code == 400


@pytest.mark.parametrize(
    "extra",
    [
        {"submit": "1", "submit_anyway": "1"},
        {"submit_anyway": "x" * 5000},
        {"submit": "", "submit_anyway": "1"},
        {"submit": "1", "save": "answer", "submit_anyway": "false"},
        {"save": "answer"},
    ],
)
def test_odd_button_values_are_never_an_error(client, course, learner, extra):
    attempt_id, _ = start(client)
    response = client.post(f"/attempts/{attempt_id}", data={"b": "1"} | extra)
    assert response.status_code == 302
    assert client.post(f"/attempts/{attempt_id}", data={"save": "\x00"}).status_code == 400


def test_an_answer_in_error_is_reported_before_any_review_step(client, app, course, learner, q):
    attempt_id, _ = start(client)
    response = client.post(f"/attempts/{attempt_id}", data={q["b5-ltv"]: "mười hai", "submit": "1"})
    assert response.status_code == 400
    page = text_of(response)
    assert "alert-warning unanswered" not in page and page.count("autofocus") == 1
    with app.app_context():
        assert db.session.get(QuizAttempt, attempt_id).responses == {}


def test_the_review_step_of_an_attempt_submitted_meanwhile_shows_its_result(
    client, course, learner, fill, q
):
    attempt_id, _ = start(client)
    client.post(f"/attempts/{attempt_id}", data=fill(attempt_id) | {"submit": "1"})
    stale = partly(fill, q, attempt_id, "b1-centre") | {"submit": "1"}  # another tab
    response = client.post(f"/attempts/{attempt_id}", data=stale)
    assert response.location == f"/attempts/{attempt_id}"
    assert "Lần làm bài này đã được nộp; đây là kết quả." in text_of(client.get(response.location))


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_the_confirmation_texts_are_on_the_form_in_the_pages_language(
    client, course, make_user, login, locale
):
    login(make_user(locale=locale))
    client.set_cookie("locale", locale)
    _attempt_id, page = start(client)
    form = re.search(r'<form class="quiz"[^>]*>', page, re.S).group(0)
    one = re.search(r'data-unanswered-one="([^"]+)"', form).group(1)
    other = re.search(r'data-unanswered-other="([^"]+)"', form).group(1)
    assert re.search(r'data-submit-anyway="[^"]+"', form)
    assert re.search(r'data-go-back="[^"]+"', form)
    if locale == "en":
        assert one == "1 question is unanswered. Submit anyway?"
        assert other == "{n} questions are unanswered. Submit anyway?"
    else:
        assert one == "Còn 1 câu hỏi chưa trả lời. Vẫn nộp bài?"
        assert other == "Còn {n} câu hỏi chưa trả lời. Vẫn nộp bài?"


def test_passing_needs_the_pass_mark(client, course, learner, fill):
    _attempt_id, response = submit(client, fill, right=True)
    page = text_of(client.get(response.location))
    assert "Điểm: 100%" in page and "Đạt. Bạn đã đạt mức điểm yêu cầu 70%." in page
    assert "Hãy xem lại các bài học này" not in page


def test_submitting_twice_grades_once(client, app, course, learner, fill):
    attempt_id, _ = submit(client, fill, right=True)
    again = client.post(f"/attempts/{attempt_id}", data=fill(attempt_id, False) | {"submit": "1"})
    assert again.status_code == 302 and again.location == f"/attempts/{attempt_id}"
    page = text_of(client.get(again.location))
    assert "Lần làm bài này đã được nộp; đây là kết quả." in page and "Điểm: 100%" in page
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(QuizAttemptItem))
        assert count == 7


def test_a_second_visit_after_submitting_starts_a_new_attempt(client, course, learner, fill):
    first, _ = submit(client, fill, right=False)
    second, page = start(client)
    assert second != first and "Lần làm 2" in page


def test_the_attempt_limit_is_enforced_on_the_server(client, app, course, learner, fill):
    with app.app_context():
        from app.cache import bump_version
        from app.content.models import Module

        db.session.scalar(select(Module).filter_by(slug="basics")).quiz_attempts = 1
        bump_version()
        db.session.commit()
    attempt_id, response = submit(client, fill, right=False)
    result = text_of(client.get(response.location))
    assert "Bạn đã dùng hết số lần làm bài được phép." in result
    assert "Làm lại bài kiểm tra" not in result
    refused = client.get("/modules/basics/quiz")
    assert refused.status_code == 302 and refused.location == "/modules/basics"
    assert "Bạn đã dùng hết số lần làm bài được phép." in text_of(client.get("/modules/basics"))


def test_submitting_without_a_csrf_token_is_refused(client, app, course, learner):
    attempt_id, _ = start(client)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/attempts/{attempt_id}", data={"submit": "1"}).status_code == 400


def test_the_quiz_speaks_english_too(client, course, learner, fill):
    client.set_cookie("locale", "en")
    attempt_id, page = start(client)
    assert "Question 1 of 7" in page and "Who is at the centre of digital transformation?" in page
    response = client.post(
        f"/attempts/{attempt_id}", data=fill(attempt_id, True, "en") | {"submit": "1"}
    )
    result = text_of(client.get(response.location))
    assert "Score: 100%" in result and "Right: every change starts from the customer." in result


def test_quiz_and_result_pages_read_little_from_the_database(
    client, course, learner, fill, count_queries
):
    start(client)
    count_queries.clear()
    start(client)
    # the user, the content version, the attempt: the questions come from memory
    assert len(count_queries) == 3, count_queries
    attempt_id, response = submit(client, fill)
    count_queries.clear()
    client.get(response.location)
    assert len(count_queries) <= 6, count_queries


# --- quizzes on the learner's other pages ---------------------------------------------


def test_module_page_and_last_lesson_link_to_the_quiz(client, course, learner):
    module = text_of(client.get("/modules/basics"))
    assert '<a class="button primary" href="/modules/basics/quiz">Làm bài kiểm tra</a>' in module
    assert "7 câu hỏi · Điểm đạt 70% · Không giới hạn số lần làm" in module
    first = text_of(client.get("/modules/basics/first"))
    assert 'href="/modules/basics/quiz"' not in first
    last = text_of(client.get("/modules/basics/second"))
    assert '<a class="button primary" href="/modules/basics/quiz">Làm bài kiểm tra' in last


def test_progress_and_cards_show_quiz_results_and_completion(client, course, learner, fill):
    client.post("/modules/next/only/complete")
    page = client.get("/modules/next/quiz").get_data(as_text=True)
    attempt_id = attempt_id_of(page)
    client.post(f"/attempts/{attempt_id}", data=fill(attempt_id, False) | {"submit": "1"})
    progress = text_of(client.get("/progress"))
    assert table_row(progress, "Bước 1")[1:] == [
        "1 / 1", "Cao nhất 0% · chưa đạt", "Cần đạt bài kiểm tra"
    ]  # fmt: skip
    home = text_of(client.get("/"))
    assert "Bài kiểm tra: điểm cao nhất 0% · chưa đạt" in home
    assert "Đã hoàn thành học phần" not in home
    again = attempt_id_of(client.get("/modules/next/quiz").get_data(as_text=True))
    client.post(f"/attempts/{again}", data=fill(again, True) | {"submit": "1"})
    progress = text_of(client.get("/progress"))
    assert table_row(progress, "Bước 1")[1:] == ["1 / 1", "Cao nhất 100% · đã đạt", "Đã hoàn thành"]
    assert "</svg> Đã hoàn thành học phần</span>" in text_of(client.get("/"))
    module = text_of(client.get("/modules/next"))
    assert "Điểm cao nhất của bạn: 100% · đã đạt" in module


def test_catalogue_with_quiz_results_needs_few_queries(client, course, learner, count_queries):
    client.get("/")
    count_queries.clear()
    client.get("/progress")
    assert len(count_queries) <= 5, count_queries


# --- trainers: import, export, analysis, essays ---------------------------------------


@pytest.fixture
def trainer(make_user, login):
    return login(make_user(role="trainer"))


def upload(client, vi: bytes | None, en: bytes | None, keep_going: bool = False):
    data = {"keep_going": "y"} if keep_going else {}
    if vi is not None:
        data["vi"] = (io.BytesIO(vi), "basics.vi.gift")
    if en is not None:
        data["en"] = (io.BytesIO(en), "basics.en.gift")
    return client.post("/modules/basics/quiz/import", data=data, content_type="multipart/form-data")


VI = (FIXTURE_COURSE / "quizzes/01-basics.vi.gift").read_bytes()
EN = (FIXTURE_COURSE / "quizzes/01-basics.en.gift").read_bytes()


def token_of(page: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


def test_manage_page_lists_the_pool_with_lessons(client, course, trainer):
    page = text_of(client.get("/modules/basics/quiz/manage"))
    assert (
        "<code>b1-centre</code></th> <td>Trắc nghiệm một đáp án</td> <td>Bài đầu tiên</td>" in page
    )
    assert "<code>b0-intro</code></th> <td>Đoạn mô tả</td> <td>Cả học phần</td>" in page
    assert 'href="/modules/basics/quiz/vi.gift"' in page


def test_export_downloads_the_files_as_imported(client, course, trainer):
    response = client.get("/modules/basics/quiz/vi.gift")
    assert response.data == VI
    assert response.headers["Content-Disposition"] == 'attachment; filename="01-basics.vi.gift"'
    assert client.get("/modules/basics/quiz/fr.gift").status_code == 404


def test_import_previews_then_confirms(client, app, course, trainer):
    vi = VI.replace(b"::b7-reflect::", b"::b9-new:: M\xe1\xbb\x9bi? {T}\n\n::b7-reflect::")
    vi = vi.replace("Ai là trung tâm".encode(), "Ai đứng ở trung tâm".encode())
    en = EN.replace(b"::b7-reflect::", b"::b9-new:: New? {T}\n\n::b7-reflect::")
    blocks = [b.split(b"\n\n::b5-ltv::")[0] for b in (vi, en)]
    vi = blocks[0] + vi[vi.index(b"\n\n::b6-tools::") :]
    en = blocks[1] + en[en.index(b"\n\n::b6-tools::") :]
    response = upload(client, vi, en)
    assert response.status_code == 200
    page = text_of(response)
    assert re.search(r"Sẽ thêm \(1\)</h2> <ul[^>]*> <li><code>b9-new</code>", page)
    assert re.search(r"Sẽ sửa \(1\)</h2> <ul[^>]*> <li><code>b1-centre</code>", page)
    assert re.search(r"Sẽ xóa \(1\)</h2> <ul[^>]*> <li><code>b5-ltv</code>", page)
    with app.app_context():  # nothing written yet
        assert db.session.scalar(select(func.count(QuizQuestion.id))) == 11
    done = client.post("/modules/basics/quiz/import/confirm", data={"token": token_of(page)})
    assert done.status_code == 302 and done.location == "/modules/basics/quiz/manage"
    assert "Đã nhập bài kiểm tra: thêm 1, sửa 1, xóa 1 câu hỏi." in text_of(
        client.get(done.location)
    )
    assert client.get("/modules/basics/quiz/vi.gift").data == vi
    with app.app_context():
        titles = db.session.scalars(
            select(QuizQuestion.title)
            .join(Module, Module.id == QuizQuestion.module_id)
            .where(Module.slug == "basics")
            .order_by(QuizQuestion.position)
        ).all()
        assert "b9-new" in titles and "b5-ltv" not in titles
    # the same token again: the quiz has changed since that preview
    stale = client.post("/modules/basics/quiz/import/confirm", data={"token": token_of(page)})
    assert stale.location == "/modules/basics/quiz/import"
    assert "Bài kiểm tra đã bị thay đổi sau khi bạn xem trước." in text_of(
        client.get(stale.location)
    )


def test_import_lists_every_error_with_its_line_and_writes_nothing(client, app, course, trainer):
    vi = VI.replace(b"=1200:0", b"=12x00")
    en = EN.replace(b"::b3-word::", b"::b3::")
    response = upload(client, vi, en)
    assert response.status_code == 400
    page = text_of(response)
    assert "1 lỗi: chưa có gì được nhập" in page
    assert "Tệp tiếng Việt, dòng 30: số &#39;12x00&#39; không hợp lệ: hãy viết chữ số" in page
    response = upload(client, VI, en)
    page = text_of(response)
    assert "Tệp tiếng Anh, dòng 20: câu hỏi &#39;b3&#39; không có trong tệp tiếng Việt" in page
    assert 'name="token"' not in page
    with app.app_context():
        assert db.session.scalar(select(func.count(QuizQuestion.id))) == 11


def test_import_can_leave_out_the_questions_with_problems(client, app, course, trainer):
    vi = VI.replace(b"=1200:0", b"=12x00")  # b5-ltv cannot be read in Vietnamese
    en = EN.replace(b"::b3-word::", b"::b3::")  # b3 is not in the Vietnamese file
    page = text_of(upload(client, vi, en, keep_going=True))
    assert "3 lỗi: những câu hỏi này sẽ bị bỏ qua" in page
    assert "Tệp tiếng Việt, dòng 30: số &#39;12x00&#39; không hợp lệ" in page
    assert re.search(r"Sẽ xóa \(2\)</h2> <ul[^>]*> <li><code>b3-word</code>", page)
    done = client.post("/modules/basics/quiz/import/confirm", data={"token": token_of(page)})
    assert done.status_code == 302
    with app.app_context():
        titles = set(db.session.scalars(select(QuizQuestion.title)))
    assert {"b5-ltv", "b3-word", "b3"}.isdisjoint(titles) and "b1-centre" in titles
    assert b"b5-ltv" not in client.get("/modules/basics/quiz/vi.gift").data


def test_import_errors_speak_the_trainers_language(client, course, trainer):
    client.set_cookie("locale", "en")
    page = text_of(upload(client, VI, EN.replace(b"::b3-word::", b"::b3::")))
    assert "English file, line 20: the question &#39;b3&#39; is not in the Vietnamese file" in page
    page = text_of(upload(client, VI.replace(b"::b3-word::", b"::b3::"), EN))
    assert (
        "English file, line 1: the question &#39;b3&#39; of the Vietnamese file is missing" in page
    )


@pytest.mark.parametrize(
    ("vi", "en", "field", "message"),
    [
        (None, EN, "vi", "Hãy chọn tệp tiếng Việt."),
        (VI, None, "en", "Hãy chọn tệp tiếng Anh."),
        ("Ai".encode("utf-16"), EN, "vi", "Tệp không phải văn bản UTF-8."),
        (VI, b"x" * (512 * 1024 + 1), "en", "Tệp lớn hơn 512 KB."),
    ],
)
def test_bad_uploads_are_refused_next_to_the_field(client, course, trainer, vi, en, field, message):
    response = upload(client, vi, en)
    assert response.status_code == 400
    page = text_of(response)
    assert re.search(rf'<p class="field-error" id="{field}-error">{message}', page)


def test_a_tampered_preview_is_refused(client, course, trainer):
    response = client.post("/modules/basics/quiz/import/confirm", data={"token": "forged"})
    assert response.location == "/modules/basics/quiz/import"
    assert "Bản xem trước đã hết hạn." in text_of(client.get(response.location))


def test_item_analysis_flags_questions_for_review(client, course, make_user, login, fill):
    for right in (True, False, False):
        login(make_user())
        submit(client, fill, right=right)
    login(make_user(role="trainer"))
    page = text_of(client.get("/modules/basics/quiz/analysis"))
    assert "3 lần làm bài đầu tiên" in page
    assert "Cần xem lại câu hỏi: độ dễ dưới 30%, phần lớn học viên trả lời sai." not in page
    assert "Độ dễ</dt><dd>33%</dd>" in page and "Độ phân biệt</dt><dd>100</dd>" in page
    assert "Khách hàng</td> <td>1 (33%)</td>" in page
    assert client.get("/modules/basics/quiz/analysis?page=9").status_code == 404


def test_item_analysis_flags_a_question_most_learners_miss(
    client, app, course, make_user, login, fill, q
):
    for _ in range(10):  # enough first attempts to judge
        login(make_user())
        attempt_id, _page = start(client)
        data = fill(attempt_id, True)
        first = q["b1-centre"]
        data[first] = fill(attempt_id, False)[first]  # everyone misses question 1
        client.post(f"/attempts/{attempt_id}", data=data | {"submit": "1"})
    login(make_user(role="admin"))
    page = text_of(client.get("/modules/basics/quiz/analysis"))
    assert "1 câu hỏi cần xem lại" in page
    assert "Cần xem lại câu hỏi: độ dễ dưới 30%, phần lớn học viên trả lời sai." in page
    client.set_cookie("locale", "en")
    login(make_user(role="admin", locale="en"))
    english = text_of(client.get("/modules/basics/quiz/analysis"))
    assert "Review this question: facility is below 30%, most learners miss it." in english
    # the summary, sorted by facility, puts the question everyone misses first
    by_facility = client.get("/modules/basics/quiz/analysis?sort=facility").get_data(as_text=True)
    summary = by_facility[by_facility.index("analysis-summary") :]
    assert re.search(r'#item-\d+"><code>b1-centre</code>', summary.split("</tr>", 2)[1])
    assert client.get("/modules/basics/quiz/analysis?sort=nonsense").status_code == 200


def test_essays_are_listed_for_trainers(client, course, make_user, login, fill):
    learner = login(make_user())
    submit(client, fill)
    login(make_user(role="trainer"))
    page = text_of(client.get("/modules/basics/quiz/essays"))
    assert learner.name in page and "Chúng tôi sẽ dùng dữ liệu bán hàng" in page


def test_what_a_learner_types_is_shown_back_escaped(client, course, learner, fill, q):
    attempt_id, _ = start(client)
    number, essay = q["b5-ltv"], q["b7-reflect"]
    data = fill(attempt_id) | {
        number: "<script>alert(1)</script>",
        essay: '"><b>x</b>',
        "save": "1",
    }
    page = client.post(f"/attempts/{attempt_id}", data=data).get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    data[number] = "12"
    client.post(f"/attempts/{attempt_id}", data=data)
    page = client.get("/modules/basics/quiz").get_data(as_text=True)
    assert "<b>x</b>" not in page and "&#34;&gt;&lt;b&gt;x&lt;/b&gt;" in page


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"[" * 20000, "dài quá 5000 ký tự"),
        (b"[a](b) " * 300, "nhiều hơn 200 dấu"),
    ],
)
def test_a_question_that_would_take_long_to_render_is_refused_with_a_reason(
    client, app, course, trainer, text, message
):
    vi = VI.replace(b"::b1-centre::", b"::b1-centre:: [markdown]" + text, 1)
    response = upload(client, vi, EN)
    assert response.status_code == 400
    assert message in text_of(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(QuizQuestion.id))) == 11


def test_pages_show_questions_as_rendered_at_import_and_render_nothing(
    client, course, make_user, login, monkeypatch
):
    def refuse(*args, **kwargs):
        raise AssertionError("a page rendered Markdown")

    monkeypatch.setattr("markdown.markdown", refuse)
    monkeypatch.setattr("nh3.clean", refuse)
    login(make_user())
    assert client.get("/modules/basics").status_code == 200
    page = client.get("/modules/basics/quiz")
    assert page.status_code == 200 and "<legend>" in text_of(page)


def test_a_file_holding_a_control_character_is_refused_with_its_line(client, app, course, trainer):
    vi = VI.replace(b"::b1-centre::", b"::b1-centre:: A\x00B", 1)
    line = vi[: vi.index(b"\x00")].count(b"\n") + 1
    response = upload(client, vi, EN)
    assert response.status_code == 400
    assert f"Tệp tiếng Việt, dòng {line}: một ký tự điều khiển (U+0000)" in text_of(response)
