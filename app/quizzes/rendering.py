"""A question's texts as safe inline HTML, rendered once, when the question is imported.
Pure: no Flask, no database.

Markdown is rendered and any HTML reduced to an allow-list of inline tags; the GIFT
reader's limits on a text's length and on the brackets of Markdown (app.quizzes.gift)
keep the time this takes to milliseconds.
"""

from dataclasses import asdict, dataclass
from typing import Any

import markdown
import nh3
from markupsafe import escape

from app.quizzes.gift import Question

BLANK = "_____"
INLINE_TAGS = {
    "a",
    "abbr",
    "b",
    "br",
    "code",
    "em",
    "i",
    "kbd",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
}
INLINE_ATTRIBUTES = {"a": {"href"}, "abbr": {"title"}}


def render_inline(text: str, fmt: str) -> str:
    """A GIFT text as inline HTML that is safe to show: Markdown rendered, HTML reduced to
    an allow-list of inline tags (paragraphs become line breaks), plain text escaped."""
    if fmt == "plain":
        return str(escape(text)).replace("\n", "<br>")
    if fmt == "markdown":
        html = markdown.markdown(text).replace("</p>\n<p>", "<br><br>")
    else:  # html, and Moodle's auto-format, which keeps line breaks
        html = text if fmt == "html" else text.replace("\n", "<br>")
    return nh3.clean(
        html,
        tags=INLINE_TAGS,
        attributes=INLINE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


@dataclass(frozen=True)
class RenderedQuestion:
    """A question's texts in HTML: as stored beside its source (``asdict``)."""

    text: str  # a missing-word question shows BLANK where the answer goes
    answers: list[str]  # answer texts; for matching, the items
    matches: list[str]  # matching only: each answer's match text
    feedback: list[str]  # each answer's feedback
    general_feedback: str

    def stored(self) -> dict[str, Any]:
        return asdict(self)


def render_question(q: Question) -> RenderedQuestion:
    def own(text: str, fmt: str | None) -> str:
        return render_inline(text, fmt or q.format)

    text = own(q.text, None)
    if q.text_after:
        text = f"{text} {BLANK} {own(q.text_after.strip(), None)}".strip()
    return RenderedQuestion(
        text=text,
        answers=[own(a.text, a.format) for a in q.answers],
        matches=[own(a.match or "", None) for a in q.answers],
        feedback=[own(a.feedback, a.feedback_format) for a in q.answers],
        general_feedback=own(q.general_feedback, q.general_feedback_format),
    )
