"""Helpers for the quiz tests: a learner signed in, and filled quiz forms that answer
every question right or wrong."""

import re

import pytest

from app.extensions import db
from app.quizzes.models import QuizAttempt
from app.quizzes.pool import get_pool


@pytest.fixture
def learner(make_user, login):
    return login(make_user())


def attempt_id_of(page: str) -> int:
    return int(re.search(r'action="/attempts/(\d+)"', page).group(1))


def answers(app, attempt_id: int, right: bool = True, locale: str = "vi") -> dict:
    """Form data answering every question of the attempt right (or wrong), the way a
    learner would fill the page: values are positions in the order shown."""

    with app.test_request_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        pool = get_pool(attempt.module_id, locale)
        data: dict = {}
        for entry in attempt.layout:
            q = pool.by_id[entry["id"]]
            answers_ = q.question.answers
            name = f"q{q.id}"
            order = entry["order"]
            if q.kind == "single":
                want = [i for i in order if (answers_[i].fraction == 1.0) == right]
                data[name] = str(order.index(want[0]))
            elif q.kind == "multi":
                want = [i for i in order if (answers_[i].fraction > 0) == right]
                data[name] = [str(order.index(i)) for i in want]
            elif q.kind == "truefalse":
                data[name] = "true" if (answers_[0].fraction == 1.0) == right else "false"
            elif q.kind in ("short", "numerical"):
                data[name] = answers_[0].text if right else "999999"
            elif q.kind == "matching":
                for n, item in enumerate(order):
                    matches = [answers_[c].match for c in entry["choices"]]
                    good = matches.index(answers_[item].match)
                    data[f"{name}-{n}"] = str(good if right else (good + 1) % len(matches))
            elif q.kind == "essay":
                data[name] = "Chúng tôi sẽ dùng dữ liệu bán hàng để chọn giờ mở cửa."
        return data


@pytest.fixture
def fill(app):
    def do(attempt_id: int, right: bool = True, locale: str = "vi") -> dict:
        return answers(app, attempt_id, right, locale)

    return do


@pytest.fixture
def q(app, course) -> dict[str, str]:
    """The form field name of each question of the fixture module 'basics', by title."""
    from sqlalchemy import select

    from app.content.models import Module
    from app.quizzes.models import QuizQuestion

    with app.app_context():
        rows = db.session.execute(
            select(QuizQuestion.title, QuizQuestion.id)
            .join(Module, Module.id == QuizQuestion.module_id)
            .where(Module.slug == "basics")
        )
        return {title: f"q{question_id}" for title, question_id in rows}
