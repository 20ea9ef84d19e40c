"""The questionnaire's pages. Pure: no Flask, no database.

Each dimension's questions, in the instrument's order, make its pages; a page holds at
most PAGE_SIZE questions, so that a page stays short on a phone. A dimension with more
is split into parts of about the same size (12 questions make two pages of 6, not 8 and
4). The first part keeps the dimension's id as its page id, so that an address to a
dimension's page stays good when the dimension grows; the others add ``-2``, ``-3`` ...
"""

from dataclasses import dataclass

from app.assessment.instrument import Instrument

PAGE_SIZE = 8


@dataclass(frozen=True)
class Page:
    """One page of the questionnaire: part ``part`` of ``parts`` of its dimension."""

    id: str
    dimension: str
    part: int
    parts: int
    question_ids: tuple[str, ...]


def part_sizes(count: int, size: int = PAGE_SIZE) -> list[int]:
    """How many of ``count`` questions each page holds: as few pages as ``size`` allows,
    as even as can be, the larger ones first. No pages for no questions."""
    if size < 1:
        raise ValueError("a page holds at least one question")
    parts = -(-count // size)
    if parts == 0:
        return []
    small, extra = divmod(count, parts)
    return [small + 1 if n < extra else small for n in range(parts)]


def paginate(instrument: Instrument, size: int = PAGE_SIZE) -> list[Page]:
    """The questionnaire's pages, dimension by dimension in the instrument's order; a
    dimension without questions has no page."""
    pages = []
    for dimension in instrument.dimensions:
        ids = [q.id for q in instrument.questions if q.dimension == dimension.id]
        sizes = part_sizes(len(ids), size)
        start = 0
        for part, count in enumerate(sizes, start=1):
            page_id = dimension.id if part == 1 else f"{dimension.id}-{part}"
            chunk = tuple(ids[start : start + count])
            pages.append(Page(page_id, dimension.id, part, len(sizes), chunk))
            start += count
    return pages


def page_of(pages: list[Page], question_id: str) -> Page | None:
    """The page that asks ``question_id``, or None."""
    return next((page for page in pages if question_id in page.question_ids), None)
