"""Hostile input everywhere: every field of every form the site shows, posted with
values no page offers, and every route opened with ids and query values no link holds,
by a visitor and by a trainer (who passes every check a learner does, and more). No
answer is a server error, and a refused request writes nothing."""

import io
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from app.extensions import db
from tests.conftest import sign_in

HOSTILE = [
    "a" * 20_000, "\x00", "ab\x00cd", "\x1b[2J", "\x7f", "\ufeff", "   ", "\t\n ", "",
    "not-offered", "-1", "0", "9" * 400, str(2**63), "1e309", "-1e309", "nan", "inf",
    "²", "١٢", "0x10", "[]", '{"a": 1}', "<script>alert(1)</script>", "' OR 1=1 --",
    "%s%n%x", "../../etc/passwd", "ﬀ" * 50, "🙂" * 100,
]  # fmt: skip
HOSTILE_SEGMENTS = [
    "0", "-1", "00", "2147483648", "99999999999999999999", "abc", "%00", "%FF", "1e3", "١",
    "..", "a" * 300, "%0A", "quiz",
]  # fmt: skip
QUERY_NAMES = ("page", "q", "next", "lang", "locale")
PAGES = [
    "/", "/login", "/register", "/password/forgot", "/account", "/glossary", "/progress",
    "/modules/basics", "/modules/basics/first", "/modules/basics/quiz",
    "/modules/basics/quiz/import", "/assessment/", "/assessment/page/customer-marketing",
    "/assessment/review", "/search",
]  # fmt: skip


class _Forms(HTMLParser):
    """The POST forms of a page: action -> the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, set[str]] = {}
        self._action = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._action = attrs.get("action") or ""
            self.forms.setdefault(self._action, set())
        elif tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            owner = attrs.get("form")
            if self._action is not None and owner is None:
                self.forms[self._action].add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._action = None


def forms_on(client) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for page in PAGES:
        response = client.get(page)
        parser = _Forms()
        parser.feed(response.get_data(as_text=True))
        for action, names in parser.forms.items():
            found.setdefault(action or page, set()).update(names)
    return found


def row_counts(app) -> tuple[int, ...]:
    """How many rows each table holds, in one statement."""
    with app.app_context():
        counts = [
            select(func.count()).select_from(table).scalar_subquery()
            for table in db.metadata.sorted_tables
        ]
        return tuple(db.session.execute(select(*counts)).one())


@pytest.fixture
def signed_in(request, app, world, make_user, make_company, login):
    sign_in(request.param, make_user, make_company, login)
    return request.param


class Checker:
    """Sends requests and notes each server error, and each refusal that wrote."""

    def __init__(self, app):
        self.app = app
        self.failures: list[str] = []
        self.counts = row_counts(app)

    def __call__(self, label, send) -> None:
        status = send().status_code
        counts = row_counts(self.app)
        if status >= 500:
            self.failures.append(f"{label}: {status}")
        elif status >= 400 and counts != self.counts:
            self.failures.append(f"{label}: refused with {status} but wrote")
        self.counts = counts


def posts(action, fields):
    """Each hostile value in every field, then in every field twice; the quiz upload's
    files hold it too; and a body that is not UTF-8."""
    for value in HOSTILE + [[value, value] for value in HOSTILE[:8]]:
        data = {name: value for name in fields}
        if {"vi", "en"} <= set(fields):
            text = value if isinstance(value, str) else value[0]
            data |= {lang: (io.BytesIO(text.encode()), f"x.{lang}.gift") for lang in ("vi", "en")}
        yield f"POST {action} {str(value)[:12]!r}", {"data": data}
    body = "&".join(f"{quote(name)}=%FF%FE%00" for name in fields).encode()
    yield (
        f"POST {action} not UTF-8",
        {
            "data": body,
            "content_type": "application/x-www-form-urlencoded",
        },
    )


@pytest.mark.parametrize("signed_in", ["anonymous", "trainer"], indirect=True)
def test_every_field_of_every_form_with_hostile_values(app, client, signed_in):
    forms = forms_on(client)  # opening some pages writes (a quiz attempt starts)
    forms["/modules/basics/quiz/import/confirm"] = {"token", "keep_going"}  # after a preview
    check = Checker(app)
    for action, names in sorted(forms.items()):
        for label, request in posts(action, sorted(names - {"csrf_token"})):
            check(label, lambda a=action, r=request: client.post(a, **r))
    assert check.failures == []


@pytest.mark.parametrize("signed_in", ["anonymous", "trainer"], indirect=True)
def test_every_route_with_hostile_ids_and_query_values(app, client, signed_in):
    check = Checker(app)
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for segment in HOSTILE_SEGMENTS:
            path = re.sub(r"<[^>]+>", segment, rule.rule)
            for method in methods:
                check(f"{method} {path[:60]}", lambda p=path, m=method: client.open(p, method=m))
        if "GET" in methods and not rule.arguments:
            for value in HOSTILE:
                url = rule.rule + "?" + "&".join(f"{n}={quote(value)}" for n in QUERY_NAMES)
                check(f"GET {url[:60]}", lambda u=url: client.get(u))
    assert check.failures == []
