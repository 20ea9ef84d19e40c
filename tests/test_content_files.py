"""The course files: problems reported as file:line, and the write/read round trip."""

import shutil
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.content.files import (
    LessonFile,
    ModuleFile,
    QuizSettings,
    module_toml,
    read_course,
    write_course,
)
from tests.conftest import FIXTURE_COURSE


@pytest.fixture
def course_dir(tmp_path) -> Path:
    shutil.copytree(FIXTURE_COURSE, tmp_path, dirs_exist_ok=True)
    return tmp_path


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in read_course(root)[1]]


def test_fixture_course_reads_without_problems(course_dir):
    modules, problems = read_course(course_dir)
    assert problems == []
    assert [m.slug for m in modules] == ["basics", "next"]
    assert [lesson.stem for lesson in modules[0].lessons] == ["01-first", "02-second"]
    assert modules[1].prerequisites == ("basics",)
    assert modules[1].step == 1


def test_canonical_files_are_written_back_byte_for_byte(course_dir, tmp_path_factory):
    modules, _ = read_course(course_dir)
    out = tmp_path_factory.mktemp("out")
    write_course(modules, out)
    for original in (course_dir / "courses").glob(
        "*/*"
    ):  # module folders; the glossary has its own writer
        if original.is_file():
            copy = out / original.relative_to(course_dir)
            assert copy.read_bytes() == original.read_bytes(), original


def test_writing_identical_files_changes_nothing(course_dir):
    modules, _ = read_course(course_dir)
    assert write_course(modules, course_dir) == []


def test_missing_translation_names_the_file(course_dir):
    (course_dir / "courses/01-basics/02-second.en.md").unlink()
    assert problems_of(course_dir) == [
        "courses/01-basics/02-second.vi.md:1: no English translation (expected 02-second.en.md)"
    ]


def test_unknown_prerequisite_is_reported(course_dir):
    path = course_dir / "courses/02-next/module.toml"
    path.write_text(path.read_text().replace('"basics"', '"nowhere"'))
    assert problems_of(course_dir) == [
        "courses/02-next/module.toml:1: unknown prerequisite 'nowhere'"
    ]


def test_toml_syntax_error_names_its_line(course_dir):
    path = course_dir / "courses/01-basics/module.toml"
    lines = path.read_text().splitlines()
    lines[3] = "minutes = = 30"
    path.write_text("\n".join(lines) + "\n")
    [problem] = problems_of(course_dir)
    assert problem.startswith("courses/01-basics/module.toml:4: TOML syntax error")


def test_missing_title_in_one_language_points_at_the_table(course_dir):
    path = course_dir / "courses/01-basics/module.toml"
    path.write_text(path.read_text().replace('en = "Basics"\n', ""))
    assert problems_of(course_dir) == [
        "courses/01-basics/module.toml:8: [title] needs a text of at most 200 characters "
        "in English ('en')"
    ]


def test_outcomes_written_as_one_text_instead_of_a_list_are_reported(course_dir):
    path = course_dir / "courses/01-basics/module.toml"
    text = path.read_text()
    start = text.index("vi = [", text.index("[outcomes]"))
    path.write_text(text[:start] + 'vi = "Hiểu ý chính"' + text[text.index("]", start) + 1 :])
    assert problems_of(course_dir) == [
        "courses/01-basics/module.toml:16: [outcomes] needs a non-empty list of texts"
        " in Vietnamese ('vi')"
    ]


def test_lesson_without_title_heading_is_reported(course_dir):
    (course_dir / "courses/01-basics/01-first.en.md").write_text("No heading here.\n")
    assert problems_of(course_dir) == [
        "courses/01-basics/01-first.en.md:1: the first line must be the lesson title as '# Title'"
    ]


def test_wrong_type_and_bad_track_are_reported_on_their_lines(course_dir):
    path = course_dir / "courses/01-basics/module.toml"
    text = path.read_text().replace("minutes = 30", 'minutes = "thirty"')
    path.write_text(text.replace('track = "foundations"', 'track = "elsewhere"'))
    assert problems_of(course_dir) == [
        "courses/01-basics/module.toml:4: 'minutes' must be a whole number",
        "courses/01-basics/module.toml:3: track must be one of foundations, ladder, crm",
    ]


def test_folder_name_must_match_slug_and_position(course_dir):
    (course_dir / "courses/01-basics").rename(course_dir / "courses/03-basics")
    assert "folder should be named '01-basics'" in problems_of(course_dir)[0]


def test_decomposed_vietnamese_is_reported(course_dir):
    path = course_dir / "courses/01-basics/01-first.vi.md"
    path.write_text("# Bài đầu\n\nKhách hàng\u0301\n")
    assert problems_of(course_dir) == [
        "courses/01-basics/01-first.vi.md:3: text is not in Unicode NFC form "
        "(diacritics decomposed)"
    ]


def test_stray_file_and_badly_named_folder_are_reported(course_dir):
    (course_dir / "courses/01-basics/notes.txt").write_text("x")
    (course_dir / "courses/drafts").mkdir()
    assert problems_of(course_dir) == [
        "courses/01-basics/notes.txt:1: unexpected file: lessons are named NN-slug.vi.md / .en.md",
        "courses/drafts:1: module folders are named NN-slug, e.g. 01-foundations",
    ]


def test_prerequisite_cycle_is_reported(course_dir):
    path = course_dir / "courses/01-basics/module.toml"
    path.write_text(path.read_text().replace("prerequisites = []", 'prerequisites = ["next"]'))
    problems = problems_of(course_dir)
    assert "courses/01-basics/module.toml:1: prerequisites form a cycle" in problems


# -- property: whatever modules we write, we read back the same modules ------------------

texts = st.text(
    alphabet=st.sampled_from(string.ascii_letters + string.digits + " .,:;'\"\\#-–ăâđêôơưạảấầẩẫậ"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s)
slugs = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
bodies = st.text(alphabet=st.sampled_from(string.ascii_letters + " \n*_-|#[]()ạđữ"), max_size=200)


@st.composite
def lessons(draw):
    count = draw(st.integers(1, 4))
    names = draw(st.lists(slugs, min_size=count, max_size=count, unique=True))
    return tuple(
        LessonFile(
            slug=name,
            position=n,
            sources={
                "vi": f"# {draw(texts)}\n\n{draw(bodies)}",
                "en": f"# {draw(texts)}\n\n{draw(bodies)}",
            },
        )
        for n, name in enumerate(names, start=1)
    )


@st.composite
def modules(draw):
    count = draw(st.integers(1, 3))
    names = draw(st.lists(slugs, min_size=count, max_size=count, unique=True))
    result = []
    for position, slug in enumerate(names, start=1):
        track = draw(st.sampled_from(["foundations", "ladder", "crm"]))
        n = draw(st.integers(1, 4))
        result.append(
            ModuleFile(
                slug=slug,
                position=position,
                track=track,
                step=draw(st.integers(1, 7)) if track == "ladder" else None,
                minutes=draw(st.integers(1, 600)),
                source=draw(st.sampled_from(["000", "004", ""])),
                prerequisites=tuple(names[: draw(st.integers(0, position - 1))]),
                title={"vi": draw(texts), "en": draw(texts)},
                summary={"vi": draw(texts), "en": draw(texts)},
                outcomes={
                    "vi": tuple(draw(st.lists(texts, min_size=n, max_size=n))),
                    "en": tuple(draw(st.lists(texts, min_size=n, max_size=n))),
                },
                quiz=QuizSettings(
                    pass_mark=draw(st.integers(0, 100)),
                    questions=draw(st.integers(0, 30)),
                    attempts=draw(st.integers(0, 5)),
                    shuffle=draw(st.booleans()),
                ),
                lessons=draw(lessons()),
            )
        )
    return result


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(course=modules())
def test_round_trip_reads_back_what_was_written(tmp_path_factory, course):
    root = tmp_path_factory.mktemp("course")
    write_course(course, root)
    read, problems = read_course(root)
    assert problems == []
    assert read == course
    assert write_course(read, root) == []


@given(course=modules())
def test_module_toml_is_deterministic(course):
    for module in course:
        assert module_toml(module) == module_toml(module)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("minutes = 30", "minutes = 9" + "9" * 30), ":4: 'minutes' is too large a number"),
        (("pass_mark = 70", "pass_mark = -9" + "9" * 30), "quiz.pass_mark is too large a number"),
    ],
)  # fmt: skip
def test_numbers_too_large_to_keep_are_reported(course_dir, change, expected):
    path = course_dir / "courses/01-basics/module.toml"
    path.write_text(path.read_text().replace(*change))
    problems = problems_of(course_dir)
    assert len(problems) == 1 and problems[0].endswith(expected), problems


def test_a_folder_where_a_lesson_file_should_be_is_reported(course_dir):
    lesson = course_dir / "courses/01-basics/01-first.en.md"
    lesson.unlink()
    lesson.mkdir()
    assert problems_of(course_dir) == [
        "courses/01-basics/01-first.en.md:1: cannot be read: Is a directory",
        "courses/01-basics/01-first.vi.md:1: no English translation (expected 01-first.en.md)",
    ]


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f"])
def test_a_control_character_in_a_lesson_is_reported_on_its_line(course_dir, character):
    lesson = course_dir / "courses/01-basics/01-first.vi.md"
    lesson.write_text(lesson.read_text() + f"\nMột dòng có ký tự{character} lạ.\n")
    lines = lesson.read_text().count("\n")
    code = f"U+{ord(character):04X}"
    assert f"courses/01-basics/01-first.vi.md:{lines}: a control character ({code})" in (
        problems_of(course_dir)
    )


def test_a_lesson_whose_markup_would_drop_its_text_is_reported_and_not_imported(course_dir):
    lesson = course_dir / "courses/01-basics/01-first.en.md"
    lesson.write_text(lesson.read_text() + "\nStyles live in <style> tags.\n")
    line = lesson.read_text().count("\n")
    assert problems_of(course_dir) == [
        f"courses/01-basics/01-first.en.md:{line}: <style> is not allowed in a lesson:"
        " what follows it would be dropped"
    ]


def test_a_module_title_longer_than_a_title_can_be_is_reported(tmp_path):
    shutil.copytree(FIXTURE_COURSE, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "courses/01-basics/module.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('en = "Basics"', 'en = "' + "A summary pasted as a title. " * 8 + '"')
    )
    _modules, problems = read_course(tmp_path)
    assert any(
        "[title] needs a text of at most 200 characters in English" in str(p) for p in problems
    )
