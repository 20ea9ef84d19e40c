"""The search page: ``/search?q=…`` finds lessons, modules and glossary terms in the
reader's language (a GET form, in the header of every page)."""

from flask import Blueprint, render_template, request

from app.i18n import current_locale
from app.search import services
from app.search.matching import parse_query

bp = Blueprint("search", __name__)

#: a longer query is cut to this many characters
QUERY_LENGTH = 100


@bp.get("/search")
def results():
    locale = current_locale()
    query = parse_query(request.args.get("q", "").strip()[:QUERY_LENGTH], locale)
    found = services.search(query, locale) if query.usable else None
    return render_template("search/results.html", query=query, found=found)
