"""The maturity assessment on the site: answering, results, re-takes and the company."""

import re

import pytest
from sqlalchemy import func, select

from app.assessment.instrument import parse
from app.assessment.models import Assessment, CompanyResult
from app.assessment.paging import paginate
from app.extensions import db
from tests.conftest import PASSWORD, REPO

INSTRUMENT_TEXT = (REPO / "courses/assessment.toml").read_text()
INSTRUMENT = parse(INSTRUMENT_TEXT)
PAGES = [page.id for page in paginate(INSTRUMENT)]


def page_of(question) -> str:
    """The id of the page that asks ``question``."""
    return next(page.id for page in paginate(INSTRUMENT) if question.id in page.question_ids)


def form_for(page: str, answer) -> dict:
    """The form data that answers every question of ``page`` with ``answer(question)``."""
    data = {}
    for question in INSTRUMENT.questions:
        if page_of(question) != page:
            continue
        name = "q_" + question.id.replace("-", "_")
        value = answer(question)
        if value is None:
            continue
        data[name] = value
    return data


def best(question):
    return {"yesno": "yes", "scale": "5", "number": "1"}.get(
        question.kind, list(question.option_ids)
    )


def worst(question):
    return {"yesno": "no", "scale": "0", "number": "100"}.get(question.kind, [])


def answer_all(client, answer) -> None:
    for page in PAGES:
        response = client.post(f"/assessment/page/{page}", data=form_for(page, answer))
        assert response.status_code == 302, response.get_data(as_text=True)[:500]


def submit(client) -> str:
    response = client.post("/assessment/submit")
    assert response.status_code == 302
    return response.location


def test_start_page_invites_anyone(client, instrument):
    page = client.get("/assessment/").get_data(as_text=True)
    assert "Đánh giá mức độ trưởng thành số" in page
    assert f'href="/assessment/page/{PAGES[0]}"' in page


def test_home_page_links_to_the_assessment(client, instrument):
    assert 'href="/assessment/"' in client.get("/").get_data(as_text=True)


def test_pages_show_progress_and_every_kind_of_question(client, instrument):
    page = client.get(f"/assessment/page/{PAGES[0]}").get_data(as_text=True)
    assert f"Trang 1/{len(PAGES)}" in page
    assert "Tôi không biết" in page
    assert page.count("<fieldset") == sum(page_of(q) == PAGES[0] for q in INSTRUMENT.questions)


def test_no_page_holds_more_than_eight_questions_and_a_long_dimension_comes_in_parts(
    client, instrument
):
    assert len(PAGES) == 9
    for n, page in enumerate(PAGES, start=1):
        html = client.get(f"/assessment/page/{page}").get_data(as_text=True)
        assert f"Trang {n}/9" in html and f'<progress max="9" value="{n}"' in html
        assert 1 <= html.count('<fieldset class="question') <= 8
    first = client.get("/assessment/page/customer-marketing").get_data(as_text=True)
    assert "<h1>Khách hàng và tiếp thị (1/2)</h1>" in first
    second = client.get("/assessment/page/customer-marketing-2").get_data(as_text=True)
    assert "<h1>Khách hàng và tiếp thị (2/2)</h1>" in second
    single = client.get("/assessment/page/automation").get_data(as_text=True)
    assert "<h1>Tự động hóa</h1>" in single
    assert client.get("/assessment/page/customer-marketing-3").status_code == 404
    assert client.get("/assessment/page/customer-marketing-1").status_code == 404


@pytest.mark.parametrize("signed_in", [True, False])
def test_answers_are_kept_across_the_parts_of_a_dimension_and_going_back(
    client, instrument, make_user, login, signed_in
):
    if signed_in:
        login(make_user())
    first, second = "customer-marketing", "customer-marketing-2"
    response = client.post(f"/assessment/page/{first}", data=form_for(first, best))
    assert response.status_code == 302 and response.location == f"/assessment/page/{second}"
    answers = form_for(second, worst) | {"action": "back"}
    response = client.post(f"/assessment/page/{second}", data=answers)
    assert response.status_code == 302 and response.location == f"/assessment/page/{first}"

    def ticks(data: dict) -> int:
        return sum(len(value) if isinstance(value, list) else 1 for value in data.values())

    again = client.get(f"/assessment/page/{first}").get_data(as_text=True)
    assert again.count("<input checked") == ticks(form_for(first, best))
    later = client.get(f"/assessment/page/{second}").get_data(as_text=True)
    assert later.count("<input checked") == ticks(form_for(second, worst))
    assert re.search(r'<input checked id="q_s6_one_to_one-0"[^>]*value="0">', later)
    review = client.get("/assessment/review").get_data(as_text=True)
    assert "Khách hàng và tiếp thị (1/2)</a></th><td>6 / 6</td>" in review
    assert "Khách hàng và tiếp thị (2/2)</a></th><td>6 / 6</td>" in review
    assert "Bán hàng và CRM (1/2)</a></th><td>0 / 5</td>" in review


def test_the_start_page_says_how_many_pages_there_are(client, instrument):
    client.set_cookie("locale", "en")
    page = client.get("/assessment/").get_data(as_text=True)
    assert "About 10 minutes, in 9 short pages" in page


def test_visitor_answers_are_kept_and_saved_to_the_account(client, app, instrument):
    answer_all(client, best)
    review = client.get("/assessment/review").get_data(as_text=True)
    assert "Đăng nhập hoặc tạo tài khoản" in review
    response = client.post(
        "/register",
        data={"name": "Lan", "email": "lan@example.vn", "password": PASSWORD,
              "confirm": PASSWORD, "company_choice": "new", "company_name": "Mộc Phát",
              "sector": "manufacturing", "size_band": "small", "province": "Huế"},
    )  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        draft = db.session.scalar(select(Assessment))
        assert draft.submitted_at is None
        assert len(draft.answers) == len(INSTRUMENT.questions)
    location = submit(client)
    result = client.get(location).get_data(as_text=True)
    assert "Bước 7: Cải tiến" in result


def test_answers_survive_leaving_and_coming_back(client, instrument, make_user, login):
    login(make_user())
    client.post(f"/assessment/page/{PAGES[0]}", data=form_for(PAGES[0], best))
    page = client.get(f"/assessment/page/{PAGES[0]}").get_data(as_text=True)
    assert re.search(r'<input checked id="q_[\w-]+" name="q_\w+" type="radio" value="yes">', page)
    assert "Tiếp tục bài đánh giá" in client.get("/assessment/").get_data(as_text=True)


def test_bad_number_is_reported_next_to_the_field_and_nothing_is_saved(
    client, app, instrument, make_user, login
):
    login(make_user())
    question = next(q for q in INSTRUMENT.questions if q.kind == "number")
    name = "q_" + question.id.replace("-", "_")
    for bad, message in [("nhiều", "Hãy nhập một số"), ("-5", "Hãy nhập một số từ")]:
        response = client.post(f"/assessment/page/{page_of(question)}", data={name: bad})
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert f'<p class="field-error" id="{name}-error">{message}' in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Assessment.id))) == 0


def test_a_number_in_error_is_marked_described_and_listed_in_the_summary_that_takes_focus(
    client, instrument, make_user, login
):
    login(make_user(locale="en"))
    client.set_cookie("locale", "en")
    question = INSTRUMENT.by_id["s3-online-revenue"]
    name = "q_s3_online_revenue"
    response = client.post(f"/assessment/page/{page_of(question)}", data={name: "lots"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    field = re.search(rf'<input [^>]*id="{name}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()
    assert f"{name}-error" in described and f"{name}-empty" in described
    message = "Enter a number, such as 12 or 2,5."
    assert f'<p class="field-error" id="{name}-error">{message}</p>' in html
    assert f'<fieldset class="question has-error" id="{name}-box">' in html
    # the summary names the question and its message, links to the field and has the focus
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert re.search(rf'<a href="#{name}">[^<]+: {re.escape(message)}</a>', summary)
    assert html.count("autofocus") == 1 and "autofocus" in summary


def test_an_answer_without_errors_has_no_error_marks(client, instrument):
    html = client.get("/assessment/page/sales-crm").get_data(as_text=True)
    assert "aria-invalid" not in html and "autofocus" not in html and "field-error" not in html
    assert 'aria-describedby="q_s3_online_revenue-hint q_s3_online_revenue-empty"' in html


CHANNELS = "q_s1_channels"


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_i_dont_know_cannot_be_ticked_with_an_answer(
    client, app, instrument, make_user, login, locale
):
    login(make_user(locale=locale))
    client.set_cookie("locale", locale)
    data = form_for("customer-marketing", best) | {CHANNELS: ["facebook", "unknown"]}
    response = client.post("/assessment/page/customer-marketing", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    box = re.search(rf'<fieldset class="question has-error" id="{CHANNELS}"[^>]*>', html)
    assert box and f'aria-describedby="{CHANNELS}-hint {CHANNELS}-error"' in box.group(0)
    message = re.search(rf'<p class="field-error" id="{CHANNELS}-error">([^<]+)</p>', html)
    assert message, "the message is next to the question"
    if locale == "en":
        expected = "Tick either “I don&#39;t know” or the answers that apply, not both."
        assert message.group(1) == expected
    assert f'<a href="#{CHANNELS}">' in html  # the summary links to the question's box
    # what was ticked is shown again, and nothing was saved
    assert re.search(rf'<input checked id="{CHANNELS}-1" name="{CHANNELS}" type="checkbox"', html)
    assert re.search(rf'<input checked id="{CHANNELS}-7" name="{CHANNELS}" type="checkbox"', html)
    with app.app_context():
        assert db.session.scalar(select(func.count(Assessment.id))) == 0


@pytest.mark.parametrize(
    ("ticked", "stored"),
    [
        (["unknown"], None),
        (["unknown", "unknown"], None),  # the same box sent twice is still one box
        (["facebook", "zalo-oa"], ["facebook", "zalo-oa"]),
        ([], []),  # none of them
    ],
)
def test_i_dont_know_alone_or_answers_alone_are_saved(
    client, app, instrument, make_user, login, ticked, stored
):
    login(make_user())
    data = form_for("customer-marketing", best) | {CHANNELS: ticked}
    if not ticked:
        del data[CHANNELS]
    response = client.post("/assessment/page/customer-marketing", data=data)
    assert response.status_code == 302
    with app.app_context():
        answers = db.session.scalar(select(Assessment)).answers
        assert answers.get("s1-channels") == stored


@pytest.mark.parametrize(
    "ticked", [["unknown", "no-such-tool"], ["unknown", ""], ["unknown", "unknown", "website"]]
)
def test_hostile_checklists_are_refused_without_an_error(
    client, instrument, make_user, login, ticked
):
    login(make_user())
    response = client.post("/assessment/page/customer-marketing", data={CHANNELS: ticked})
    assert response.status_code == 400
    assert f'id="{CHANNELS}-error"' in response.get_data(as_text=True)


def test_the_checklist_script_is_loaded_only_on_pages_with_a_checklist(client, instrument):
    with_checklist = client.get("/assessment/page/customer-marketing").get_data(as_text=True)
    assert '<script src="/static/assessment.js' in with_checklist
    assert '<ul class="choices" data-exclusive="unknown">' in with_checklist
    without = client.get("/assessment/page/customer-marketing-2").get_data(as_text=True)
    assert "assessment.js" not in without and "data-exclusive" not in without


def test_comma_decimal_is_accepted(client, app, instrument, make_user, login):
    login(make_user())
    question = next(q for q in INSTRUMENT.questions if q.kind == "number")
    name = "q_" + question.id.replace("-", "_")
    client.post(f"/assessment/page/{page_of(question)}", data={name: "2,5"})
    with app.app_context():
        assert db.session.scalar(select(Assessment)).answers[question.id] == 2.5


@pytest.mark.parametrize(
    ("locale", "typed", "stored"),
    [("vi", "1.200", 1200), ("vi", "1 200", 1200), ("en", "1,200", 1200), ("en", "1.200", 1.2)],
)
def test_thousands_are_read_the_way_the_learners_language_writes_them(
    client, app, instrument, make_user, login, locale, typed, stored
):
    login(make_user(locale=locale))
    question = INSTRUMENT.by_id["s3-customer-count"]
    name = "q_" + question.id.replace("-", "_")
    client.post(f"/assessment/page/{page_of(question)}", data={name: typed})
    with app.app_context():
        assert db.session.scalar(select(Assessment)).answers[question.id] == stored


def test_unknown_answers_count_as_gaps_not_as_no(client, instrument, make_user, login):
    login(make_user())
    answer_all(client, lambda q: "unknown" if q.kind in ("yesno", "scale") else None)
    result = client.get(submit(client)).get_data(as_text=True)
    assert "Chưa tới bước 1" in result
    assert "câu hỏi được trả lời “Tôi không biết”" in result


def test_result_page_shows_ladder_chart_table_crm_level_and_recommendations(
    client, instrument, make_user, login
):
    login(make_user())
    answer_all(client, worst)
    html = client.get(submit(client)).get_data(as_text=True)
    assert "Chưa tới bước 1" in html
    assert html.count('<li class="rung') == 7
    assert '<svg class="chart" role="img"' in html
    chart = re.findall(r'<svg class="chart".*?</svg>', html, re.S)[0]
    assert chart.count("<rect") == 12 and "<table" in html
    assert "Mức CRM 1/4" in html
    recommendations = re.findall(r'<ol class="recommendations">(.*?)</ol>', html, re.S)[0]
    links = re.findall(r'href="/modules/([\w-]+)"', recommendations)
    assert 3 <= len(links) <= 5 and links[0] == "step-1-start"
    assert "Bước 1 là bước tiếp theo của bạn, và đây là điều đang níu lại" in recommendations
    assert "Nếu đạt bước 1" in html


def test_retake_shows_what_moved(client, instrument, make_user, login):
    login(make_user())
    answer_all(client, worst)
    submit(client)
    answer_all(client, best)
    html = client.get(submit(client)).get_data(as_text=True)
    assert "Thứ hạng: bước 0 → bước 7." in html
    assert "Các điều kiện mới đạt:" in html


def test_retake_starts_from_the_last_answers(client, instrument, make_user, login):
    login(make_user())
    answer_all(client, best)
    submit(client)
    page = client.get(f"/assessment/page/{PAGES[0]}").get_data(as_text=True)
    assert 'type="radio" value="yes">' in page and "checked" in page


def test_result_belongs_to_its_owner(client, app, instrument, make_user, login):
    login(make_user())
    answer_all(client, best)
    location = submit(client)
    login(make_user())
    assert client.get(location).status_code == 403
    login(make_user(role="admin"))
    assert client.get(location).status_code == 200
    assert client.get("/assessment/results/999999").status_code == 404


def test_submit_needs_login(client, instrument):
    response = client.post("/assessment/submit")
    assert response.status_code == 302 and response.location.startswith("/login")


def staff_answers(client, login, user, answer):
    login(user)
    answer_all(client, answer)
    submit(client)


def test_company_view_combines_staff_and_lists_disagreements(
    client, app, instrument, make_user, make_company, login
):
    company = make_company()
    manager = make_user(company_id=company.id, is_company_manager=True)
    staff_answers(client, login, make_user(company_id=company.id), best)
    staff_answers(client, login, make_user(company_id=company.id), worst)
    staff_answers(client, login, manager, best)
    login(manager)
    html = client.get("/assessment/company").get_data(as_text=True)
    assert "Tổng hợp từ câu trả lời mới nhất của 3 nhân viên." in html
    assert "Nơi nhân viên chưa thống nhất" in html
    assert re.search(r"</span>Có: 2 người</li>\s*<li><span[^>]*></span>Không: 1 người", html)
    # and drawn: two of three said yes (the darkest part), one no
    bar = re.search(r'<svg class="spread".*?</svg>', html, re.S).group(0)
    assert re.search(r'width="200\.0" height="20" class="spread-4"', bar)
    assert re.search(r'width="100\.0" height="20" class="spread-0"', bar)
    with app.app_context():
        assert db.session.get(CompanyResult, company.id).respondents == 3
        assert db.session.get(CompanyResult, company.id).placement == 7


def test_company_view_is_for_its_manager_and_admins(
    client, instrument, make_user, make_company, login
):
    company = make_company()
    login(make_user(company_id=company.id))
    assert client.get("/assessment/company").status_code == 403
    login(make_user(is_company_manager=True))  # a manager of another company
    assert client.get(f"/assessment/company/{company.id}").status_code == 403
    login(make_user(role="admin"))
    assert client.get(f"/assessment/company/{company.id}").status_code == 200
    assert client.get("/assessment/company/999999").status_code == 404


def test_company_view_needs_login(client, instrument):
    assert client.get("/assessment/company").status_code == 302


def test_peers_are_shown_only_with_ten_companies(
    client, app, instrument, make_user, make_company, login
):
    manager_company = make_company(sector="food", size_band="micro")
    manager = make_user(company_id=manager_company.id, is_company_manager=True)
    staff_answers(client, login, manager, best)
    html = client.get("/assessment/company").get_data(as_text=True)
    assert "Chưa đủ 10 doanh nghiệp" in html
    with app.app_context():
        for n in range(9):
            company = make_company(sector="food", size_band="micro")
            db.session.add(
                CompanyResult(company_id=company.id, placement=n % 4, crm_level=1,
                              dimensions={}, respondents=1)
            )  # fmt: skip
        db.session.commit()
    html = client.get("/assessment/company").get_data(as_text=True)
    assert "Cách 10 doanh nghiệp cùng ngành và quy mô phân bố theo các bước." in html
    assert "(doanh nghiệp của bạn)" in html


def test_home_puts_recommended_modules_first_with_the_reason(
    client, instrument, real_course, make_user, login
):
    login(make_user())
    answer_all(client, worst)
    submit(client)
    html = client.get("/").get_data(as_text=True)
    assert "Đề xuất cho bạn" in html
    section = html[html.index("Đề xuất cho bạn") : html.index("Danh mục khóa học")]
    assert '<span class="badge badge-recommended">Đề xuất</span>' in section
    assert 'class="reason">' in section
    catalogue = html[html.index("Danh mục khóa học") :]
    assert 'class="reason">' not in catalogue  # the reasons once, in the recommendations


def test_cli_checks_imports_and_exports_the_assessment(runner, app, tmp_path):
    import shutil

    shutil.copytree(REPO / "courses", tmp_path / "courses")
    shutil.copytree(REPO / "quizzes", tmp_path / "quizzes")
    assert "the assessment" in runner.invoke(args=["content", "check", str(tmp_path)]).output
    assert "updated 1 assessment" in runner.invoke(args=["content", "import", str(tmp_path)]).output
    assert "Nothing changed." in runner.invoke(args=["content", "import", str(tmp_path)]).output
    out = tmp_path / "out"
    runner.invoke(args=["content", "export", str(out)])
    assert (out / "courses/assessment.toml").read_text() == INSTRUMENT_TEXT


def test_cli_reports_instrument_problems_with_their_line(runner, tmp_path):
    import shutil

    shutil.copytree(REPO / "courses", tmp_path / "courses")
    shutil.copytree(REPO / "quizzes", tmp_path / "quizzes")
    path = tmp_path / "courses/assessment.toml"
    path.write_text(INSTRUMENT_TEXT.replace('"step-1-start"', '"step-one"', 1))
    result = runner.invoke(args=["content", "check", str(tmp_path)])
    assert result.exit_code != 0
    assert re.search(r"courses/assessment.toml:\d+: .*step-one", result.output)
