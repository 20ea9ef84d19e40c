"""The questionnaire's pages: at most eight questions each, a long dimension split into
parts of about the same size."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.assessment.instrument import parse
from app.assessment.paging import PAGE_SIZE, page_of, paginate, part_sizes
from tests.conftest import REPO

INSTRUMENT = parse((REPO / "courses/assessment.toml").read_text())


@given(st.integers(min_value=0, max_value=200), st.integers(min_value=1, max_value=12))
def test_parts_hold_every_question_as_evenly_as_the_page_size_allows(count, size):
    sizes = part_sizes(count, size)
    assert sum(sizes) == count
    assert len(sizes) == -(-count // size)  # no more pages than needed
    assert all(1 <= n <= size for n in sizes)
    assert sizes == sorted(sizes, reverse=True)
    assert not sizes or max(sizes) - min(sizes) <= 1


@pytest.mark.parametrize(
    ("count", "sizes"),
    [(0, []), (1, [1]), (8, [8]), (9, [5, 4]), (10, [5, 5]), (12, [6, 6]), (17, [6, 6, 5])],
)
def test_a_long_dimension_is_split_into_even_parts(count, sizes):
    assert part_sizes(count) == sizes


def test_a_page_cannot_hold_no_question():
    with pytest.raises(ValueError, match="at least one"):
        part_sizes(3, 0)


def test_no_page_of_the_assessment_holds_more_than_eight_questions():
    pages = paginate(INSTRUMENT)
    assert PAGE_SIZE == 8
    assert all(1 <= len(page.question_ids) <= PAGE_SIZE for page in pages)
    # every question once, in the instrument's order, dimension by dimension
    asked = [question_id for page in pages for question_id in page.question_ids]
    order = [d.id for d in INSTRUMENT.dimensions]
    expected = sorted(INSTRUMENT.questions, key=lambda q: order.index(q.dimension))
    assert asked == [q.id for q in expected]
    assert len({page.id for page in pages}) == len(pages)


def test_each_page_belongs_to_one_dimension_and_knows_which_part_it_is():
    pages = paginate(INSTRUMENT)
    for page in pages:
        assert {INSTRUMENT.by_id[q].dimension for q in page.question_ids} == {page.dimension}
        siblings = [p for p in pages if p.dimension == page.dimension]
        assert page.parts == len(siblings) and siblings.index(page) == page.part - 1
    parts = {page.dimension: page.parts for page in pages}
    assert parts == {
        "customer-marketing": 2,
        "sales-crm": 2,
        "data-analytics": 2,
        "automation": 1,
        "strategy-leadership": 1,
        "people-culture": 1,
    }


def test_the_first_part_keeps_the_dimensions_address_and_the_others_are_numbered():
    ids = [page.id for page in paginate(INSTRUMENT) if page.dimension == "customer-marketing"]
    assert ids == ["customer-marketing", "customer-marketing-2"]


def test_a_dimension_without_questions_has_no_page_and_a_big_one_has_three():
    gone = ("people-culture", "sales-crm")  # 4 and 9 questions moved into automation's 4
    moved = tuple(
        replace(q, dimension="automation") if q.dimension in gone else q
        for q in INSTRUMENT.questions
    )
    pages = paginate(replace(INSTRUMENT, questions=moved))
    assert not {page.dimension for page in pages} & set(gone)
    automation = [page for page in pages if page.dimension == "automation"]
    assert [len(page.question_ids) for page in automation] == [6, 6, 5]
    assert [page.id for page in automation] == ["automation", "automation-2", "automation-3"]
    assert [(page.part, page.parts) for page in automation] == [(1, 3), (2, 3), (3, 3)]


def test_page_of_finds_the_page_that_asks_a_question():
    pages = paginate(INSTRUMENT)
    assert page_of(pages, "s3-customer-count").id == "sales-crm-2"
    assert page_of(pages, "s1-channels").id == "customer-marketing"
    assert page_of(pages, "no-such-question") is None
