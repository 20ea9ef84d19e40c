"""Seven firms answering the instrument as their owners would (tests/assessment/firms.py)
are placed where seed 000's definitions put them, with the islands seed 000 implies."""

from pathlib import Path

import pytest

from app.assessment.instrument import parse
from app.assessment.scoring import assess, score_answer
from tests.assessment.firms import FIRMS, Firm

REAL = parse((Path(__file__).resolve().parents[2] / "courses" / "assessment.toml").read_text())

PENDING = {
    # The CRM questions still decide step 4's average (issue 16, point 5).
    "online-shop": "CRM questions decide step 4",
    # The mark of step 7 is not yet an island without A/B testing (issue 16, point 6).
    "ai-without-foundations": "the mark of step 7 is not flagged",
}


def firms():
    return [
        pytest.param(
            firm,
            id=firm.name,
            marks=[pytest.mark.xfail(strict=True, reason=PENDING[firm.name])]
            if firm.name in PENDING
            else [],
        )
        for firm in FIRMS
    ]


@pytest.mark.parametrize("firm", FIRMS, ids=[f.name for f in FIRMS])
def test_every_firm_answers_every_question_in_its_own_terms(firm: Firm):
    assert set(firm.answers) == set(REAL.by_id)
    for question_id, raw in firm.answers.items():
        score_answer(REAL.question(question_id), raw)


@pytest.mark.parametrize("firm", firms())
def test_each_firm_is_placed_where_seed_000_puts_it(firm: Firm):
    result = assess(REAL, firm.answers)
    assert (result.placement, result.islands) == (firm.placement, firm.islands)


def test_the_firms_cover_b2c_and_b2b_micro_to_medium_and_the_whole_ladder():
    placements = {firm.placement for firm in FIRMS}
    assert {1, 3, 4, 5, 6, 7} <= placements
    assert any(firm.islands for firm in FIRMS)
