"""Which entry of the main menu the current page belongs to, so that the menu can mark
it (aria-current). Pages outside the menu belong to none."""

from flask import Flask, request

#: endpoint, or blueprint, -> the menu entry
SECTIONS = {
    "learn.glossary": "glossary",
    "learn.progress": "progress",
    "certificates.mine": "certificates",
    "home": "courses",
    "learn": "courses",
    "quizzes": "courses",
    "companies": "company",
    "auth.account": "account",
    "auth.login": "login",
    "auth.register": "register",
    "studio": "studio",
    "admin": "admin",
}


def section() -> str | None:
    endpoint = request.endpoint or ""
    return SECTIONS.get(endpoint) or SECTIONS.get(endpoint.partition(".")[0])


def init_app(app: Flask) -> None:
    app.add_template_global(section, "nav_section")
