"""Certificates in a real browser: a learner on a phone completes a short module, sees
the completion moment, downloads the PDF and opens the verify page from the
certificate's address, which says it is valid; an administrator revokes it from the
administration's pages, and the same page then says it is revoked."""

from playwright.sync_api import expect

from app import create_app
from app.auth.services import create_user
from app.db_types import utcnow
from app.extensions import db
from tests.conftest import FIXTURE_COURSE, TEST_SETTINGS


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_learner_earns_shows_and_loses_a_certificate(browser, live_server_for, tmp_path):
    settings = {"CERTIFICATE_KEYS_DIR": str(tmp_path / "keys")}
    base = live_server_for(FIXTURE_COURSE, settings)
    database = f"sqlite:///{tmp_path / 'live.sqlite'}"  # the live server's
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": database, **settings})
    with app.app_context():
        for email, name, role in (("lan@example.vn", "Nguyễn Thị Lan", "learner"),
                                  ("admin@example.vn", "Lê Quốc Bảo", "admin")):  # fmt: skip
            user = create_user(email=email, name=name, password="mat-khau-an-toan", role=role)
            user.locale, user.email_confirmed_at = "en", utcnow()
        db.session.commit()

    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    learner = phone.new_page()
    sign_in(learner, base, "lan@example.vn", "mat-khau-an-toan")
    learner.goto(base + "/modules/next")
    expect(learner.get_by_text("You have completed this module")).to_have_count(0)
    learner.get_by_role("link", name="Only").click()
    learner.get_by_role("button", name="Mark as complete").click()
    learner.goto(base + "/modules/next/quiz")
    learner.get_by_label("Getting online").check()
    learner.get_by_label("True").check()
    learner.get_by_label("Your answer").fill("OA")
    learner.get_by_role("button", name="Submit answers").click()
    learner.goto(base + "/modules/next")

    moment = learner.locator("section.completion")
    expect(moment.get_by_role("heading", name="You have completed this module")).to_be_visible()
    expect(learner.get_by_role("link", name="Review your result")).to_be_visible()
    assert learner.evaluate("document.documentElement.scrollWidth") <= 360
    pdf_link = moment.get_by_role("link", name="Download the certificate (PDF)")
    expect(pdf_link).to_be_visible()
    pdf = learner.request.get(base + pdf_link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    verify_url = moment.get_by_role("link", name="Its public verify page").get_attribute("href")
    visitor = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    anyone = visitor.new_page()
    anyone.goto(verify_url)
    expect(anyone.get_by_text("Nguyễn Thị Lan")).to_be_visible()
    expect(anyone.get_by_role("status")).to_contain_text("Valid")

    laptop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    admin = laptop.new_page()
    sign_in(admin, base, "admin@example.vn", "mat-khau-an-toan")
    admin.goto(base + "/admin/")
    admin.get_by_role("navigation", name="Administration").get_by_role(
        "link", name="Certificates").click()  # fmt: skip
    admin.get_by_role("link", name="Nguyễn Thị Lan").click()
    admin.get_by_label("Reason").fill("The quiz was taken by someone else")
    admin.get_by_role("button", name="Revoke the certificate").click()
    expect(admin.get_by_text("revoked.")).to_be_visible()

    anyone.goto(verify_url)
    expect(anyone.get_by_role("status")).to_contain_text("Revoked on")
    expect(anyone.get_by_text("The quiz was taken by someone else")).to_be_visible()
    for context in (phone, visitor, laptop):
        context.close()
