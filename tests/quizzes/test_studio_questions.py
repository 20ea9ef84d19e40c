"""The studio's question editor: a question per kind edited in both languages, saved as a
new version that new attempts use while past attempts keep theirs, refused with a message
next to the field when it cannot be right, and never over another trainer's save."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.content.models import Module
from app.extensions import db
from app.quizzes import editing, gift
from app.quizzes.models import QuizAttempt, QuizQuestion
from app.quizzes.services import files
from app.quizzes.services.versions import list_versions
from app.quizzes.sources import read_quiz
from tests.quizzes.conftest import attempt_id_of


@pytest.fixture
def trainer(make_user, login):
    return login(make_user(role="trainer", name="Giảng viên Hà"))


def question_id(app, title: str) -> int:
    with app.app_context():
        return db.session.scalar(select(QuizQuestion.id).filter_by(title=title))


def module_id(app, slug: str = "basics") -> int:
    with app.app_context():
        return db.session.scalar(select(Module.id).filter_by(slug=slug))


def form_of(page: str) -> dict[str, str]:
    """The editor's fields as the page fills them (inputs, textareas, selected options)."""
    data = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>', page,
                                 re.S):  # fmt: skip
        data[name] = text
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', body) or re.search(
            r'<option value="([^"]*)"', body
        )
        data[name] = chosen.group(1) if chosen else ""
    import html

    return {k: html.unescape(v) for k, v in data.items() if k not in ("preview", "save")}


def review_of(client, attempt: int) -> str:
    """What the result page says of each question."""
    page = client.get(f"/attempts/{attempt}").get_data(as_text=True)
    return page.split('<ol class="review">')[1]


def save(client, url: str, data: dict, button: str = "save"):
    return client.post(url, data={**data, button: "1"})


def test_a_question_saved_unchanged_makes_no_new_version(app, client, course, trainer):
    for title in ("b1-centre", "b2-channels", "b3-word", "b4-records", "b5-ltv", "b6-tools",
                  "b7-reflect", "b0-intro"):  # fmt: skip
        qid = question_id(app, title)
        url = f"/studio/questions/{qid}"
        page = client.get(url).get_data(as_text=True)
        response = save(client, url, form_of(page))
        assert response.status_code == 302, (title, response.get_data(as_text=True)[-3000:])
        with app.app_context():
            assert [v.number for v in list_versions(qid)] == [1], title


def test_an_edit_is_a_new_version_that_new_attempts_use_and_past_ones_do_not(
    app, client, course, trainer, make_user, login, fill
):
    learner = make_user()
    login(learner)
    take = client.get("/modules/basics/quiz").get_data(as_text=True)
    old_attempt = attempt_id_of(take)
    client.post(f"/attempts/{old_attempt}", data={**fill(old_attempt), "submit": "1"})
    started = attempt_id_of(client.get("/modules/basics/quiz").get_data(as_text=True))
    answered_before_the_edit = fill(started)
    before = review_of(client, old_attempt)

    login(make_user(role="trainer"))
    qid = question_id(app, "b1-centre")
    url = f"/studio/questions/{qid}"
    data = form_of(client.get(url).get_data(as_text=True))
    # the right answer moves from the first answer to the second, in both languages
    data |= {"rows-0-weight": "0", "rows-1-weight": "100", "text_en": "Who leads it, now?",
             "message": "the vendor now"}  # fmt: skip
    response = save(client, url, data)
    assert response.status_code == 302
    with app.app_context():
        versions = list_versions(qid)
        assert [v.number for v in versions] == [2, 1]
        assert versions[0].message == "the vendor now" and versions[0].author_id is not None
        assert versions[1].author_id is None

    login(learner)
    after = review_of(client, old_attempt)
    assert "The customer" in after or "Khách hàng" in after
    assert after == before  # the review reads as it did: old text, old right answer
    # the attempt started before the edit is submitted after it: graded as it started
    response = client.post(f"/attempts/{started}",
                           data={**answered_before_the_edit, "submit": "1"})  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(QuizAttempt, started).score == 100
        assert db.session.get(QuizAttempt, old_attempt).score == 100
    page = client.get("/modules/basics/quiz").get_data(as_text=True)
    new_attempt = attempt_id_of(page)
    with app.app_context():
        layout = db.session.get(QuizAttempt, new_attempt).layout
        assert any(e.get("version") == versions[0].id for e in layout if e["id"] == qid)


def test_a_save_from_an_older_version_is_refused_with_the_newer_one_shown(
    app, client, course, trainer
):
    qid = question_id(app, "b3-word")
    url = f"/studio/questions/{qid}"
    data = form_of(client.get(url).get_data(as_text=True))
    assert save(client, url, {**data, "text_en": "First trainer's text ..."}).status_code == 302
    response = save(client, url, {**data, "text_en": "Second trainer's text ..."})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "First trainer&#39;s text" in page and "Second trainer&#39;s text" in page
    with app.app_context():
        assert [v.number for v in list_versions(qid)] == [2, 1]


@pytest.mark.parametrize(
    ("title", "change", "field"),
    [
        ("b1-centre", {"rows-1-weight": "100"}, None),  # two right answers
        ("b1-centre", {"rows-0-weight": "0"}, None),  # no right answer
        ("b1-centre", {"rows-2-text_en": ""}, "rows-2-text_vi"),  # one language only
        ("b1-centre", {"rows-0-weight": "abc"}, "rows-0-weight"),
        ("b2-channels", {"rows-0-weight": "20"}, None),  # weights add up to 70
        ("b5-ltv", {"rows-0-value": "many"}, "rows-0-value"),
        ("b5-ltv", {"rows-0-tolerance": "-1"}, "rows-0-tolerance"),
        ("b6-tools", {"rows-0-match_en": ""}, "rows-0-match_vi"),
        ("b3-word", {"text_vi": ""}, "text_vi"),
    ],
)
def test_a_question_that_cannot_be_right_is_refused_next_to_the_field(
    app, client, course, trainer, title, change, field
):
    qid = question_id(app, title)
    url = f"/studio/questions/{qid}"
    data = form_of(client.get(url).get_data(as_text=True))
    response = save(client, url, {**data, **change})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    if field:
        assert f'id="{field}-error"' in page
    else:
        assert 'role="alert"' in page
    with app.app_context():
        assert [v.number for v in list_versions(qid)] == [1]


def test_the_preview_shows_the_question_as_the_quiz_page_does(app, client, course, trainer):
    qid = question_id(app, "b1-centre")
    url = f"/studio/questions/{qid}"
    data = form_of(client.get(url).get_data(as_text=True))
    response = save(client, url, {**data, "text_vi": "Ai <b>dẫn dắt</b>?"}, button="preview")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<fieldset class="question"' in page and "<b>dẫn dắt</b>" in page
    with app.app_context():
        assert [v.number for v in list_versions(qid)] == [1]


@pytest.mark.parametrize("kind", ["single", "multi", "truefalse", "short", "numerical",
                                  "matching", "essay", "description"])  # fmt: skip
def test_a_new_question_of_each_kind_gets_a_unique_title_and_joins_the_pool(
    app, client, course, trainer, kind
):
    mid = module_id(app)
    url = f"/studio/modules/{mid}/questions/new?kind={kind}"
    page = client.get(url).get_data(as_text=True)
    assert client.get(f"/studio/modules/{mid}/questions").status_code == 200
    data = form_of(page) | {"text_vi": "Câu hỏi mới", "text_en": "A new question",
                            "lesson": "second"}  # fmt: skip
    rows = {
        "single": [("Có", "Yes", "100"), ("Không", "No", "0")],
        "multi": [("A", "A", "50"), ("B", "B", "50"), ("C", "C", "-100")],
        "short": [("khách hàng", "customer", "")],
        "matching": [("Zalo", "Zalo", ""), ("MISA", "MISA", "")],
    }.get(kind, [])
    for n, (vi, en, weight) in enumerate(rows):
        data |= {f"rows-{n}-text_vi": vi, f"rows-{n}-text_en": en, f"rows-{n}-weight": weight}
        if kind == "matching":
            data |= {f"rows-{n}-match_vi": vi + " chat", f"rows-{n}-match_en": en + " chat"}
    if kind == "numerical":
        data |= {"rows-0-value": "12", "rows-0-tolerance": "0,5"}
    response = save(client, url, data)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    with app.app_context():
        question = db.session.scalar(
            select(QuizQuestion).filter_by(module_id=mid, title=f"{kind}-9")
        )
        assert question is not None and question.lesson_slug == "second"
        texts = files.quiz_texts(mid)
        quiz, problems = read_quiz(texts, {"first", "second"})
        assert problems == [] and quiz.entries[-1].title == question.title
        # the questions before keep their lessons: the files read as the pool holds them
        lessons = {e.title: e.lesson for e in quiz.entries}
        assert lessons["b1-centre"] == "first" and lessons["b0-intro"] is None


def test_a_retired_question_leaves_the_pool_and_past_reviews_keep_it(
    app, client, course, trainer, make_user, login, fill
):
    learner = make_user()
    login(learner)
    attempt = attempt_id_of(client.get("/modules/basics/quiz").get_data(as_text=True))
    client.post(f"/attempts/{attempt}", data={**fill(attempt), "submit": "1"})
    before = review_of(client, attempt)
    login(make_user(role="trainer"))
    qid = question_id(app, "b1-centre")
    token = form_of(client.get(f"/studio/questions/{qid}").get_data(as_text=True))["csrf_token"]
    assert client.post(f"/studio/questions/{qid}/retire",
                       data={"csrf_token": token}).status_code == 302  # fmt: skip
    with app.app_context():
        texts = files.quiz_texts(module_id(app))
        assert "b1-centre" not in texts["en"]
        quiz, problems = read_quiz(texts, {"first", "second"})
        assert problems == []
        assert {e.title: e.lesson for e in quiz.entries}["b2-channels"] == "first"
    login(learner)
    assert review_of(client, attempt) == before
    # the files export and import back unchanged
    with app.app_context():
        again, _problems = read_quiz(texts, {"first", "second"})
        assert not files.apply_quiz(module_id(app), again).any


def test_a_new_question_of_an_unknown_kind_is_not_found(app, client, course, trainer):
    assert (
        client.get(f"/studio/modules/{module_id(app)}/questions/new?kind=cloze").status_code == 404
    )


LANGS = ("vi", "en")
words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=20).map(str.strip).filter(bool)  # fmt: skip


@st.composite
def questions(draw):
    """A question of any kind in both languages, as an editor could write it."""
    kind = draw(st.sampled_from(sorted(editing.EDITORS)))
    text = {lang: draw(words) for lang in LANGS}
    feedback = {lang: draw(st.just("") | words) for lang in LANGS}

    def answers_in(lang, shape):
        return tuple(gift.Answer(draw(words), f, draw(st.just("") | words)) for f in shape)

    shape: list[float] = []
    if kind == "single":
        shape = [1.0] + [0.0] * draw(st.integers(1, 4))
    elif kind == "multi":
        shape = [0.5, 0.5] + [-1.0] * draw(st.integers(0, 3))
    elif kind == "short":
        shape = [1.0] + [0.5] * draw(st.integers(0, 2))
    result = {}
    number = draw(st.integers(-(10**6), 10**6))
    tolerance = draw(st.sampled_from([0.0, 0.5, 2.0]))
    truth = draw(st.booleans())
    pairs = draw(st.integers(2, 4))
    matches = [[draw(words) for _ in range(pairs)] for _lang in LANGS]
    for i, lang in enumerate(LANGS):
        general = feedback[lang] if kind != "description" else ""
        if kind in ("single", "multi", "short"):
            answers = answers_in(lang, shape)
        elif kind == "numerical":
            answers = (gift.Answer(str(number), 1.0, draw(st.just("") | words),
                                   tolerance=tolerance),)  # fmt: skip
        elif kind == "truefalse":
            right, wrong = draw(st.just("") | words), draw(st.just("") | words)
            answers = (
                gift.Answer(gift.TRUE, 1.0 if truth else 0.0, right),
                gift.Answer(gift.FALSE, 0.0 if truth else 1.0, wrong),
            )
        elif kind == "matching":
            answers = tuple(gift.Answer(draw(words).replace("->", ""), 1.0, match=m)
                            for m in matches[i])  # fmt: skip
        else:
            answers = ()
        result[lang] = gift.Question("q-1", kind, text[lang], answers, general_feedback=general)
    return result


@settings(max_examples=150, deadline=None)
@given(questions())
def test_a_question_goes_through_the_editor_and_gift_unchanged(qs):
    assume_valid = all(not gift.validate(q) for q in qs.values())
    if not assume_valid:
        return
    kind = qs["vi"].kind
    built, problems = editing.build(kind, "q-1", "", editing.fields_of(qs), LANGS)
    assert problems == []
    assert built == qs
    for question in built.values():
        assert gift.parse(gift.dump([question])) == [question]
