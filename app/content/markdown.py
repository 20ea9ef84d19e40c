"""Lesson Markdown to sanitised HTML. Pure: no Flask, no database.

Markdown is rendered once, when a lesson is imported or saved, and the sanitised HTML is
stored; pages serve it as it is. Whatever a trainer writes goes through the allow-list
below, so no script, event handler, ``javascript:``/``data:`` URL, iframe, object, form or
style attribute can reach a learner's browser.
"""

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify
from markdown.treeprocessors import Treeprocessor

from app.languages import N_


def slug_of_heading(value: str, separator: str) -> str:
    """An ASCII anchor for a heading: Vietnamese diacritics folded ("Bạn sẽ" -> "ban-se")."""
    folded = unicodedata.normalize("NFKD", value.replace("đ", "d").replace("Đ", "D"))
    return slugify("".join(c for c in folded if not unicodedata.combining(c)), separator)


EXTENSIONS = ["tables", "fenced_code", "footnotes", "toc", "sane_lists"]
EXTENSION_CONFIGS: dict[str, dict[str, object]] = {
    "toc": {"permalink": False, "slugify": slug_of_heading},
    "footnotes": {"BACKLINK_TEXT": "↩", "BACKLINK_TITLE": "↩ %d"},
}

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title"},
    "a": {"href", "class"},
    "abbr": {"title"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
    "div": {"class"},
    "li": {"class"},
    "ol": {"start"},
    "sup": {"class"},
    "code": {"class"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_TASK_ITEM = re.compile(r"<li>\[[ xX]\]\s*")
_TITLE = re.compile(r"\A\s*#\s+(?P<title>.+?)\s*#*\s*$", re.MULTILINE)


#: where a lesson's Markdown finds its module's images and files: ``media/<name>``, as in
#: the course's files (courses/NN-slug/media/)
MEDIA_PREFIX = "media/"
_MEDIA_REFERENCE = re.compile(r"\]\(\s*<?media/(?P<name>[^\s)>]+)")
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(")
#: where an image may come from: the platform's media, or the web
_IMAGE_SOURCE = re.compile(r"^(/media/\d+/|https?://)", re.IGNORECASE)
#: how wide an image is shown at most in a lesson, in CSS pixels (the lesson column)
SHOWN_WIDTH = 720


@dataclass(frozen=True)
class MediaLink:
    """One of a module's media as a lesson links to it: its URL, and for an image its
    size and the URL of its phone-sized copy (None: the image is small enough)."""

    url: str
    width: int | None = None
    height: int | None = None
    phone_url: str | None = None
    phone_width: int | None = None


@dataclass(frozen=True)
class Rendered:
    title: str
    html: str


def _allowed_source(element: str, attribute: str, value: str) -> str | None:
    """An image's source (each of a srcset's too) from the platform's media or the web
    only: no relative path, no ``data:``."""
    if element == "img" and attribute == "src":
        return value if _IMAGE_SOURCE.match(value) else None
    if element == "img" and attribute == "srcset":
        candidates = [part.strip() for part in value.split(",")]
        return value if all(_IMAGE_SOURCE.match(c) for c in candidates) else None
    return value


def sanitise(html: str) -> str:
    """Keep only allow-listed tags, attributes and URL schemes; drop everything else,
    including the contents of script, style, iframe, object and form elements."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "form", "template"},
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_allowed_source,
    )


class _MediaLinks(Treeprocessor):
    """``media/<name>`` in an image or a link becomes the URL of the module's media; an
    image gets its size (no layout shift when it arrives), its phone-sized copy and lazy
    loading."""

    def __init__(self, md: markdown.Markdown, media: Mapping[str, MediaLink]) -> None:
        super().__init__(md)
        self.media = media

    def run(self, root: Element) -> None:
        for element in root.iter("a"):
            link = self.media.get(element.get("href", "").removeprefix(MEDIA_PREFIX))
            if element.get("href", "").startswith(MEDIA_PREFIX) and link is not None:
                element.set("href", link.url)
        for element in root.iter("img"):
            element.set("loading", "lazy")
            element.set("decoding", "async")
            src = element.get("src", "")
            link = self.media.get(src.removeprefix(MEDIA_PREFIX))
            if not src.startswith(MEDIA_PREFIX) or link is None:
                continue
            element.set("src", link.url)
            if link.width and link.height:
                element.set("width", str(link.width))
                element.set("height", str(link.height))
            if link.phone_url and link.phone_width and link.width:
                element.set("srcset", f"{link.phone_url} {link.phone_width}w, "
                                      f"{link.url} {link.width}w")  # fmt: skip
                element.set("sizes", f"(max-width: {SHOWN_WIDTH}px) 100vw, {SHOWN_WIDTH}px")


class _MediaExtension(Extension):
    def __init__(self, media: Mapping[str, MediaLink]) -> None:
        super().__init__()
        self.media = media

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's name
        md.treeprocessors.register(_MediaLinks(md, self.media), "media", 1)


#: elements whose content the sanitiser drops, or that swallow the rest of the page as
#: raw text when left open: a lesson holds none, so nothing written vanishes unseen
SWALLOWING = (
    "script", "style", "iframe", "object", "embed", "form", "template", "textarea",
    "title", "noscript", "noembed", "noframes", "xmp", "plaintext", "select",
)  # fmt: skip
_SWALLOWING = re.compile(rf"<\s*({'|'.join(SWALLOWING)})\b", re.IGNORECASE)
_CODE = re.compile(r"(`+)(?:.|\n)*?\1|^ {0,3}(```|~~~).*?^ {0,3}\2", re.MULTILINE | re.DOTALL)


#: the longest lesson, in characters, and the most "[" and "<" it may hold together:
#: Python-Markdown's time grows with the square of those, and this keeps a lesson's
#: rendering to a fraction of a second
MAX_LESSON = 100_000
MAX_BRACKETS = 500


@dataclass(frozen=True)
class LessonProblem:
    """Something in a lesson's text to fix before it is saved: its line, and the message
    as a template (marked for the catalogue) and its placeholders, so that the studio
    shows it in the trainer's language and the command line in English."""

    line: int
    template: str
    params: dict[str, object]

    @property
    def text(self) -> str:
        return self.template % self.params


#: the longest title a lesson may have (what its column holds)
MAX_TITLE = 200
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def lesson_problems(source: str, media: Collection[str] | None = None) -> list[LessonProblem]:
    """Every problem of a lesson's text that the course check reports: no title on its
    first line, markup that would lose text or take long to render, an image without a
    text for those who cannot see it, and, given the names of the module's ``media``, a
    ``media/`` reference to a file the module does not have."""
    problems = []
    title = title_of(source)
    if title is None:
        problems.append(
            LessonProblem(1, N_("the first line must be the lesson title as '# Title'"), {})
        )
    elif len(title) > MAX_TITLE:
        problems.append(LessonProblem(
            1, N_("the title is longer than %(max)s characters: shorten it"), {"max": MAX_TITLE}
        ))  # fmt: skip
    problems += _markup(source)
    if len(source) > MAX_LESSON or problems:
        return problems
    prose = _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)
    for found in _IMAGE.finditer(prose):
        if not found.group("alt").strip():
            line = prose.count("\n", 0, found.start()) + 1
            problems.append(LessonProblem(
                line, N_("an image needs a text for those who cannot see it, between the "
                         "brackets: ![what it shows](…)"), {},
            ))  # fmt: skip
    lines = prose.split("\n")
    for number, (header, rule) in enumerate(zip(lines, lines[1:], strict=False), 1):
        if _TABLE_RULE.match(rule) and header.lstrip().startswith("|"):
            cells = header.strip().strip("|").split("|")
            if any(not cell.strip() for cell in cells):
                problems.append(LessonProblem(
                    number, N_("a table's heading cell is empty: name the column, since "
                               "screen readers read each cell with its heading"), {},
                ))  # fmt: skip
    for found in _MEDIA_REFERENCE.finditer(prose) if media is not None else ():
        if found.group("name") not in (media or ()):
            line = prose.count("\n", 0, found.start()) + 1
            problems.append(LessonProblem(
                line, N_("the module has no file %(name)s: upload it, or correct the name"),
                {"name": MEDIA_PREFIX + found.group("name")},
            ))  # fmt: skip
    return problems


def markup_problems(source: str) -> list[tuple[int, str]]:
    """(line, message) of _markup's problems, in English."""
    return [(problem.line, problem.text) for problem in _markup(source)]


def _markup(source: str) -> list[LessonProblem]:
    """What would make a lesson lose text or take long to render: an element of
    SWALLOWING, a comment that is never closed (code spans and fenced code are shown as
    written and are left alone), too long a text, too many brackets."""
    if len(source) > MAX_LESSON:
        return [LessonProblem(1, N_("the lesson is longer than %(n)s characters: split it in two"),
                              {"n": MAX_LESSON})]  # fmt: skip
    brackets = source.count("[") + source.count("<")
    if brackets > MAX_BRACKETS:
        return [LessonProblem(1, N_("the lesson holds %(n)s '[' and '<' (at most %(most)s): "
                                    "write fewer links and tags, or split it"),
                              {"n": brackets, "most": MAX_BRACKETS})]  # fmt: skip
    prose = _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)
    problems = []
    for found in _SWALLOWING.finditer(prose):
        line = prose.count("\n", 0, found.start()) + 1
        problems.append(LessonProblem(
            line, N_("%(tag)s is not allowed in a lesson: what follows it would be dropped"),
            {"tag": f"<{found.group(1).lower()}>"},  # a parameter, so that a page escapes it
        ))  # fmt: skip
    comment = prose.rfind("<!--")
    if comment >= 0 and "-->" not in prose[comment:]:
        line = prose.count("\n", 0, comment) + 1
        problems.append(LessonProblem(
            line, N_("a comment %(opening)s that is never closed hides the rest of the lesson"),
            {"opening": "<!--"},
        ))  # fmt: skip
    return problems


def title_of(source: str) -> str | None:
    """The text of the first-line ``# `` heading, or None when the lesson has none."""
    match = _TITLE.match(source)
    return match.group("title") if match else None


def render(source: str, media: Mapping[str, MediaLink] | None = None) -> Rendered:
    """Render a lesson: its title from the first ``# `` heading, and the sanitised HTML of
    the rest (tables, heading anchors, fenced code, footnotes, images). ``media``: the
    module's media by name, which ``media/<name>`` in an image or a link stands for; an
    image from anywhere else than these or the web is left without a source."""
    title = title_of(source) or ""
    body = _TITLE.sub("", source, count=1) if title else source
    extensions: list[str | Extension] = [*EXTENSIONS, _MediaExtension(media or {})]
    html = markdown.markdown(body, extensions=extensions, extension_configs=EXTENSION_CONFIGS)
    html = _TASK_ITEM.sub('<li class="task">', html)  # "- [ ] item": a checklist line
    # a wide table scrolls sideways within its box on a phone; the box takes keyboard
    # focus, so that it can be scrolled without a mouse
    html = sanitise(html).replace("<table>", '<div class="table-scroll" tabindex="0"><table>')
    return Rendered(title=title, html=html.replace("</table>", "</table></div>"))
