"""Search's pure core: the words of a text and of a query without case or diacritics, a
lesson's HTML as plain text, the sentence shown with its words marked, and the order of
the results, the words typed with their marks first."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.search.matching import (
    ELLIPSIS,
    Piece,
    index_text,
    mark,
    matches,
    parse_query,
    plain_text,
    rank,
    relevance,
    sentences,
    snippet,
    words,
)

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
LETTERS = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + "0123456789", min_size=1, max_size=8)
TEXTS = st.lists(LETTERS, min_size=1, max_size=12).map(" ".join)


def texts(document: tuple[str, str]) -> tuple[str, str, str, str]:
    """A (title, text) document as ranking reads it."""
    title, text = document
    return title, text, index_text(title), index_text(text)


def strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# -- words -----------------------------------------------------------------------------------


def test_words_are_folded_and_split_at_anything_but_letters_and_digits():
    assert words("Đổi MỚI, số-hóa 4.0 e_commerce") == [
        "doi", "moi", "so", "hoa", "4", "0", "e", "commerce",
    ]  # fmt: skip
    assert index_text("  Chuyển   đổi\nsố! ") == "chuyen doi so"


def test_decomposed_text_has_the_words_of_the_composed_text():
    text = "Khách hàng thân thiết"
    assert words(unicodedata.normalize("NFD", text)) == words(text) == [
        "khach", "hang", "than", "thiet",
    ]  # fmt: skip


@given(TEXTS)
def test_a_text_and_the_same_without_marks_or_case_have_the_same_words(text):
    assert words(text) == words(strip_marks(text).upper()) == words(index_text(text))


@given(TEXTS)
def test_folding_twice_changes_nothing(text):
    assert index_text(index_text(text)) == index_text(text)


# -- queries ---------------------------------------------------------------------------------


def test_a_query_keeps_its_words_as_typed_and_folded():
    query = parse_query("Chuyển đổi số, chuyển đổi KPI", "vi")
    assert query.words == ("chuyen", "doi", "so", "chuyen", "doi", "kpi")
    assert query.typed == ("chuyển", "đổi", "số", "chuyển", "đổi", "kpi")
    assert query.terms == ("chuyen", "doi", "so", "kpi")
    assert query.marked == ("chuyển", "đổi", "số")  # "kpi" has no marks to rank by
    assert query.usable


@pytest.mark.parametrize("text", ["", "   ", "a", "a b c", "!!!", "—", "đ"])
def test_a_query_without_a_word_of_two_letters_is_not_usable(text):
    assert not parse_query(text, "vi").usable


def test_a_query_finds_texts_holding_every_word_without_marks():
    query = parse_query("chuyen doi so", "vi")
    assert matches(query, "Hai ý tóm gọn chuyển đổi số")
    assert matches(query, "SỐ liệu và CHUYỂN ĐỔI")
    assert not matches(query, "chuyển giao")


def test_in_english_a_word_finds_those_it_begins_in_vietnamese_only_itself():
    assert matches(parse_query("customer", "en"), "Lesson one is about customers.")
    assert not matches(parse_query("cu", "en"), "customers")  # too short to begin others
    assert not matches(parse_query("hoa", "vi"), "kế hoạch")
    assert matches(parse_query("hoa", "vi"), "số hóa, số hoá")


# -- a lesson's text -------------------------------------------------------------------------


def test_plain_text_puts_each_block_on_a_line_and_leaves_out_footnote_marks():
    html = (
        "<h2 id='x'>Bạn sẽ làm được gì</h2>\n<ul>\n<li>Một <strong>điều</strong>.</li>\n"
        "<li>Hai&nbsp;điều &amp; ba.</li>\n</ul>\n<p>Câu<sup id='r'><a href='#fn'>1</a></sup>"
        " cuối.<br>Dòng mới.</p>\n<table>\n<thead>\n<tr>\n<th>Cột</th>\n<th>Giá trị</th>\n"
        "</tr>\n</thead>\n<tbody>\n<tr>\n<td>A</td>\n<td>1</td>\n</tr>\n</tbody>\n</table>\n"
        "<div class='footnote'><hr><ol><li id='fn'><p>Ghi chú.&#160;"
        "<a class='footnote-backref' href='#r'>↩</a></p></li></ol></div>"
    )
    assert plain_text(html).split("\n") == [
        "Bạn sẽ làm được gì", "Một điều.", "Hai điều & ba.", "Câu cuối.", "Dòng mới.",
        "Cột · Giá trị", "A · 1", "Ghi chú.",
    ]  # fmt: skip


def test_sentences_end_at_stops_and_line_ends():
    assert sentences("Một câu. Câu hai! Ba?\nBốn… năm") == [
        "Một câu.", "Câu hai!", "Ba?", "Bốn…", "năm",
    ]  # fmt: skip


# -- snippets --------------------------------------------------------------------------------


def test_the_words_found_are_marked_a_run_of_them_together():
    query = parse_query("khach hang", "vi")
    assert mark("Nội dung về khách hàng, và Khách.", query) == (
        Piece("Nội dung về "), Piece("khách hàng", True), Piece(", và "), Piece("Khách", True),
        Piece("."),
    )  # fmt: skip


def test_the_snippet_is_the_sentence_holding_most_words_of_the_query():
    text = "Số liệu đầu tiên. Chuyển đổi mới.\nAi cũng nói về chuyển đổi số, nhưng ít ai làm."
    shown = snippet(text, parse_query("chuyển đổi số", "vi"))
    assert "".join(piece.text for piece in shown) == (
        "Ai cũng nói về chuyển đổi số, nhưng ít ai làm."
    )
    assert [piece.text for piece in shown if piece.marked] == ["chuyển đổi số"]


def test_of_two_sentences_the_one_with_the_words_as_typed_is_shown():
    text = "Hoa nở sớm. Số hóa từng bước."
    assert [p.text for p in snippet(text, parse_query("hóa", "vi")) if p.marked] == ["hóa"]
    assert [p.text for p in snippet(text, parse_query("hoa", "vi")) if p.marked] == ["Hoa"]


def test_a_long_sentence_is_cut_around_its_first_word_found():
    text = " ".join(["trước"] * 80 + ["khách", "hàng"] + ["sau"] * 80) + "."
    shown = snippet(text, parse_query("khách hàng", "vi"), length=100)
    joined = "".join(piece.text for piece in shown)
    assert joined.startswith(ELLIPSIS) and joined.endswith(ELLIPSIS)
    assert len(joined) <= 102 and "khách hàng" in joined
    assert joined.strip(ELLIPSIS) in text


def test_without_a_sentence_that_matches_the_first_is_shown_unmarked():
    assert snippet("Cột · Giá trị\nA · 1", parse_query("bài", "vi")) == (Piece("Cột · Giá trị"),)
    assert snippet("", parse_query("bài", "vi")) == ()


@given(TEXTS, TEXTS)
def test_marking_keeps_the_text_and_marks_only_words_the_query_finds(text, typed):
    query = parse_query(typed, "vi")
    pieces = mark(text, query)
    assert "".join(piece.text for piece in pieces) == text
    for piece in pieces:
        if piece.marked:
            assert all(word in query.terms for word in words(piece.text))
        else:
            assert not any(word in query.terms for word in words(piece.text))


@given(TEXTS, TEXTS)
def test_a_snippet_is_part_of_the_text_and_marked_when_the_text_matches(text, typed):
    query = parse_query(typed, "vi")
    shown = "".join(piece.text for piece in snippet(text, query))
    assert shown.strip(ELLIPSIS) in text
    if any(word in query.terms for word in words(text)):
        assert any(piece.marked for piece in snippet(text, query))


# -- ranking ---------------------------------------------------------------------------------


def test_documents_with_the_words_as_typed_come_before_those_that_match_once_folded():
    documents = [
        ("Số liệu", "Hoa và quả, số hoa"),  # matches "số hóa" only once folded
        ("Bài hai", "Bước đầu của số hóa"),  # holds it as typed
        ("Số hóa", "Tóm tắt"),  # as typed, and in its title
    ]
    ranked = rank(parse_query("số hóa", "vi"), documents, texts)
    assert [title for title, _text in ranked] == ["Số hóa", "Bài hai", "Số liệu"]


def test_documents_holding_the_words_together_come_before_those_holding_them_apart():
    documents = [
        ("Theo dõi", "Chuyển hướng. Số liệu đổi mới."),
        ("Bài một", "Ai cũng nói về chuyển đổi số."),
        ("Bài hai", "Chuyển đội số"),  # together, but not as typed
    ]
    ranked = rank(parse_query("chuyen doi so", "vi"), documents, texts)
    assert [title for title, _text in ranked] == ["Bài một", "Bài hai", "Theo dõi"]
    ranked = rank(parse_query("chuyển đổi số", "vi"), documents, texts)
    assert [title for title, _text in ranked] == ["Bài một", "Theo dõi", "Bài hai"]


def test_a_query_without_marks_keeps_the_databases_order_but_for_titles():
    documents = [("Một", "chuyển đổi số"), ("Chuyển đổi số", "..."), ("Hai", "chuyển đổi số")]
    ranked = rank(parse_query("chuyen doi so", "vi"), documents, texts)
    assert [title for title, _text in ranked] == ["Chuyển đổi số", "Một", "Hai"]


@given(st.lists(st.tuples(TEXTS, TEXTS), max_size=8), TEXTS)
def test_ranking_reorders_and_puts_more_exact_words_first(documents, typed):
    query = parse_query(typed, "vi")
    ranked = rank(query, documents, texts)
    assert sorted(ranked) == sorted(documents)
    scores = [relevance(query, *document) for document in ranked]
    assert scores == sorted(scores, reverse=True)
