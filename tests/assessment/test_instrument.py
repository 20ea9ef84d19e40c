"""The assessment instrument: the real courses/assessment.toml loads, passes every check
and round-trips byte for byte; `parse` names the line of what it cannot read; `check`
finds each kind of problem at its line; `dump` writes what tomli_w writes."""

import tomllib
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from app.assessment.instrument import (
    DIMENSIONS,
    KINDS,
    LANGUAGES,
    STEPS,
    Band,
    InstrumentError,
    Option,
    QuestionText,
    check,
    dump,
    parse,
    to_dict,
)
from app.content.files import read_course

ROOT = Path(__file__).resolve().parents[2]
PATH = ROOT / "courses" / "assessment.toml"
TEXT = PATH.read_text(encoding="utf-8")
INSTRUMENT = parse(TEXT)
MODULE_ORDER = [m.slug for m in read_course(Path(__file__).resolve().parents[2])[0]]
SLUGS = set(MODULE_ORDER)


def problems_of(text: str, slugs: set[str] = SLUGS) -> list[tuple[int, str]]:
    return check(parse(text), text, slugs)


def line(text: str, number: int) -> str:
    return text.splitlines()[number - 1]


def swap(old: str, new: str, text: str = TEXT, count: int = 1) -> str:
    assert old in text, old
    return text.replace(old, new, count)


# --------------------------------------------------------------------------- the real file


def test_course_folders_are_the_eleven_modules():
    folders = {
        p.name.split("-", 1)[1]
        for p in (ROOT / "courses").iterdir()
        if p.is_dir() and p.name[:2].isdigit()
    }
    assert folders == SLUGS


def test_real_instrument_has_no_problems():
    assert check(INSTRUMENT, TEXT, SLUGS) == []


def test_real_instrument_round_trips_byte_for_byte():
    assert dump(INSTRUMENT) == TEXT
    assert parse(dump(INSTRUMENT)) == INSTRUMENT


def test_real_instrument_is_in_tomli_w_canonical_form():
    assert tomli_w.dumps(tomllib.loads(TEXT)) == TEXT


def test_dump_writes_what_tomli_w_writes_for_the_same_data():
    assert dump(INSTRUMENT) == tomli_w.dumps(to_dict(INSTRUMENT))


def test_real_instrument_has_30_to_45_questions_with_unique_ids():
    ids = [q.id for q in INSTRUMENT.questions]
    assert 30 <= len(ids) <= 45
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("step", STEPS)
def test_every_step_has_at_least_two_scored_gates(step):
    gates = [q for q in INSTRUMENT.questions if q.step == step and q.gate and q.scored]
    assert len(gates) >= 2


@pytest.mark.parametrize("slug", MODULE_ORDER)
def test_every_module_is_taught_by_at_least_two_scored_questions(slug):
    assert sum(slug in q.modules for q in INSTRUMENT.questions if q.scored) >= 2


def test_every_dimension_has_scored_questions():
    counts = Counter(q.dimension for q in INSTRUMENT.questions if q.scored)
    assert set(counts) == set(DIMENSIONS)
    assert min(counts.values()) >= 3


def test_every_kind_is_used():
    assert {q.kind for q in INSTRUMENT.questions} == set(KINDS)


def test_every_question_exists_in_both_languages_in_nfc():
    for question in INSTRUMENT.questions:
        assert set(question.texts) == set(LANGUAGES), question.id
        for text in question.texts.values():
            for value in (text.text, text.gap, text.help, text.unit):
                if value is not None:
                    assert value.strip() and unicodedata.is_normalized("NFC", value)
        for option in question.options:
            assert set(option.labels) == set(LANGUAGES), (question.id, option.id)


def test_vietnamese_texts_carry_diacritics():
    for question in INSTRUMENT.questions:
        vi = question.texts["vi"]
        assert any(ord(c) > 127 for c in vi.text), question.id
        assert any(ord(c) > 127 for c in vi.gap), question.id


def test_english_gaps_read_as_a_clause_after_a_colon():
    for question in INSTRUMENT.questions:
        gap = question.texts["en"].gap
        assert gap[0].islower() and not gap.endswith("."), question.id


@pytest.mark.parametrize(
    ("number", "vi", "en"),
    [
        (1, "Khởi động", "Start"),
        (2, "Lan tỏa", "Radiate"),
        (3, "Kết hợp", "Combine"),
        (4, "Tối ưu hóa", "Optimise"),
        (5, "Tự động hóa", "Automate"),
        (6, "Chuyển hóa", "Transform"),
        (7, "Cải tiến", "Innovate"),
    ],
)
def test_step_names_and_meanings_in_both_languages(number, vi, en):
    step = INSTRUMENT.steps[number - 1]
    assert step.number == number
    assert step.texts["vi"].name == vi
    assert step.texts["en"].name == en
    assert step.texts["vi"].meaning.endswith(".") and step.texts["en"].meaning.endswith(".")


def test_crm_levels_follow_the_four_levels_of_seed_001():
    names = [level.texts["en"].name for level in INSTRUMENT.crm_levels]
    assert names == [
        "Product-based selling",
        "Support services",
        "Detailed customer information and behaviour",
        "Personalisation",
    ]
    assert {q.crm_level for q in INSTRUMENT.questions} == {None, 2, 3, 4}


def test_dimension_labels_and_answer_labels_exist_in_both_languages():
    assert [d.id for d in INSTRUMENT.dimensions] == list(DIMENSIONS)
    choices = INSTRUMENT.choices
    for locale in LANGUAGES:
        assert len(choices.yesno[locale]) == 3
        assert len(choices.scale[locale]) == 6
        assert choices.unknown[locale]
    # A practice may be monthly by nature: the scale asks how regularly, not how daily.
    assert choices.scale["en"][0] == "Not done"
    assert choices.scale["en"][4] == "Regularly"
    assert not any("daily" in label for label in choices.scale["en"])


def test_checklists_offer_the_tools_vietnamese_smes_use():
    labels = " ".join(
        o.labels["en"] for q in INSTRUMENT.questions if q.kind == "checklist" for o in q.options
    )
    for tool in ("Zalo", "Facebook", "Shopee", "Lazada", "TikTok Shop", "MISA", "CRM", "KiotViet"):
        assert tool in labels, tool
    for question in INSTRUMENT.questions:
        if question.kind == "checklist":
            assert 1 <= question.needed <= len(question.options)


def test_number_questions_keep_the_crm_kpis():
    numbers = {q.id: q for q in INSTRUMENT.questions if q.kind == "number"}
    assert {"s3-online-revenue", "s5-response-time", "s3-customer-count"} <= set(numbers)
    assert not numbers["s3-online-revenue"].scored
    assert (numbers["s3-online-revenue"].minimum, numbers["s3-online-revenue"].maximum) == (0, 100)
    response = numbers["s5-response-time"]
    assert response.scored and response.better == "lower"
    assert response.bands[0] == Band(1, 1.0)
    assert not response.gate


def test_the_example_gap_of_the_design_is_in_the_file():
    campaign = INSTRUMENT.question("s4-campaign-cost")
    assert campaign.gate and campaign.step == 4
    assert campaign.texts["en"].gap == "you do not track the cost of each campaign"
    assert campaign.texts["vi"].gap == "bạn chưa theo dõi chi phí của từng chiến dịch"


def test_question_text_falls_back_to_vietnamese():
    question = replace(INSTRUMENT.questions[0], texts={"vi": INSTRUMENT.questions[0].texts["vi"]})
    assert question.text("en") is question.texts["vi"]


# --------------------------------------------------------------------------- parse errors


def test_parse_names_the_line_of_a_toml_syntax_error():
    text = swap('id = "s1-traffic"', 'id = "s1-traffic')
    with pytest.raises(InstrumentError) as caught:
        parse(text)
    assert caught.value.line == TEXT.splitlines().index('id = "s1-traffic"') + 1
    assert str(caught.value).startswith(f"line {caught.value.line}:")


def test_parse_names_the_line_of_a_missing_key():
    text = swap('dimension = "data-analytics"\ngate = false\n', 'dimension = "data-analytics"\n')
    with pytest.raises(InstrumentError, match="missing key 'gate'") as caught:
        parse(text)
    assert line(text, caught.value.line) == "[[questions]]"


def test_parse_names_the_line_of_a_wrong_type():
    text = swap('weight = 2\nkind = "checklist"', 'weight = "heavy"\nkind = "checklist"')
    with pytest.raises(InstrumentError, match="'weight' must be a number") as caught:
        parse(text)
    assert line(text, caught.value.line) == 'weight = "heavy"'


def test_parse_refuses_an_unknown_key_at_its_line():
    text = swap('id = "s1-traffic"\n', 'id = "s1-traffic"\ncolour = "red"\n')
    with pytest.raises(InstrumentError, match="unknown key 'colour'") as caught:
        parse(text)
    assert line(text, caught.value.line) == 'colour = "red"'


def test_parse_refuses_a_language_other_than_vi_and_en():
    text = swap("[questions.en]\n", "[questions.fr]\n")
    with pytest.raises(InstrumentError, match="unknown key 'fr'"):
        parse(text)


def test_parse_refuses_a_file_without_questions():
    with pytest.raises(InstrumentError, match="missing 'questions'"):
        parse(TEXT.split("[[questions]]")[0])


# --------------------------------------------------------------------------- check


@pytest.mark.parametrize(
    ("old", "new", "message", "at"),
    [
        ('    "step-1-start",\n', '    "step-one",\n', "unknown module 'step-one'", '"step-one",'),
        (
            'dimension = "customer-marketing"',
            'dimension = "marketing"',
            "unknown dimension 'marketing'",
            'dimension = "marketing"',
        ),
        ("step = 1\n", "step = 9\n", "step 9 is out of range", "step = 9"),
        ('kind = "yesno"', 'kind = "slider"', "unknown kind 'slider'", 'kind = "slider"'),
        ("weight = 2\n", "weight = 0\n", "weight must be above 0", "weight = 0"),
        ("needed = 2\n", "needed = 9\n", "needs 9 ticked options but has only 7", "needed = 9"),
        (
            'id = "s1-product-info"',
            'id = "s1-channels"',
            "duplicate question id 's1-channels'",
            'id = "s1-channels"',
        ),
        ('id = "s1-traffic"', 'id = "S1 Traffic"', "lower-case letters", 'id = "S1 Traffic"'),
        (
            'gap = "you do not count the visitors to your online channels each month"',
            'gap = ""',
            "s1-traffic: missing translation (en",
            "[questions.en]",
        ),
        (
            "{ limit = 1, score = 1.0 },\n    { limit = 4, score = 0.75 },",
            "{ limit = 4, score = 1.0 },\n    { limit = 1, score = 0.75 },",
            "band limits must be rising",
            "bands = [",
        ),
        ('better = "lower"', 'better = "faster"', "'better' must be", 'better = "faster"'),
        ("crm_level = 2", "crm_level = 7", "crm_level must be 2, 3 or 4", "crm_level = 7"),
        ('id = "zalo-oa"', 'id = "website"', "duplicate option 'website'", 'id = "website"'),
    ],
)
def test_check_reports_each_problem_at_its_line(old, new, message, at):
    text = swap(old, new)
    problems = problems_of(text)
    found = [(n, m) for n, m in problems if message in m]
    assert found, problems
    assert at in line(text, found[0][0])


def test_check_reports_a_step_with_fewer_than_two_gates():
    text = swap(
        'id = "s1-product-info"\nstep = 1\ndimension = "customer-marketing"\ngate = true',
        'id = "s1-product-info"\nstep = 1\ndimension = "customer-marketing"\ngate = false',
    )
    problems = problems_of(text)
    assert any("step 1 has 1 gate(s)" in m for _, m in problems)
    number = next(n for n, m in problems if "step 1 has" in m)
    assert line(text, number) == "[[steps]]"


def test_check_reports_a_module_taught_by_fewer_than_two_questions():
    problems = check(INSTRUMENT, TEXT, SLUGS | {"crm-ai"})
    assert (1, "module crm-ai is taught by 0 question(s), needs at least 2") in problems


def test_check_reports_a_module_taught_once_at_its_only_question():
    text = swap('    "step-7-innovate",\n', '    "step-7-innovate-x",\n', count=-1)
    text = text.replace('    "step-7-innovate-x",\n', '    "step-7-innovate",\n', 1)
    problems = problems_of(text, SLUGS | {"step-7-innovate-x"})
    found = [(n, m) for n, m in problems if "module step-7-innovate is taught by 1" in m]
    assert found and '"step-7-innovate"' in line(text, found[0][0])


def test_check_reports_a_missing_translation_of_a_whole_question():
    question = INSTRUMENT.questions[3]
    broken = replace(INSTRUMENT, questions=(replace(question, texts={"vi": question.texts["vi"]}),))
    assert any(
        f"question {question.id}: missing translation (en" in m for _, m in check(broken, "", SLUGS)
    )


def test_check_reports_text_that_is_not_nfc():
    text = swap("Khởi động", unicodedata.normalize("NFD", "Khởi động"))
    problems = problems_of(text)
    found = [(n, m) for n, m in problems if "NFC" in m]
    assert found and line(text, found[0][0]) == "[[steps]]"


def test_check_reports_help_in_one_language_only():
    question = INSTRUMENT.question("s1-traffic")
    one_sided = replace(
        question, texts={**question.texts, "en": replace(question.texts["en"], help=None)}
    )
    broken = replace(INSTRUMENT, questions=(one_sided,))
    assert any("help text in vi only" in m for _, m in check(broken, "", SLUGS))


def test_check_refuses_options_and_bands_on_the_wrong_kinds():
    question = INSTRUMENT.question("s1-traffic")
    odd = replace(
        question, options=(Option("a", {"vi": "a", "en": "a"}),), needed=1, bands=(Band(1, 1),)
    )
    messages = [m for _, m in check(replace(INSTRUMENT, questions=(odd,)), "", SLUGS)]
    assert any("options are only for checklists" in m for m in messages)
    assert any("'needed' is only for checklists" in m for m in messages)
    assert any("'bands' are only for number questions" in m for m in messages)


def test_check_refuses_an_unscored_gate():
    revenue = replace(INSTRUMENT.question("s3-online-revenue"), gate=True)
    messages = [m for _, m in check(replace(INSTRUMENT, questions=(revenue,)), "", SLUGS)]
    assert any("unscored number question cannot be a gate" in m for m in messages)


def test_check_lists_problems_sorted_by_line():
    text = swap("needed = 2\n", "needed = 9\n")
    text = swap('kind = "scale"', 'kind = "slider"', text)
    problems = problems_of(text, SLUGS | {"zzz"})
    assert problems == sorted(problems)
    assert len(problems) >= 3


# --------------------------------------------------------------------------- round trip


awkward_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40
).map(lambda s: unicodedata.normalize("NFC", s))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_dump_round_trips_any_texts_and_numbers(data):
    index = data.draw(st.integers(0, len(INSTRUMENT.questions) - 1))
    question = INSTRUMENT.questions[index]
    texts = {
        locale: QuestionText(
            text=data.draw(awkward_text),
            gap=data.draw(awkward_text),
            help=data.draw(st.none() | awkward_text),
            unit=data.draw(st.none() | awkward_text),
        )
        for locale in LANGUAGES
    }
    weight = data.draw(st.integers(1, 10) | st.floats(0.05, 10, allow_nan=False))
    changed = replace(question, texts=texts, weight=weight)
    if question.kind == "checklist":
        labels = data.draw(st.lists(awkward_text, min_size=2, max_size=6))
        changed = replace(
            changed,
            options=tuple(
                Option(f"o{i}", {"vi": label, "en": label[::-1]}) for i, label in enumerate(labels)
            ),
        )
    questions = list(INSTRUMENT.questions)
    questions[index] = changed
    instrument = replace(INSTRUMENT, questions=tuple(questions))
    text = dump(instrument)
    assert parse(text) == instrument
    assert dump(parse(text)) == text
    assert tomli_w.dumps(tomllib.loads(text)) == text


def test_ladder_false_is_read_written_and_defaults_to_true():
    assert INSTRUMENT.question("s1-channels").ladder
    crm_use = INSTRUMENT.question("s4-crm-use")
    assert not crm_use.ladder
    text = dump(INSTRUMENT)
    assert text.count("ladder = false\n") == sum(not q.ladder for q in INSTRUMENT.questions)
    assert "ladder = true" not in text


def test_check_reports_a_gate_off_the_ladder():
    text = swap(
        'id = "s1-product-info"\nstep = 1\ndimension = "customer-marketing"\ngate = true\n',
        'id = "s1-product-info"\nstep = 1\ndimension = "customer-marketing"\ngate = true\n'
        "ladder = false\n",
    )
    assert any("a gate is a practice of its step" in m for _, m in problems_of(text))


def test_check_reports_a_mark_that_is_not_a_gate():
    text = swap(
        'id = "s1-traffic"\nstep = 1\ndimension = "data-analytics"\ngate = false\n',
        'id = "s1-traffic"\nstep = 1\ndimension = "data-analytics"\ngate = false\nmark = true\n',
    )
    assert any("the mark of a step must be one of its gates" in m for _, m in problems_of(text))


def test_owners_can_answer_the_wording_cleanly():
    def en(question_id):
        return INSTRUMENT.question(question_id).texts["en"]

    assert "whole" not in en("s1-bulk-messages").text and "agreed" in en("s1-bulk-messages").text
    assert INSTRUMENT.question("s2-content-channels").kind == "yesno"
    assert "channels your customers use" in en("s2-content-channels").text
    assert INSTRUMENT.question("s3-business-tools").needed == 1
    assert "e-invoice" not in INSTRUMENT.question("s3-business-tools").option_ids
    assert "no shop" in en("s6-single-profile").help
    assert "captions with a chatbot does not count" in en("s7-prediction").help
    assert "within hours" in en("s7-speed").text
    assert "price" not in en("s1-product-info").text and "quote" in en("s1-product-info").text


def test_nps_is_never_called_satisfaction():
    for question in INSTRUMENT.questions:
        for text in question.texts.values():
            for value in (text.text, text.gap, text.help or ""):
                if "NPS" in value or "Net Promoter" in value:
                    assert "satisf" not in value and "hài lòng" not in value, question.id
