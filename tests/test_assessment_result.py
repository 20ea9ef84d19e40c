"""The result page explains itself: the ladder drawn with the company's step marked, one
sentence naming the missing condition, the dimension chart with its scale, a button to
the first recommended module, and after a re-take, which answers moved and which
completed modules teach them. In English (cookie ``locale``), since these strings are
new."""

import re
from datetime import UTC, datetime, timedelta

from markupsafe import escape
from sqlalchemy import select, update

from app.assessment.explain import answer_labels
from app.assessment.models import Assessment
from app.content.models import Module
from app.extensions import db
from app.learn.models import ModuleRecord
from tests.test_assessment_web import INSTRUMENT, answer_all, best, submit, worst


def ladder_of(html: str) -> str:
    return re.findall(r'<svg class="ladder-chart".*?</svg>', html, re.S)[0]


def english_result(client, answer) -> str:
    client.set_cookie("locale", "en")
    answer_all(client, answer)
    return client.get(submit(client)).get_data(as_text=True)


def first_gate(step: int):
    return next(q for q in INSTRUMENT.questions if q.step == step and q.gate)


def test_the_ladder_is_drawn_with_step_0_below_the_first_rung(client, instrument, make_user, login):
    login(make_user())
    ladder = ladder_of(english_result(client, worst))
    assert 'role="img" aria-labelledby="ladder-title"' in ladder
    assert '<title id="ladder-title">Step 0 of 7: not yet on the ladder</title>' in ladder
    for step in INSTRUMENT.steps:
        assert f">{escape(step.texts['en'].name)}</text>" in ladder
    assert ladder.count("You are here") == 1
    assert ladder.index("Step 0: not yet on the ladder") < ladder.index("You are here")
    assert ladder.count("Not met yet") == 7


def test_the_ladder_marks_the_step_and_the_islands_above_it(client, instrument, make_user, login):
    login(make_user())
    gate = first_gate(3)
    html = english_result(client, lambda q: worst(q) if q.id == gate.id else best(q))
    ladder = ladder_of(html)
    name = INSTRUMENT.steps[1].texts["en"].name
    title = f"Step 2 of 7: {escape(name)} Islands, met above your step: 4, 5, 6, 7."
    assert f'<title id="ladder-title">{title}</title>' in ladder
    assert ladder.count("Island: met above your step") == 4
    assert ladder.count(">Met</text>") == 1  # step 1; step 2 is where the company is
    here = ladder.index("You are here")
    assert ladder.rindex(escape(name), 0, here) > ladder.rindex("Not met yet", 0, here)


def test_one_sentence_names_the_missing_gate_and_the_answer_given(
    client, instrument, make_user, login
):
    login(make_user())
    gate = first_gate(3)
    html = english_result(client, lambda q: worst(q) if q.id == gate.id else best(q))
    (answer,) = answer_labels(INSTRUMENT, gate, worst(gate), "en") or ("nothing ticked",)
    text = escape(gate.text("en").text)
    assert (
        f"You are at step 2 because a condition of step 3 is not met yet: “{text}” "
        f"(your answer: {escape(answer)})." in html
    )


def test_the_sentence_lists_several_missing_gates_at_step_0(client, instrument, make_user, login):
    login(make_user())
    html = english_result(client, worst)
    gates = [q for q in INSTRUMENT.questions if q.step == 1 and q.gate]
    assert f"You are at step 0 because {len(gates)} conditions of step 1 are not met yet:" in html
    items = re.findall(r'<ul class="why-gates">(.*?)</ul>', html, re.S)[0]
    assert items.count("<li>") == len(gates)
    assert "(your answer:" in items
    assert "a high score can sit beside a low step" in html


def test_at_the_top_the_sentence_says_every_condition_is_met(client, instrument, make_user, login):
    login(make_user())
    html = english_result(client, best)
    assert "You are at the top of the ladder: every step" in html
    assert '<title id="ladder-title">Step 7 of 7:' in html


def test_the_dimension_chart_has_its_scale_and_its_numbers(client, instrument, make_user, login):
    login(make_user())
    html = english_result(client, worst)
    chart = re.findall(r'<svg class="chart".*?</svg>', html, re.S)[0]
    ticks = re.findall(r'class="chart-tick"[^>]*>(\d+)</text>', chart)
    assert ticks == ["0", "25", "50", "75", "100"]
    assert "Score, from 0 to 100" in chart
    assert chart.count('class="chart-value">') == len(INSTRUMENT.dimensions)


def test_the_primary_button_opens_the_first_recommended_module(
    client, instrument, make_user, login
):
    login(make_user())
    html = english_result(client, worst)
    button = re.findall(r'<a class="button primary" href="/modules/([\w-]+)">([^<]*)</a>', html)
    recommendations = re.findall(r'<ol class="recommendations">(.*?)</ol>', html, re.S)[0]
    first = re.findall(r'href="/modules/([\w-]+)"', recommendations)[0]
    assert button and button[0][0] == first
    assert button[0][1].startswith("Start with the first recommended module: ")


def test_retake_lists_the_answers_that_moved_and_the_modules_completed_in_between(
    client, app, instrument, real_course, make_user, login
):
    user = login(make_user())
    # A question taught by two modules: one completed between the assessments, one
    # before the first (it cannot have moved an answer since).
    question = next(q for q in INSTRUMENT.questions if len(q.modules) > 1)
    taught, before = question.modules[:2]
    client.set_cookie("locale", "en")
    answer_all(client, worst)
    submit(client)
    now = datetime.now(UTC)
    with app.app_context():
        db.session.execute(update(Assessment).values(submitted_at=now - timedelta(hours=2)))
        ids = dict(db.session.execute(select(Module.slug, Module.id)).all())
        for slug, hours in ((taught, 1), (before, 3)):
            completed_at = now - timedelta(hours=hours)
            db.session.add(
                ModuleRecord(user_id=user.id, module_id=ids[slug], completed_at=completed_at)
            )
        db.session.commit()
    answer_all(client, lambda q: best(q) if q.id == question.id else worst(q))
    html = client.get(submit(client)).get_data(as_text=True)
    moved = re.findall(r'<ul class="moved">(.*?)</ul>', html, re.S)[0]
    assert "1 answer moved" in html
    assert moved.count("<li") == 1
    assert escape(question.text("en").text) in moved
    (was,) = answer_labels(INSTRUMENT, question, worst(question), "en") or ("nothing ticked",)
    now_given = ", ".join(answer_labels(INSTRUMENT, question, best(question), "en"))
    assert f"{escape(was)} → {escape(now_given)}" in moved and "(higher)" in moved
    assert "Taught in modules you completed since then:" in moved
    assert f'href="/modules/{taught}"' in moved
    assert f'href="/modules/{before}"' not in moved


def test_retake_with_the_same_answers_moves_nothing(client, instrument, make_user, login):
    login(make_user())
    client.set_cookie("locale", "en")
    answer_all(client, best)
    submit(client)
    answer_all(client, best)
    html = client.get(submit(client)).get_data(as_text=True)
    assert "No answer changed since then." in html
    assert '<ul class="moved">' not in html


def test_company_view_draws_the_ladder_and_says_why(
    client, instrument, make_user, make_company, login
):
    company = make_company()
    manager = login(make_user(company_id=company.id, is_company_manager=True))
    answer_all(client, worst)
    submit(client)
    login(manager)
    client.set_cookie("locale", "en")
    html = client.get("/assessment/company").get_data(as_text=True)
    ladder = ladder_of(html)
    assert '<title id="company-ladder-title">Step 0 of 7: not yet on the ladder</title>' in ladder
    assert "You are at step 0 because" in html
    assert "(combined answer:" in html and "(your answer:" not in html


def test_each_recommended_module_says_how_long_it_takes(
    client, instrument, real_course, make_user, login
):
    login(make_user())
    html = english_result(client, worst)
    recommendations = re.findall(r'<ol class="recommendations">(.*?)</ol>', html, re.S)[0]
    minutes = {module.slug: module.minutes for module in real_course}
    shown = re.findall(
        r'href="/modules/([\w-]+)">[^<]*</a> <span class="meta">· (\d+) minutes', recommendations
    )
    assert shown and all(int(n) == minutes[slug] for slug, n in shown)
