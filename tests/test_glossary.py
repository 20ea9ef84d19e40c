"""The glossary: its file, the page that lists and filters it, and the links from lessons."""

import re
import shutil
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.content.glossary import Term, check, dump, link_terms, parse, sort_key
from app.content.models import GlossaryTerm
from app.extensions import db
from tests.conftest import FIXTURE_COURSE, REPO

# -- the file ----------------------------------------------------------------------------


def test_fixture_glossary_parses_and_round_trips():
    text = (FIXTURE_COURSE / "courses/glossary.toml").read_text()
    terms, problems = parse(text)
    assert problems == [] and check(terms, text, {"basics", "next"}) == []
    assert [t.id for t in terms] == ["customer", "kpi"]
    assert terms[0].term == {"vi": "khách hàng", "en": "customers"}
    assert dump(terms) == text


def test_problems_name_the_line():
    text = (FIXTURE_COURSE / "courses/glossary.toml").read_text()
    broken = text.replace('"next",', '"elsewhere",').replace(
        'definition = "Chỉ số đo mức độ đạt mục tiêu."\n', ""
    )
    terms, problems = parse(broken)
    assert problems == [(15, "term 'kpi': missing definition in [vi]")]
    text_ok = text.replace('"next",', '"elsewhere",')
    terms, _ = parse(text_ok)
    assert check(terms, text_ok, {"basics", "next"}) == [
        (15, "term 'kpi': unknown module 'elsewhere'")
    ]


def test_unsorted_and_duplicate_ids_are_reported():
    term = Term("b", ("basics",), {"vi": "b", "en": "b"}, {"vi": "d", "en": "d"})
    other = Term("a", ("basics",), {"vi": "a", "en": "a"}, {"vi": "d", "en": "d"})
    text = dump([term, other, term])
    problems = check([term, other, term], text, {"basics"})
    assert (29, "term id 'b' is used twice") in problems
    assert (1, "terms must be in alphabetical order of their id") in problems


words = st.text(alphabet=string.ascii_letters + ' ăđươạ"\\', min_size=1, max_size=20).filter(
    lambda s: s.strip()
)


@given(
    st.lists(
        st.tuples(words, words, words, words),
        min_size=1,
        max_size=5,
    )
)
def test_dump_parse_round_trip(rows):
    terms = [
        Term(f"t{n}", ("basics",), {"vi": a, "en": b}, {"vi": c, "en": d})
        for n, (a, b, c, d) in enumerate(rows)
    ]
    parsed, problems = parse(dump(terms))
    assert problems == [] and parsed == terms


def test_repository_glossary_has_forty_terms_in_both_languages():
    text = (REPO / "courses/glossary.toml").read_text()
    terms, problems = parse(text)
    assert problems == []
    assert len(terms) >= 40
    for term in terms:
        assert term.term["vi"] and term.term["en"] and term.modules


# -- linking -----------------------------------------------------------------------------


def test_first_use_is_linked_once_and_never_inside_links_code_or_headings():
    html = (
        '<h2>KPI là gì</h2><p>Một <a href="/x">KPI</a> và <code>KPI</code>.</p>'
        "<p>Chọn KPI cho khách hàng. Một KPI nữa.</p>"
    )
    linked = link_terms(html, [("KPI", "/g#term-kpi"), ("khách hàng", "/g#term-customer")])
    assert linked.count('class="term"') == 2
    assert "<h2>KPI là gì</h2>" in linked
    assert "<code>KPI</code>" in linked
    assert 'Chọn <a class="term" href="/g#term-kpi">KPI</a> cho' in linked
    assert '<a class="term" href="/g#term-customer">khách hàng</a>' in linked
    assert linked.endswith("Một KPI nữa.</p>")


def test_linking_respects_word_boundaries_case_and_longer_terms():
    linked = link_terms(
        "<p>CRMs aside, the crm strategy matters; CRM too.</p>",
        [("CRM", "/g#crm"), ("CRM strategy", "/g#crm-strategy")],
    )
    assert '<a class="term" href="/g#crm-strategy">crm strategy</a>' in linked
    assert '<a class="term" href="/g#crm">CRM</a> too' in linked


def test_linking_keeps_entities_and_attributes():
    html = '<p title="a &amp; b">Tom &amp; Jerry&#39;s KPI</p>'
    assert link_terms(html, [("KPI", "/g")]) == (
        '<p title="a &amp; b">Tom &amp; Jerry&#39;s <a class="term" href="/g">KPI</a></p>'
    )


def test_terms_sort_in_vietnamese_alphabetical_order():
    words = ["Ô tô", "Đơn hàng", "ăn", "dữ liệu", "an", "Ơn", "da", "ủy", "ưu", "oi", "ba"]
    assert sorted(words, key=sort_key) == [
        "an", "ăn", "ba", "da", "dữ liệu", "Đơn hàng", "oi", "Ô tô", "Ơn", "ủy", "ưu",
    ]  # fmt: skip


# -- import, page, lessons ---------------------------------------------------------------


@pytest.fixture
def glossary(app, course):
    from app.content import services
    from app.content.glossary import read_glossary

    terms, problems = read_glossary(FIXTURE_COURSE, {"basics", "next"})
    assert problems == []
    with app.app_context():
        services.import_glossary(terms)
        db.session.commit()
    return terms


def test_import_is_idempotent_and_export_identical(app, glossary, tmp_path):
    from app.content import services
    from app.content.glossary import write_glossary

    with app.app_context():
        assert not services.import_glossary(glossary).changed
        assert db.session.scalar(select(func.count(GlossaryTerm.id))) == 2
        write_glossary(services.export_glossary(), tmp_path)
    exported = (tmp_path / "courses/glossary.toml").read_bytes()
    assert exported == (FIXTURE_COURSE / "courses/glossary.toml").read_bytes()


def test_glossary_page_lists_terms_in_the_users_language(client, glossary):
    page = client.get("/glossary").get_data(as_text=True)
    assert '<div class="glossary-entry" id="term-kpi">' in page
    assert "Chỉ số đo mức độ đạt mục tiêu." in page
    assert "2 thuật ngữ" in page
    assert '<dt>khách hàng <span class="term-en" lang="en">customers</span></dt>' in page
    assert "<dt>KPI</dt>" in page  # written the same in both languages: once
    client.set_cookie("locale", "en")
    assert "A figure that shows how far a goal is reached." in client.get("/glossary").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("q=khach", ["customer"]),
        ("q=Customers", ["customer"]),
        ("q=MỤC TIÊU", ["kpi"]),
        ("module=next", ["kpi"]),
        ("q=zzz", []),
        ("module=nowhere", ["customer", "kpi"]),
    ],
)
def test_glossary_filters_by_words_and_module(client, glossary, query, found):
    page = client.get(f"/glossary?{query}").get_data(as_text=True)
    assert re.findall(r'id="term-([\w-]+)"', page) == found
    if not found:
        assert "Không có thuật ngữ nào phù hợp" in page


def test_lesson_explains_the_first_use_of_its_terms_in_place(client, glossary, make_user, login):
    login(make_user())
    page = client.get("/modules/basics/first").get_data(as_text=True)
    assert '<button type="button" class="term" popovertarget="tip-term-customer">khách hàng' in page
    tip = re.search(r'<span class="term-tip" id="tip-term-customer" popover>(.*?)</span>', page)
    assert tip and "Người hoặc tổ chức mua sản phẩm của doanh nghiệp." in tip.group(1)
    assert '<a href="/glossary#term-customer">Trong bảng thuật ngữ</a>' in tip.group(1)


def test_a_definition_is_escaped_and_a_term_without_one_stays_a_link():
    html = "<p>KPI và khách hàng</p>"
    linked = link_terms(
        html,
        [("KPI", "/g#term-kpi"), ("khách hàng", "/g#term-customer")],
        {"/g#term-kpi": "<b>chỉ số</b> & mục tiêu"},
        more="Xem thêm",
    )
    assert "&lt;b&gt;chỉ số&lt;/b&gt; &amp; mục tiêu" in linked
    assert '<a class="term" href="/g#term-customer">khách hàng</a>' in linked


def test_whole_course_glossary_links_appear_in_lessons(app, client, make_user, login, tmp_path):
    """Every term of the real glossary is linked from at least one lesson of its modules."""
    from app.content import services
    from app.content.files import read_course
    from app.content.glossary import read_glossary

    shutil.copytree(REPO / "courses", tmp_path / "courses")
    modules, problems = read_course(tmp_path)
    terms, glossary_problems = read_glossary(tmp_path, {m.slug for m in modules})
    assert problems == glossary_problems == []
    with app.app_context():
        services.import_course(modules)
        services.import_glossary(terms)
        db.session.commit()
    login(make_user())
    linked: set[str] = set()
    for locale in ("vi", "en"):
        client.set_cookie("locale", locale)
        for module in modules:
            for lesson in module.lessons:
                html = client.get(f"/modules/{module.slug}/{lesson.slug}").get_data(as_text=True)
                linked |= {(locale, t) for t in re.findall(r'href="/glossary#term-([\w-]+)"', html)}
    missing = [(loc, t.id) for t in terms for loc in ("vi", "en") if (loc, t.id) not in linked]
    assert missing == []
