"""Every kind of page, as each of its users sees it, at 360 px and 1280 px and in both
languages: axe-core (vendored: tests/fixtures/axe.min.js, MPL 2.0) finds no violation,
and nothing scrolls sideways on a phone; the same on a phone set to a dark theme. The
course is the real one, with the demo's company, staff, trainer and administrator."""

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from app import create_app
from app.assessment import services as assessment_services
from app.certificates import codes
from app.certificates.models import Certificate
from app.content.models import Lesson, Module
from app.course import import_files, read
from app.demo import DEMO_PASSWORD, create_demo
from app.extensions import db
from app.quizzes.models import QuizAttempt
from tests.conftest import REPO, TEST_SETTINGS

AXE = (REPO / "tests" / "fixtures" / "axe.min.js").read_text(encoding="utf-8")
SIZES = ((360, 740), (1280, 900))
LANGUAGES = ("vi", "en")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The real course and the demo on a live server; the addresses of its pages by who
    opens them."""
    folder = tmp_path_factory.mktemp("every-page")
    app = create_app(
        {**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'site.sqlite'}"}
    )
    with app.app_context():
        db.create_all()
        files = read(REPO)
        assert not files.problems, files.problems
        import_files(files)
        create_demo()
        db.session.commit()
        module = db.session.scalar(select(Module).order_by(Module.position).limit(1))
        first, second = sorted(module.lessons, key=lambda lesson: lesson.position)[:2]
        lesson_id = db.session.scalar(select(Lesson.id).order_by(Lesson.id).limit(1))
        code = codes.display(db.session.scalar(select(Certificate.code).limit(1)))
        attempt = db.session.scalar(select(QuizAttempt.id).limit(1))
        questionnaire = assessment_services.pages(assessment_services.get_instrument())[0].id
    server = make_server("127.0.0.1", 0, app, threaded=True)
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    m = module.slug
    pages = {
        None: ["/", "/login", "/register", "/glossary", f"/modules/{m}",
               f"/modules/{m}/{first.slug}", "/assessment/", "/verify", f"/verify/{code}",
               "/search?q=chuyen+doi+so"],
        "learner@demo.dxacademy.vn": ["/", "/progress", "/account", "/my-company",
                                      "/assessment/company", f"/modules/{m}/{second.slug}",
                                      f"/modules/{m}/quiz", f"/assessment/page/{questionnaire}"],
        "staff1@demo.dxacademy.vn": ["/certificates", f"/attempts/{attempt}", f"/modules/{m}"],
        "trainer@demo.dxacademy.vn": ["/studio/", f"/studio/lessons/{lesson_id}/vi",
                                      f"/modules/{m}/quiz/analysis", "/styleguide"],
        "admin@demo.dxacademy.vn": ["/admin/", "/admin/users", "/admin/companies",
                                    "/admin/certificates", "/admin/reports"],
    }  # fmt: skip
    yield base, pages
    server.shutdown()


def log_in(page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    page.wait_for_load_state()


def violations(page) -> list[str]:
    page.evaluate(AXE)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}) {v['nodes'][0]['target']}" for v in found]


WHO = [None, "learner@demo.dxacademy.vn", "staff1@demo.dxacademy.vn",
       "trainer@demo.dxacademy.vn", "admin@demo.dxacademy.vn"]  # fmt: skip


@pytest.mark.parametrize("who", WHO)
def test_every_page_is_accessible_and_fits_a_phone(browser, site, who):
    assert check(browser, site, who, LANGUAGES, SIZES, "light") == []


@pytest.mark.parametrize("who", WHO)
def test_every_page_is_accessible_in_the_dark_scheme(browser, site, who):
    """A device set to a dark theme: the same checks on a phone, in Vietnamese."""
    assert check(browser, site, who, ("vi",), SIZES[:1], "dark") == []


def check(browser, site, who, languages, sizes, scheme) -> list[str]:
    base, pages = site
    problems = []
    for lang in languages:
        for width, height in sizes:
            context = browser.new_context(
                viewport={"width": width, "height": height}, color_scheme=scheme
            )
            context.add_cookies([{"name": "locale", "value": lang, "url": base}])
            page = context.new_page()
            if who:
                log_in(page, base, who)
            for path in pages[who]:
                response = page.goto(base + path)
                assert response is not None and response.ok, (path, response and response.status)
                where = f"{path} [{lang}, {width}px, {scheme}]"
                problems += [f"{where} {v}" for v in violations(page)]
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    problems.append(f"{where} scrolls sideways: {scroll}px")
            context.close()
    return problems
