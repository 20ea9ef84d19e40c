"""Question versions: every change makes one, an attempt keeps the versions it was started
with, and its grade and review stay as they were whatever is edited afterwards."""

import pytest
from sqlalchemy import func, select

from app.content.models import Module
from app.extensions import db
from app.quizzes.models import QuizAttemptItem, QuizQuestion, QuizQuestionVersion
from app.quizzes.pool import get_pool
from app.quizzes.services import analysis, attempts, files, results
from app.quizzes.services.versions import list_versions
from app.quizzes.sources import read_quiz
from tests.quizzes.test_quiz_services import pools_of, responses


@pytest.fixture
def basics(app_ctx, course):
    return db.session.scalar(select(Module).filter_by(slug="basics"))


OLD_RIGHT = "=The customer #Right\\: every change starts from the customer."
OLD_WRONG = (
    "~The software vendor #Not quite\\: the vendor sells tools; it does not decide what to change."
)
NEW_RIGHT = "=The software vendor #Now right."
NEW_WRONG = "~The customer #Now wrong."


def edit_files(module: Module, *replacements: tuple[str, str]) -> files.QuizChanges:
    """Change the module's quiz as an upload in the browser would."""
    texts = files.quiz_texts(module.id)
    for old, new in replacements:
        texts = {lang: text.replace(old, new) for lang, text in texts.items()}
    quiz, problems = read_quiz(texts, {lesson.slug for lesson in module.lessons})
    assert quiz is not None, problems
    changes = files.apply_quiz(module.id, quiz, None)
    db.session.commit()
    return changes


def swap_the_right_answer(module: Module) -> files.QuizChanges:
    texts = files.quiz_texts(module.id)
    assert OLD_RIGHT in texts["en"]
    vi = texts["vi"].split("::b1-centre::")[1].split("\n")[1:3]
    return edit_files(
        module,
        (OLD_RIGHT, NEW_WRONG),
        (OLD_WRONG, NEW_RIGHT),
        (vi[0], "~" + vi[0][1:]),
        (vi[1], "=" + vi[1][1:]),
    )


def question(title: str) -> QuizQuestion:
    return db.session.scalar(select(QuizQuestion).filter_by(title=title))


def test_every_question_starts_at_version_1_and_a_second_import_makes_none(basics):
    count = select(func.count(QuizQuestionVersion.id))
    questions = db.session.scalar(select(func.count(QuizQuestion.id)))
    assert db.session.scalar(count) == questions
    assert {q.version for q in db.session.scalars(select(QuizQuestion))} == {1}
    assert not edit_files(basics).any
    assert db.session.scalar(count) == questions


def test_a_change_makes_a_new_version_with_the_old_one_kept(basics):
    changes = swap_the_right_answer(basics)
    assert changes.changed == ["b1-centre"]
    versions = list_versions(question("b1-centre").id)
    assert [v.number for v in versions] == [2, 1]
    assert question("b1-centre").version == 2
    assert NEW_RIGHT.removeprefix("=").split(" #")[0] in versions[0].texts["en"].source
    assert OLD_RIGHT in versions[1].texts["en"].source
    assert versions[0].author_id is None


def test_an_edit_leaves_a_past_attempt_its_marks_and_its_review(app, basics, make_user):
    user = make_user()
    with app.test_request_context():
        attempt = attempts.start_or_resume(user.id, get_pool(basics.id, "vi"))
        db.session.commit()
        assert attempts.submit_attempt(attempt, responses(app, attempt, True), pools_of("basics"))
        db.session.commit()
        before = (attempt.score, attempt.passed)
        marks = {i.question_id: (i.score, i.matched) for i in attempt.items}
        review_before = results.review(attempt, get_pool(basics.id, "en"))
    swap_the_right_answer(basics)
    db.session.expire_all()
    with app.test_request_context():
        assert (attempt.score, attempt.passed) == before
        assert {i.question_id: (i.score, i.matched) for i in attempt.items} == marks
        review = results.review(attempt, get_pool(basics.id, "en"))
        assert [(r.score, r.matched, r.right, r.outcome) for r in review] == [
            (r.score, r.matched, r.right, r.outcome) for r in review_before
        ]
        centre = next(r for r in review if r.question and r.question.title == "b1-centre")
        assert centre.question.answers_html[centre.right[0]].startswith("The customer")
        assert centre.outcome == "right"


def test_an_attempt_started_before_an_edit_is_shown_and_graded_as_it_started(
    app, basics, make_user
):
    user = make_user()
    with app.test_request_context():
        attempt = attempts.start_or_resume(user.id, get_pool(basics.id, "vi"))
        db.session.commit()
        right = responses(app, attempt, True)
    swap_the_right_answer(basics)
    with app.test_request_context():
        assert attempts.submit_attempt(attempt, right, pools_of("basics"))
        db.session.commit()
    db.session.expire_all()
    assert attempt.score == 100
    centre = question("b1-centre")
    item = db.session.scalar(select(QuizAttemptItem).filter_by(question_id=centre.id))
    assert item.version_id == list_versions(centre.id)[-1].id


def test_a_new_attempt_uses_the_new_version(app, basics, make_user):
    swap_the_right_answer(basics)
    user = make_user()
    with app.test_request_context():
        pool = get_pool(basics.id, "vi")
        attempt = attempts.start_or_resume(user.id, pool)
        db.session.commit()
        centre = question("b1-centre")
        entry = next(e for e in attempt.layout if e["id"] == centre.id)
        assert entry["version"] == list_versions(centre.id)[0].id
        assert attempts.submit_attempt(attempt, responses(app, attempt, True), pools_of("basics"))
        db.session.commit()
    assert attempt.score == 100


def test_item_analysis_says_how_many_versions_its_marks_mix(app, basics, make_user):
    with app.test_request_context():
        for _n in range(2):
            attempt = attempts.start_or_resume(make_user().id, get_pool(basics.id, "vi"))
            db.session.commit()
            attempts.submit_attempt(attempt, responses(app, attempt, True), pools_of("basics"))
            db.session.commit()
            if _n == 0:
                swap_the_right_answer(basics)
        _count, reports = analysis.item_analysis(get_pool(basics.id, "vi"))
    by_title = {r.question.title: r for r in reports}
    assert by_title["b1-centre"].versions == 2
    assert by_title["b2-channels"].versions == 1


def test_reviewing_old_versions_takes_one_query(app, basics, make_user, count_queries):
    user = make_user()
    with app.test_request_context():
        attempt = attempts.start_or_resume(user.id, get_pool(basics.id, "vi"))
        db.session.commit()
        attempts.submit_attempt(attempt, responses(app, attempt, True), pools_of("basics"))
        db.session.commit()
    edit_files(basics, ("Right\\:", "Yes\\:"), ("Đúng\\:", "Vâng\\:"))
    with app.test_request_context():
        pool = get_pool(basics.id, "en")
        attempt.items  # noqa: B018 - loaded before counting
        count_queries.clear()
        review = results.review(attempt, pool)
        assert len(count_queries) == 1
        assert all(r.question is not None for r in review)
