"""Quiz services: the pool from files, drawing and resuming attempts, saving, grading
once, the attempt limit, the pass mark, completion, results and item analysis."""

import importlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, text
from werkzeug.datastructures import MultiDict

from app.cache import bump_version
from app.content.catalogue import get_catalogue
from app.content.models import Module
from app.extensions import db
from app.learn import services as learn_services
from app.learn.models import ModuleRecord
from app.learn.services import ModuleStatus, Progress
from app.quizzes.forms import read_responses
from app.quizzes.grading import Grade, percent
from app.quizzes.models import QuizAttempt, QuizAttemptItem, QuizQuestion
from app.quizzes.pool import get_pool, quiz_sizes
from app.quizzes.services import analysis, attempts, results
from tests.quizzes.conftest import answers

FILL = importlib.import_module("migrations.versions.0016_module_records").FILL


@pytest.fixture
def basics(app_ctx, course):
    return db.session.scalar(select(Module).filter_by(slug="basics"))


def pool_of(slug: str, locale: str = "vi"):
    module = db.session.scalar(select(Module).filter_by(slug=slug))
    return get_pool(module.id, locale)


def pools_of(slug: str):
    return [pool_of(slug, "vi"), pool_of(slug, "en")]


def responses(app, attempt, right=True):
    pool = pool_of_id(attempt.module_id)
    data = answers(app, attempt.id, right)
    found, errors = read_responses(MultiDict(_flat(data)), attempt.layout, pool.by_id)
    assert errors == {}
    return found


def pool_of_id(module_id):
    return get_pool(module_id, "vi")


def _flat(data):
    return [
        (k, v)
        for k, values in data.items()
        for v in (values if isinstance(values, list) else [values])
    ]


def set_quiz(slug, **settings):
    module = db.session.scalar(select(Module).filter_by(slug=slug))
    for key, value in settings.items():
        setattr(module, key, value)
    bump_version()
    db.session.commit()


def take(app, user, slug="basics", right=True):
    pool = pool_of(slug)
    attempt = attempts.start_or_resume(user.id, pool)
    db.session.commit()
    assert attempts.submit_attempt(attempt, responses(app, attempt, right), pools_of(slug))
    db.session.commit()
    return attempt


def test_the_pool_comes_from_the_files_with_each_question_mapped_to_its_lesson(basics):
    rows = db.session.execute(
        select(QuizQuestion.title, QuizQuestion.kind, QuizQuestion.lesson_slug)
        .where(QuizQuestion.module_id == basics.id)
        .order_by(QuizQuestion.position)
    ).all()
    assert [tuple(row) for row in rows] == [
        ("b0-intro", "description", None),
        ("b1-centre", "single", "first"),
        ("b2-channels", "multi", "first"),
        ("b3-word", "short", "first"),
        ("b4-records", "truefalse", "second"),
        ("b5-ltv", "numerical", "second"),
        ("b6-tools", "matching", "second"),
        ("b7-reflect", "essay", "second"),
    ]
    assert quiz_sizes() == {basics.id: 7, basics.id + 1: 3}


def test_pool_texts_are_rendered_safe_in_each_language(basics):
    vi, en = pool_of("basics", "vi"), pool_of("basics", "en")
    assert vi.questions[1].text_html == "Ai là trung tâm của chuyển đổi số?"
    assert en.questions[1].text_html == "Who is at the centre of digital transformation?"
    assert vi.questions[1].feedback_html[0] == "Đúng: mọi thay đổi bắt đầu từ khách hàng."


def test_an_attempt_draws_the_configured_number_of_questions(app, basics, make_user):
    set_quiz("basics", quiz_questions=3)
    attempt = attempts.start_or_resume(make_user().id, pool_of("basics"))
    pool = pool_of("basics")
    kinds = [pool.by_id[e["id"]].kind for e in attempt.layout]
    assert len(kinds) == 4 and kinds[0] == "description"  # descriptions are always shown
    assert pool.per_attempt == 3


def test_zero_questions_means_the_whole_pool(basics, make_user):
    set_quiz("basics", quiz_questions=0)
    attempt = attempts.start_or_resume(make_user().id, pool_of("basics"))
    assert len(attempt.layout) == 8


def test_an_unfinished_attempt_is_resumed_with_the_same_questions_and_order(basics, make_user):
    set_quiz("basics", quiz_questions=4)
    user = make_user()
    first = attempts.start_or_resume(user.id, pool_of("basics"))
    db.session.commit()
    again = attempts.start_or_resume(user.id, pool_of("basics"))
    assert again.id == first.id and again.layout == first.layout and again.number == 1


def test_the_layout_depends_on_the_seed_alone(basics):
    pool = pool_of("basics")
    assert attempts.layout_for(pool, 42) == attempts.layout_for(pool, 42)
    orders = {tuple(attempts.layout_for(pool, seed)[1]["order"]) for seed in range(30)}
    assert len(orders) > 1  # the answers are shuffled


def test_without_shuffling_answers_keep_their_file_order_but_matches_do_not(basics):
    set_quiz("basics", quiz_shuffle=False)
    pool = pool_of("basics")
    layouts = [attempts.layout_for(pool, seed) for seed in range(20)]
    assert {tuple(layout[1]["order"]) for layout in layouts} == {(0, 1, 2)}
    assert len({tuple(layout[6]["choices"]) for layout in layouts}) > 1


def test_saved_answers_are_kept_on_the_attempt(app, basics, make_user):
    attempt = attempts.start_or_resume(make_user().id, pool_of("basics"))
    db.session.commit()
    attempts.save_responses(attempt, {"2": 0})
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(QuizAttempt, attempt.id)
    assert stored.responses == {"2": 0} and stored.saved_at is not None
    assert stored.submitted_at is None


def test_an_attempt_is_graded_once_even_when_submitted_twice(app, basics, make_user):
    user = make_user()
    attempt = take(app, user, right=True)
    assert attempt.score == 100.0 and attempt.passed
    stale = QuizAttempt(id=attempt.id, layout=attempt.layout, responses={})  # a second tab
    assert not attempts.submit_attempt(stale, {}, pools_of("basics"))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).score == 100.0
    items = db.session.scalar(select(func.count()).select_from(QuizAttemptItem))
    assert items == 7  # every question but the description, once


def test_saving_after_submission_changes_nothing(app, basics, make_user):
    attempt = take(app, make_user())
    with pytest.raises(attempts.AlreadySubmitted):
        attempts.save_responses(attempt, {})


def test_score_is_the_mean_of_graded_questions_and_essays_do_not_count(app, basics, make_user):
    attempt = take(app, make_user(), right=False)
    assert attempt.score == 0.0 and attempt.passed is False
    items = db.session.scalars(select(QuizAttemptItem).filter_by(attempt_id=attempt.id)).all()
    essay = next(item for item in items if not item.graded)
    assert essay.response.startswith("Chúng tôi")


def test_pass_mark_is_enforced(app, basics, make_user):
    user = make_user()
    pool = pool_of("basics")
    attempt = attempts.start_or_resume(user.id, pool)
    found = responses(app, attempt)
    found.pop(str(pool.questions[2].id))  # leave the multiple-response question out: 5 of 6
    attempts.submit_attempt(attempt, found, pools_of("basics"))
    assert round(attempt.score, 2) == 83.33 and attempt.passed
    set_quiz("basics", pass_mark=90)
    second = attempts.start_or_resume(user.id, pool_of("basics"))
    attempts.submit_attempt(second, found, pools_of("basics"))
    assert round(second.score, 2) == 83.33 and not second.passed


def test_the_attempt_limit_is_enforced(app, basics, make_user):
    set_quiz("basics", quiz_attempts=2)
    user = make_user()
    take(app, user, right=False)
    second = take(app, user, right=False)
    assert second.number == 2
    with pytest.raises(attempts.AttemptsExhausted):
        attempts.start_or_resume(user.id, pool_of("basics"))
    assert results.attempts_left(pool_of("basics"), 2) == 0


def test_a_module_without_questions_has_no_quiz(app_ctx, course, make_user):
    db.session.execute(QuizQuestion.__table__.delete())
    bump_version()
    db.session.commit()
    with pytest.raises(attempts.NoQuiz):
        attempts.start_or_resume(make_user().id, pool_of("basics"))


def test_a_short_answer_typed_in_either_language_is_right(app, basics, make_user):
    pool = pool_of("basics")
    attempt = attempts.start_or_resume(make_user().id, pool)
    word = pool.questions[3]
    assert word.kind == "short"
    attempts.submit_attempt(attempt, {str(word.id): "Customer"}, pools_of("basics"))
    item = db.session.scalar(select(QuizAttemptItem).filter_by(question_id=word.id))
    assert item.score == 1.0


def test_results_and_completion(app, basics, make_user):
    user = make_user()
    nxt = pool_of("next")
    take(app, user, right=False)
    take(app, user, right=True)
    found = results.list_results(user.id)
    assert found[basics.id] == results.QuizResult(attempts=2, best=100.0, passed=True)
    assert nxt.module_id not in found
    passed, read, half = found[basics.id], Progress(2, 2), Progress(1, 2)
    assert not ModuleStatus(half, True, passed).completed  # the lessons are not all read
    assert not ModuleStatus(read, True, None).completed  # the quiz is not passed
    assert ModuleStatus(read, True, passed).completed
    assert ModuleStatus(read, False, None).completed  # no quiz to pass
    summary = results.get_summary(user.id, basics.id)
    assert (summary.used, summary.best, summary.passed, summary.unfinished) == (
        2,
        100.0,
        True,
        None,
    )


def test_review_maps_missed_questions_to_their_lessons(app, basics, make_user):
    attempt = take(app, make_user(), right=False)
    items = results.review(attempt, pool_of("basics"))
    assert [item.outcome for item in items] == [
        "none", "wrong", "wrong", "wrong", "wrong", "wrong", "wrong", "ungraded",
    ]  # fmt: skip
    assert results.lessons_to_review(items) == ["first", "second"]
    right = take(app, make_user(), right=True)
    assert results.lessons_to_review(results.review(right, pool_of("basics"))) == []


def test_unmapped_questions_send_the_learner_to_the_module(app, app_ctx, course, make_user):
    attempt = take(app, make_user(), slug="next", right=False)
    assert results.lessons_to_review(results.review(attempt, pool_of("next"))) == [None]


def test_item_analysis_reads_first_attempts_only(app, basics, make_user):
    strong, weak = make_user(), make_user()
    take(app, strong, right=True)
    take(app, weak, right=False)
    take(app, weak, right=True)  # a second attempt: not counted
    attempts, reports = analysis.item_analysis(pool_of("basics"))
    assert attempts == 2
    centre = next(r for r in reports if r.question.title == "b1-centre")
    assert centre.stats.facility == 50.0 and centre.stats.discrimination == 100.0
    assert sum(count for _index, count in centre.counts) == 2
    # every answer is listed, the one nobody chose too
    assert [index for index, _count in centre.counts] == [0, 1, 2]
    assert [count for _index, count in centre.counts].count(0) == 1
    assert all(r.question.kind != "essay" for r in reports)


def test_essays_are_listed_for_reading(app, basics, make_user):
    user = make_user()
    take(app, user)
    take(app, make_user(), right=False)
    items = db.session.scalars(analysis.list_essays(basics.id)).all()
    assert len(items) == 2 and user.name in {item.attempt.user.name for item in items}


def test_a_question_removed_since_is_left_out_of_grading(app, basics, make_user):
    pool = pool_of("basics")
    attempt = attempts.start_or_resume(make_user().id, pool)
    db.session.commit()
    found = responses(app, attempt)
    db.session.delete(db.session.get(QuizQuestion, pool.questions[1].id))
    bump_version()
    db.session.commit()
    assert attempts.submit_attempt(attempt, found, pools_of("basics"))
    assert attempt.score == 100.0
    review = results.review(attempt, pool_of("basics"))
    assert review[1].question is None


@given(st.lists(st.tuples(st.floats(0, 1), st.booleans()), max_size=20))
def test_percent_is_between_0_and_100_and_ignores_ungraded(marks):
    grades = [Grade(score, graded=graded) for score, graded in marks]
    value = percent(grades)
    assert 0 <= value <= 100
    graded = [score for score, is_graded in marks if is_graded]
    if graded:
        assert value == pytest.approx(100 * sum(graded) / len(graded), abs=1e-5)
    else:
        assert value == 100.0


def test_a_module_counts_as_completed_once_its_quiz_is_passed(app, basics, make_user):
    user = make_user()
    catalogue = get_catalogue("vi")
    for lesson in catalogue.by_slug["basics"].lessons:
        learn_services.complete_lesson(user, lesson.id)
    db.session.commit()

    def completed() -> set[str]:
        progress = learn_services.list_progress(user)
        statuses = learn_services.module_statuses(user, catalogue, progress)
        return learn_services.completed_modules(catalogue, statuses)

    assert completed() == set()
    take(app, user, right=False)
    assert completed() == set()
    take(app, user, right=True)
    assert completed() == {"basics"}


def records(user_id=None) -> list[tuple]:
    rows = db.session.execute(
        select(ModuleRecord.user_id, ModuleRecord.module_id, ModuleRecord.started_at,
               ModuleRecord.completed_at, ModuleRecord.attempted, ModuleRecord.passed,
               ModuleRecord.last_active_at)
        .order_by(ModuleRecord.user_id, ModuleRecord.module_id)
    )  # fmt: skip
    return [tuple(row) for row in rows if user_id is None or row.user_id == user_id]


def test_the_reports_record_of_a_module_follows_reading_and_quizzes(app, basics, make_user):
    user = make_user()
    module = get_catalogue("vi").by_slug["basics"]
    first, *others = module.lessons
    learn_services.open_lesson(user, first.id)
    db.session.commit()
    ((_u, _m, started, completed, attempted, passed, _at),) = records(user.id)
    assert started is not None and (completed, attempted, passed) == (None, False, False)
    for lesson in module.lessons:
        learn_services.complete_lesson(user, lesson.id)
    db.session.commit()
    assert records(user.id)[0][3:6] == (None, False, False)  # the quiz is still to pass
    take(app, user, right=False)
    assert records(user.id)[0][3:6] == (None, True, False)
    take(app, user, right=True)
    ((_u, _m, started_again, completed, attempted, passed, at),) = records(user.id)
    assert started_again == started and completed is not None and attempted and passed
    assert at >= completed  # the quiz passed last


def test_counting_every_record_again_finds_what_was_kept_as_it_went(app, basics, make_user):
    """The records kept at each save, those counted again after a course change, and
    those the migration fills an existing database with, agree."""
    reader, passer = make_user(), make_user()
    module = get_catalogue("vi").by_slug["basics"]
    learn_services.complete_lesson(reader, module.lessons[0].id)
    for lesson in module.lessons:
        learn_services.complete_lesson(passer, lesson.id)
    db.session.commit()
    take(app, passer, right=True)
    kept = records()
    assert len(kept) == 2
    learn_services.refresh_records(get_catalogue("vi"))
    assert records() == kept
    db.session.execute(delete(ModuleRecord))
    db.session.execute(text(FILL))
    assert records() == kept
    # the course changes: the module loses its quiz, and reading alone completes it
    db.session.execute(delete(QuizQuestion).where(QuizQuestion.module_id == module.id))
    bump_version()
    learn_services.refresh_records(get_catalogue("vi"), [module.id])
    assert [row[3] is not None for row in records()] == [False, True]
