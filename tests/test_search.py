"""Search: the entries learners can read, kept current by the import and the studio, the
results in the reader's language with the words typed with their marks first, and the
page at /search (no script needed, any input answered)."""

import shutil

import pytest
from sqlalchemy import func, select

from app.content.models import GlossaryTerm, Lesson, LessonRevision, Module
from app.course import import_files, read
from app.extensions import db
from app.search import services
from app.search.matching import parse_query
from app.search.models import SearchEntry
from app.studio import services as studio
from tests.conftest import FIXTURE_COURSE

EN = {"Accept-Language": "en"}


def found(app, text: str, locale: str = "vi") -> list[tuple[str, str]]:
    """(kind, title) of each result of ``text`` in ``locale``, in the order shown."""
    with app.test_request_context():
        results = services.search(parse_query(text, locale), locale)
        return [(r.kind, "".join(piece.text for piece in r.title)) for r in results.shown]


@pytest.fixture
def trainer(make_user, login):
    return login(make_user(role="trainer"))


def publish(client, lesson_id: int, lang: str, source: str) -> None:
    """Save ``source`` as the lesson's draft in ``lang`` through the studio, and publish it."""
    page = client.get(f"/studio/lessons/{lesson_id}/{lang}").get_data(as_text=True)
    base = int(page.split('name="base" value="', 1)[1].split('"', 1)[0])
    saved = client.post(f"/studio/lessons/{lesson_id}/{lang}",
                        data={"source": source, "base": base, "save": "y"})  # fmt: skip
    assert saved.status_code == 302
    with client.application.app_context():
        draft = studio.latest(lesson_id, lang)
        assert draft.published_at is None
        draft_id = draft.id
    published = client.post(f"/studio/lessons/{lesson_id}/{lang}/publish",
                            data={"revision": draft_id})  # fmt: skip
    assert published.status_code == 302


def lesson_id(app, module: str, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Lesson.id).join(Module).where(Module.slug == module, Lesson.slug == slug)
        )


# -- what is indexed -----------------------------------------------------------------------


def test_the_import_indexes_each_lesson_module_and_term_in_each_language(app, course):
    with app.app_context():
        entries = db.session.execute(
            select(SearchEntry.kind, SearchEntry.locale, func.count())
            .group_by(SearchEntry.kind, SearchEntry.locale)
            .order_by(SearchEntry.kind, SearchEntry.locale)
        ).all()
        first = db.session.scalar(
            select(SearchEntry).where(SearchEntry.kind == "lesson", SearchEntry.locale == "vi")
            .order_by(SearchEntry.id)
        )  # fmt: skip
    assert entries == [("lesson", "en", 3), ("lesson", "vi", 3), ("module", "en", 2),
                       ("module", "vi", 2), ("term", "en", 2), ("term", "vi", 2)]  # fmt: skip
    assert (first.title, first.body) == (
        "Bài đầu tiên",
        "Bạn sẽ làm được gì\nNội dung bài một về khách hàng.",
    )
    assert (first.folded_title, first.folded_body) == (
        "bai dau tien", "ban se lam duoc gi noi dung bai mot ve khach hang",
    )  # fmt: skip


def test_a_query_without_marks_finds_lessons_modules_and_terms(app, course):
    assert found(app, "khach hang") == [("term", "khách hàng"), ("lesson", "Bài đầu tiên")]
    assert found(app, "KHÁCH   HÀNG") == found(app, "khach hang")
    assert found(app, "nhap mon") == [("module", "Nhập môn")]
    assert found(app, "nguoi moi") == [("module", "Nhập môn")]  # in its summary
    assert found(app, "bat dau") == [("module", "Bước 1: Khởi động")]  # an outcome
    assert found(app, "chi so muc tieu") == [("term", "KPI")]
    assert found(app, "khách quen") == []  # every word, not any


def test_results_are_in_the_readers_language(app, course):
    assert found(app, "khach hang", "en") == []
    assert found(app, "customer", "en") == [("term", "customers"), ("lesson", "The first lesson")]
    assert found(app, "customer", "vi") == []


def test_the_words_typed_with_their_marks_come_first(app, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, root)
    (root / "courses/01-basics/01-first.vi.md").write_text(
        "# Bài đầu tiên\n\nSắp xếp bàn hàng trước giờ mở cửa.\n", encoding="utf-8"
    )
    (root / "courses/02-next/01-only.vi.md").write_text(
        "# Bài duy nhất\n\nCách bán hàng qua điện thoại.\n", encoding="utf-8"
    )
    with app.app_context():
        import_files(read(root))
        db.session.commit()
    assert found(app, "bán hàng") == [("lesson", "Bài duy nhất"), ("lesson", "Bài đầu tiên")]
    assert found(app, "bàn hàng") == [("lesson", "Bài đầu tiên"), ("lesson", "Bài duy nhất")]
    assert len(found(app, "ban hang")) == 2


def test_a_result_shows_its_sentence_with_the_words_found_marked(app, course):
    with app.test_request_context():
        result = services.search(parse_query("khach hang", "vi"), "vi").shown[1]
    assert (result.module_slug, result.lesson_slug, result.module_title) == (
        "basics", "first", "Nhập môn",
    )  # fmt: skip
    assert [(piece.text, piece.marked) for piece in result.snippet] == [
        ("Nội dung bài một về ", False), ("khách hàng", True), (".", False),
    ]  # fmt: skip


def test_retired_modules_and_terms_are_not_found_and_come_back_with_them(
    app, client, course, trainer
):
    with app.app_context():
        basics = db.session.scalar(select(Module.id).filter_by(slug="basics"))
    assert client.post(f"/studio/modules/{basics}/retire").status_code == 302
    assert found(app, "khach hang") == [("term", "khách hàng")]
    assert found(app, "nhap mon") == []
    client.post(f"/studio/modules/{basics}/restore")
    assert found(app, "nhap mon") == [("module", "Nhập môn")]
    with app.app_context():
        term = db.session.scalar(select(GlossaryTerm).filter_by(slug="kpi"))
        studio.save_term(term, studio.TermData(
            slug="kpi", term={"vi": "KPI", "en": "KPI"},
            definition={"vi": "Chỉ số then chốt.", "en": "A key figure."},
            modules=["basics"], retired=True,
        ), db.session.merge(trainer))  # fmt: skip
        db.session.commit()
    assert found(app, "kpi") == []


def test_a_new_module_is_found_once_it_has_a_published_lesson(app, client, course, trainer):
    with app.app_context():
        basics = db.session.scalar(select(Module).filter_by(slug="basics"))
        data = studio.ModuleData(
            title={"vi": "Kho hàng", "en": "Warehouse"},
            summary={"vi": "Quản lý kho.", "en": "Stock."},
            outcomes={"vi": [], "en": []}, minutes=20, track=basics.track, step=None,
            prerequisites=[], pass_mark=70, quiz_questions=10, quiz_attempts=0,
            quiz_shuffle=True, quiz_answers=basics.quiz_answers,
        )  # fmt: skip
        module = studio.create_module("warehouse", data, db.session.merge(trainer))
        lesson = studio.add_lesson(module, "stock", {"vi": "Tồn kho", "en": "Stock"},
                                   db.session.merge(trainer))  # fmt: skip
        db.session.commit()
        new_lesson = lesson.id
    assert found(app, "kho hang") == []
    publish(client, new_lesson, "vi", "# Tồn kho\n\nĐếm kho hàng mỗi tuần.\n")
    assert found(app, "kho hang") == [("module", "Kho hàng"), ("lesson", "Tồn kho")]
    assert found(app, "warehouse", "en") == []  # nothing published in English yet


# -- kept current ----------------------------------------------------------------------------


def test_publishing_a_changed_lesson_finds_the_new_word_and_not_the_old(
    app, client, course, trainer
):
    first = lesson_id(app, "basics", "first")
    page, _base = client.get(f"/studio/lessons/{first}/vi"), None
    assert page.status_code == 200
    # a draft is not what learners read: not found until it is published
    source = "# Bài đầu tiên\n\nNội dung bài một về nhà cung cấp.\n"
    editor = client.get(f"/studio/lessons/{first}/vi").get_data(as_text=True)
    base = int(editor.split('name="base" value="', 1)[1].split('"', 1)[0])
    client.post(f"/studio/lessons/{first}/vi", data={"source": source, "base": base, "save": "y"})
    assert found(app, "nha cung cap") == []
    assert ("lesson", "Bài đầu tiên") in found(app, "khach hang")
    with app.app_context():
        draft = db.session.scalar(select(LessonRevision).order_by(LessonRevision.id.desc()))
        draft_id = draft.id
    client.post(f"/studio/lessons/{first}/vi/publish", data={"revision": draft_id})
    assert found(app, "nha cung cap") == [("lesson", "Bài đầu tiên")]
    assert found(app, "khach hang") == [("term", "khách hàng")]
    assert found(app, "customer", "en") == [("term", "customers"), ("lesson", "The first lesson")]


def test_editing_a_term_or_a_module_in_the_studio_changes_what_is_found(
    app, client, course, trainer
):
    from tests.test_studio import module_settings

    with app.app_context():
        basics = db.session.scalar(select(Module).filter_by(slug="basics"))
        settings, basics_id = module_settings(basics), basics.id
        term_id = db.session.scalar(select(GlossaryTerm.id).filter_by(slug="customer"))
    changed = {**settings, "title_vi": "Làm quen", "summary_vi": "Cho người bận rộn."}
    assert client.post(f"/studio/modules/{basics_id}", data=changed).status_code == 302
    assert found(app, "lam quen") == [("module", "Làm quen")]
    assert found(app, "ban ron") == [("module", "Làm quen")]
    assert found(app, "nhap mon") == []
    term = {"term_vi": "khách quen", "term_en": "customers", "definition_vi": "Người mua lại.",
            "definition_en": "People who buy again.", "modules": ["basics"]}  # fmt: skip
    assert client.post(f"/studio/glossary/{term_id}", data=term).status_code == 302
    assert found(app, "khach quen") == [("term", "khách quen")]
    assert found(app, "nguoi mua lai") == [("term", "khách quen")]
    assert ("term", "khách hàng") not in found(app, "khach hang")


def test_an_import_that_changes_the_files_changes_what_is_found(app, course, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, root)
    lesson = root / "courses/02-next/01-only.vi.md"
    lesson.write_text("# Bài duy nhất\n\nHóa đơn điện tử.\n", encoding="utf-8")
    glossary = root / "courses/glossary.toml"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text[: text.index("[[terms]]", 10)], encoding="utf-8")  # no "kpi"
    with app.app_context():
        report = import_files(read(root))
        db.session.commit()
        assert report.changed
    assert found(app, "hoa don") == [("lesson", "Bài duy nhất")]
    assert found(app, "noi dung") == [("lesson", "Bài đầu tiên")]
    assert found(app, "kpi") == []
    with app.app_context():  # the same files again: nothing to change, nor to index
        entries = db.session.scalars(select(SearchEntry.id).order_by(SearchEntry.id)).all()
        assert not import_files(read(root)).changed
        assert db.session.scalars(select(SearchEntry.id).order_by(SearchEntry.id)).all() == entries


def test_reindexing_everything_gives_the_same_entries(app, course, runner):
    def entries():
        with app.app_context():
            return sorted(db.session.execute(select(
                SearchEntry.kind, SearchEntry.locale, SearchEntry.module_id, SearchEntry.lesson_id,
                SearchEntry.term_id, SearchEntry.title, SearchEntry.body,
                SearchEntry.folded_title, SearchEntry.folded_body,
            )).all())  # fmt: skip

    before = entries()
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and result.output == "indexed 14 entries\n"
    assert entries() == before
    assert found(app, "khach hang") == [("term", "khách hàng"), ("lesson", "Bài đầu tiên")]


def test_a_lesson_removed_from_the_database_takes_its_entries_with_it(app, course):
    """The index follows its entries, which follow their lesson, on both databases."""
    first = lesson_id(app, "basics", "first")
    with app.app_context():
        db.session.delete(db.session.get(Lesson, first))
        db.session.commit()
        assert db.session.scalar(select(func.count()).where(SearchEntry.lesson_id == first)) == 0
    assert found(app, "khach hang") == [("term", "khách hàng")]


# -- the page --------------------------------------------------------------------------------


def test_the_header_of_every_page_has_a_search_box(client, course):
    for url in ("/", "/glossary", "/modules/basics", "/login", "/no-such-page"):
        page = client.get(url).get_data(as_text=True)
        form = page.split('<form class="site-search"', 1)[1].split("</form>", 1)[0]
        assert 'method="get" action="/search"' in form
        assert '<label class="visually-hidden"' in form
        assert 'type="search" name="q"' in form or ('name="q"' in form and 'type="search"' in form)
        assert 'class="icon"' in form and "icons.svg" not in form  # drawn here: no sprite to fetch


def test_the_results_page_lists_each_result_with_its_kind_link_and_sentence(client, course):
    response = client.get("/search?q=khach+hang")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    results = page.split('<ol class="search-results">', 1)[1].split("</ol>", 1)[0]
    assert results.count("<li") == 2
    assert '<a href="/glossary#term-customer"><mark>khách hàng</mark></a>' in results
    assert '<a href="/modules/basics/first">Bài đầu tiên</a>' in results
    assert "Nội dung bài một về <mark>khách hàng</mark>." in results
    assert ">Thuật ngữ<" in results and ">Bài học</span> Nhập môn<" in results
    assert 'value="khach hang"' in page  # the query stays in the box
    english = client.get("/search?q=customer", headers=EN).get_data(as_text=True)
    assert "2 results" in english and ">Glossary term<" in english
    assert "Lesson one is about <mark>customers</mark>." in english


def test_the_page_says_so_when_the_query_is_empty_too_short_or_finds_nothing(client, course):
    empty = client.get("/search", headers=EN).get_data(as_text=True)
    assert "Type a word or two" in empty and "search-results" not in empty
    short = client.get("/search?q=+a+", headers=EN).get_data(as_text=True)
    assert "Type at least two letters to search." in short
    nothing = client.get("/search?q=%3Cb%3Ezzz", headers=EN).get_data(as_text=True)
    assert "Nothing matches “&lt;b&gt;zzz”." in nothing and "<b>zzz" not in nothing


def test_many_results_are_counted_and_the_first_twenty_shown(app, client, course, trainer):
    with app.app_context():
        by = db.session.merge(trainer)
        for n in range(25):
            studio.save_term(None, studio.TermData(
                slug=f"term-{n:02}", term={"vi": f"Thuật ngữ {n}", "en": f"Term {n}"},
                definition={"vi": "Một định nghĩa chung.", "en": "A shared definition."},
                modules=["basics"], retired=False,
            ), by)  # fmt: skip
        db.session.commit()
    page = client.get("/search?q=shared+definition", headers=EN).get_data(as_text=True)
    assert "25 results · the first 20 are shown" in page
    assert page.split('<ol class="search-results">', 1)[1].count("<li") == 20


def test_text_from_a_lesson_is_shown_escaped(app, client, course, trainer):
    first = lesson_id(app, "basics", "first")
    publish(
        client, first, "vi", "# Bài đầu tiên\n\nViết `<script>alert(1)</script>` cho khách hàng.\n"
    )
    page = client.get("/search?q=khach+hang").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; cho <mark>khách hàng</mark>." in page


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "*",
        "-",
        ":*",
        "&",
        "|",
        "!",
        "(",
        ")",
        "^",
        "\\",
        "NEAR(a b)",
        "a OR b",
        "khach AND hang",
        "khach NOT hang",
        "khach:*",
        "'khach' & 'hang'",
        "title:khach",
        "{folded_title}: khach",
        '"khach hang',
        "khách' | 'hàng",
        "%",
        "_",
        "%_%",
        "<>",
        "😀 khách",
        "\u202ekhách hàng",
        "khách\u0301",
        "ﬁ ½ ² ǅ",
        "x" * 5000,
        "khách " * 60,
        "١٢٣ ٤٥",
        "\u3000",
        "ᄀ",
        "ß" * 40,
    ],
)
def test_any_query_is_answered(client, course, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200


def test_a_long_query_is_cut_to_a_hundred_characters(client, course):
    page = client.get("/search", query_string={"q": "khách hàng " + "x" * 200}).get_data(
        as_text=True
    )
    assert 'value="khách hàng ' + "x" * 89 + '"' in page


@pytest.mark.parametrize("query", ["khách\x00hàng", "\x1b[31m", "a\x7f"])
def test_control_characters_are_refused(client, course, query):
    response = client.get("/search", query_string={"q": query}, headers=EN)
    assert response.status_code == 400


def test_the_page_works_in_english_and_with_a_query_given_twice(client, course):
    page = client.get("/search?q=customer&q=kpi", headers=EN).get_data(as_text=True)
    assert '<html lang="en">' in page and "<mark>customers</mark>" in page
