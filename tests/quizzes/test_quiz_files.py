"""Quizzes as files: cutting a GIFT text into questions and back, the checks between
languages, `flask content check|import|export` with quizzes."""

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app import course
from app.cache import ContentVersion
from app.content.files import read_course, write_course
from app.extensions import db
from app.quizzes import gift
from app.quizzes.models import QuizFile, QuizQuestion, QuizQuestionTranslation
from app.quizzes.services import files as quiz_services
from app.quizzes.sources import QuizProblem, join, read_quiz, split
from tests.conftest import FIXTURE_COURSE, REPO
from tests.quizzes.test_gift import questions as question_strategy

BASICS_VI = FIXTURE_COURSE / "quizzes/01-basics.vi.gift"
BASICS_EN = FIXTURE_COURSE / "quizzes/01-basics.en.gift"


@pytest.fixture
def course_dir(tmp_path) -> Path:
    shutil.copytree(FIXTURE_COURSE, tmp_path, dirs_exist_ok=True)
    return tmp_path


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in course.read(root).problems]


def current_version() -> int:
    return db.session.scalar(select(ContentVersion.version))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


# --- cutting a file into questions ----------------------------------------------------


def test_split_keeps_comments_and_categories_with_the_question_after_them():
    text = BASICS_EN.read_text()
    parts = split(text)
    assert len(parts.slices) == 8 and parts.trailer == ""
    assert parts.slices[0].startswith("// The fixture quiz")
    assert parts.slices[1].startswith("\n$CATEGORY: first\n\n::b1-centre::")
    assert join(parts.slices, parts.trailer) == text


def test_split_keeps_what_follows_the_last_question_as_the_trailer():
    text = "::a:: A?{T}\n\n\n// the end\n\n"
    parts = split(text)
    assert parts.slices == ("::a:: A?{T}\n",) and parts.trailer == "\n\n// the end\n\n"


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(question_strategy(), max_size=5),
    st.lists(st.sampled_from(["", "// note", "   ", "\r"]), max_size=4),
)
def test_split_finds_the_questions_parse_finds_and_joins_back(questions, extras):
    text = gift.dump(questions)
    for n, extra in enumerate(extras):  # comments and blank lines between questions
        text = text.replace("\n\n", f"\n\n{extra}\n\n", 1) if n % 2 else text + extra + "\n"
    parts = split(text)
    assert join(parts.slices, parts.trailer) == text
    assert len(parts.slices) == len(gift.parse(text))


# --- checks between languages ---------------------------------------------------------


def check(vi: str, en: str, lessons=("first", "second")) -> list[tuple[str, int, str]]:
    _quiz, problems = read_quiz({"vi": vi, "en": en}, set(lessons))
    return [(p.lang, p.line, p.message) for p in problems]


def test_the_fixture_quiz_passes_every_check():
    quiz, problems = read_quiz(
        {"vi": BASICS_VI.read_text(), "en": BASICS_EN.read_text()}, {"first", "second"}
    )
    assert problems == []
    assert [(e.title, e.lesson) for e in quiz.entries][:2] == [
        ("b0-intro", None),
        ("b1-centre", "first"),
    ]


def test_missing_and_duplicate_titles_are_reported():
    assert check("Q1 {T}\n", "::a:: A {T}\n") == [
        (
            "vi",
            1,
            "a question without a title: start it with ::id:: (the same id in every language)",
        )
    ]
    assert check("::a:: A {T}\n\n::a:: B {F}\n", "::a:: A {T}\n") == [
        ("vi", 3, "the title 'a' is used twice (first on line 1)")
    ]


def test_titles_that_differ_between_languages_are_reported():
    assert check("::a:: A {T}\n\n::b:: B {T}\n", "::a:: A {T}\n\n::c:: C {T}\n") == [
        ("en", 3, "the question 'c' is not in the Vietnamese file"),
        ("en", 1, "the question 'b' of the Vietnamese file is missing here"),
    ]


def test_questions_in_another_order_are_reported():
    assert check("::a:: A {T}\n\n::b:: B {T}\n", "::b:: B {T}\n\n::a:: A {T}\n") == [
        ("en", 1, "the questions are not in the same order as in the Vietnamese file "
                  "(expected 'a' here)"),
    ]  # fmt: skip


def test_kinds_and_weights_that_differ_are_reported():
    assert check("::a:: A {T}\n", "::a:: A {=x ~y}\n") == [
        ("en", 1, "the question 'a' is multiple choice here but true/false in the Vietnamese file")
    ]
    assert check("::a:: A {T}\n", "::a:: A {F}\n") == [
        ("en", 1, "the answers of 'a' differ from the Vietnamese file in number, order or weight")
    ]


def test_categories_must_name_a_lesson_and_agree_between_languages():
    assert check("$CATEGORY: nowhere\n\n::a:: A {T}\n", "::a:: A {T}\n") == [
        ("vi", 3, "the category 'nowhere' is not a lesson of this module: write $CATEGORY: "
                  "and a lesson's slug (first, second)"),
    ]  # fmt: skip
    assert check("$CATEGORY: first\n\n::a:: A {T}\n", "::a:: A {T}\n") == [
        ("en", 1, "the question 'a' is in the category '' here but 'first' in the Vietnamese file")
    ]


def test_a_syntax_error_names_its_line():
    assert check("::a:: A {T}\n\n::b:: B {=x ~y\n", "::a:: A {T}\n") == [
        ("vi", 3, "unclosed brace: the '{' here has no matching '}' (a blank line ends a question)")
    ]


# --- the course with its quizzes ------------------------------------------------------


def test_check_reports_quiz_problems_as_file_and_line(course_dir):
    edit(course_dir / "quizzes/01-basics.en.gift", "::b3-word:: Every change", "::b3:: Every")
    edit(course_dir / "quizzes/02-next.vi.gift", "{T#Sai", "{T#Sai {")
    assert problems_of(course_dir) == [
        "quizzes/01-basics.en.gift:20: the question 'b3' is not in the Vietnamese file",
        "quizzes/01-basics.en.gift:1: the question 'b3-word' of the Vietnamese file is "
        "missing here",
        "quizzes/02-next.vi.gift:7: a '{' inside an answer block; write \\{ for a literal brace",
    ]


def test_check_reports_a_missing_language_and_a_quiz_without_module(course_dir):
    (course_dir / "quizzes/02-next.en.gift").unlink()
    shutil.copy(BASICS_VI, course_dir / "quizzes/07-gone.vi.gift")
    (course_dir / "quizzes/notes.txt").write_text("x")
    assert problems_of(course_dir) == [
        "quizzes/02-next.vi.gift:1: no English translation (expected quizzes/02-next.en.gift)",
        "quizzes/07-gone.vi.gift:1: no module folder courses/07-gone for this quiz",
        "quizzes/notes.txt:1: unexpected file: quizzes are named NN-slug.vi.gift / .en.gift",
    ]


def test_a_module_may_have_no_quiz(course_dir):
    for lang in ("vi", "en"):
        (course_dir / f"quizzes/02-next.{lang}.gift").unlink()
    modules, problems = read_course(course_dir)
    assert problems == [] and modules[1].quiz_sources == {}


def test_a_lesson_cannot_take_the_quiz_address(course_dir):
    for lang in ("vi", "en"):
        shutil.move(
            course_dir / f"courses/02-next/01-only.{lang}.md",
            course_dir / f"courses/02-next/01-quiz.{lang}.md",
        )
    assert problems_of(course_dir) == [
        "courses/02-next/01-quiz.vi.md:1: a lesson cannot be named 'quiz': that is the "
        "address of the module's quiz"
    ]


def test_quiz_files_are_written_back_byte_for_byte(course_dir, tmp_path_factory):
    modules, _ = read_course(course_dir)
    out = tmp_path_factory.mktemp("out")
    write_course(modules, out)
    for original in (course_dir / "quizzes").iterdir():
        assert (out / "quizzes" / original.name).read_bytes() == original.read_bytes()


def run_import(root: Path, force: bool = False):
    files = course.read(root)
    assert files.problems == []
    report = course.import_files(files, force=force)
    db.session.commit()
    return report


def test_import_loads_quizzes_once_and_bumps_the_version(app_ctx, course_dir, count_queries):
    report = run_import(course_dir)
    assert "quiz basics (8 questions)" in report.created
    assert db.session.scalar(select(func.count(QuizQuestion.id))) == 11
    version = current_version()
    count_queries.clear()
    again = run_import(course_dir)
    assert not again.changed and again.conflicts == []
    assert current_version() == version
    writes = [
        s for s in count_queries if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def test_a_changed_quiz_file_updates_the_pool(app_ctx, course_dir):
    run_import(course_dir)
    version = current_version()
    edit(BASICS := course_dir / "quizzes/01-basics.en.gift", "Who is at the centre", "Who leads")
    edit(BASICS, "\n\n::b7-reflect::", "\n\n::b8-new:: A new question {T}\n\n::b7-reflect::")
    edit(
        course_dir / "quizzes/01-basics.vi.gift",
        "\n\n::b7-reflect::",
        "\n\n::b8-new:: Mới {T}\n\n::b7-reflect::",
    )
    report = run_import(course_dir)
    assert report.updated == ["quiz basics (1 added, 1 changed, 0 removed)"]
    assert current_version() > version
    text = db.session.scalar(
        select(QuizQuestionTranslation.source)
        .join(QuizQuestion)
        .where(QuizQuestion.title == "b1-centre", QuizQuestionTranslation.locale == "en")
    )
    assert "Who leads" in text


def test_removed_questions_and_quizzes_are_removed(app_ctx, course_dir):
    run_import(course_dir)
    for lang in ("vi", "en"):
        (course_dir / f"quizzes/02-next.{lang}.gift").unlink()
    report = run_import(course_dir)
    assert report.removed == ["quiz next"]
    assert db.session.scalar(select(func.count(QuizQuestion.id))) == 8
    assert db.session.scalar(select(func.count(QuizFile.id))) == 2


def test_a_quiz_changed_in_the_browser_is_not_overwritten_without_force(app_ctx, course_dir):
    run_import(course_dir)
    module_id = db.session.scalar(select(QuizQuestion.module_id).filter_by(title="b1-centre"))
    texts = quiz_services.quiz_texts(module_id)
    edited = {lang: text.replace("::b5-ltv::", "::b5-value::") for lang, text in texts.items()}
    state = quiz_services.current_state(module_id)
    quiz_services.confirm_import(module_id, edited, {"first", "second"}, state)
    db.session.commit()
    edit(course_dir / "quizzes/01-basics.en.gift", "Who is at the centre", "Who leads")
    report = run_import(course_dir)
    assert report.conflicts == [
        "quiz basics: changed in the browser since the last import; not overwritten "
        "(import with --force to replace it)"
    ]
    assert "::b5-value::" in quiz_services.quiz_texts(module_id)["en"]
    forced = run_import(course_dir, force=True)
    assert forced.updated == ["quiz basics (1 added, 1 changed, 1 removed)"]
    assert (
        quiz_services.quiz_texts(module_id)["en"]
        == (course_dir / "quizzes/01-basics.en.gift").read_text()
    )


def test_export_writes_the_imported_quizzes_back_identically(app_ctx, course_dir, tmp_path_factory):
    run_import(course_dir)
    out = tmp_path_factory.mktemp("export")
    course.export(out)
    for original in (course_dir / "quizzes").iterdir():
        assert (out / "quizzes" / original.name).read_bytes() == original.read_bytes()
    assert course.export(course_dir) == []


def test_the_course_quizzes_come_back_byte_for_byte(app_ctx, tmp_path):
    course.import_files(course.read(REPO))
    db.session.commit()
    course.export(tmp_path)
    for original in (REPO / "quizzes").glob("*.gift"):
        assert (tmp_path / "quizzes" / original.name).read_bytes() == original.read_bytes()


# --- the command line -----------------------------------------------------------------


def test_cli_check_shows_gift_errors_with_file_and_line(runner, course_dir):
    edit(course_dir / "quizzes/01-basics.vi.gift", "=1200:0", "=12x00")
    result = runner.invoke(args=["content", "check", str(course_dir)])
    assert result.exit_code != 0
    assert (
        "quizzes/01-basics.vi.gift:30: bad number '12x00': write digits with a decimal point, "
        "such as 3.14 or -2" in result.output
    )


def test_cli_import_twice_then_export(runner, app, course_dir, tmp_path_factory):
    first = runner.invoke(args=["content", "import", "--list", str(course_dir)])
    assert "created: quiz basics (8 questions)" in first.output
    second = runner.invoke(args=["content", "import", str(course_dir)])
    assert second.exit_code == 0 and second.output.strip() == "Nothing changed."
    out = tmp_path_factory.mktemp("out")
    runner.invoke(args=["content", "export", str(out)])
    assert (out / "quizzes/02-next.vi.gift").read_bytes() == (
        course_dir / "quizzes/02-next.vi.gift"
    ).read_bytes()


def test_every_question_of_the_course_names_the_lesson_it_comes_from():
    modules, problems = read_course(REPO)
    assert problems == []
    for module in modules:
        quiz, _ = read_quiz(module.quiz_sources, {lesson.slug for lesson in module.lessons})
        lessons = {entry.lesson for entry in quiz.entries}
        assert None not in lessons, module.slug
        assert lessons == {lesson.slug for lesson in module.lessons}, module.slug


def test_a_problem_is_translated_with_its_words_of_ours_but_not_the_authors():
    problem = QuizProblem(
        "en", 4, "'%(title)s' is %(kind)s in the %(language)s file",
        (("title", "essay"), ("kind", "matching"), ("language", "Vietnamese")),
    )  # fmt: skip
    words = {
        "'%(title)s' is %(kind)s in the %(language)s file":
            "'%(title)s' là câu %(kind)s trong tệp %(language)s",
        "matching": "ghép cặp", "Vietnamese": "tiếng Việt", "essay": "tự luận",
    }  # fmt: skip
    assert problem.message == "'essay' is matching in the Vietnamese file"
    assert problem.translated(lambda text: words.get(text, text)) == (
        "'essay' là câu ghép cặp trong tệp tiếng Việt"
    )


def test_keep_going_leaves_out_a_question_broken_in_one_language_only():
    vi = BASICS_VI.read_text().replace("=1200:0", "=12x00")
    en = BASICS_EN.read_text()
    strict, problems = read_quiz({"vi": vi, "en": en}, {"first", "second"})
    assert strict is None and [p.line for p in problems] == [30]
    quiz, problems = read_quiz({"vi": vi, "en": en}, {"first", "second"}, keep_going=True)
    assert [p.line for p in problems] == [30]
    assert "b5-ltv" not in [entry.title for entry in quiz.entries] and len(quiz.entries) == 7


def test_keep_going_cannot_import_files_whose_questions_are_in_another_order():
    en = BASICS_EN.read_text()
    blocks = en.split("\n\n")
    assert blocks[2].startswith("::b1-centre::") and blocks[3].startswith("::b2-channels::")
    swapped = "\n\n".join([*blocks[:2], blocks[3], blocks[2], *blocks[4:]])
    quiz, problems = read_quiz(
        {"vi": BASICS_VI.read_text(), "en": swapped}, {"first", "second"}, keep_going=True
    )
    assert quiz is None and "not in the same order" in problems[-1].message


def test_cli_import_keep_going_reports_what_it_left_out(runner, course_dir):
    edit(course_dir / "quizzes/01-basics.vi.gift", "=1200:0", "=12x00")
    refused = runner.invoke(args=["content", "import", str(course_dir)])
    assert refused.exit_code != 0 and "nothing was imported" in refused.output
    result = runner.invoke(args=["content", "import", "--keep-going", "--list", str(course_dir)])
    assert result.exit_code == 0, result.output
    assert "left out: quizzes/01-basics.vi.gift:30: bad number '12x00'" in result.output
    assert "created: quiz basics (7 questions)" in result.output
    again = runner.invoke(args=["content", "import", "--keep-going", str(course_dir)])
    assert "Nothing changed." in again.output  # what was stored is what was imported
