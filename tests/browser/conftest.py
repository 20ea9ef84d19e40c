"""A live server on loopback and Debian's Chromium driven by Playwright."""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.course import import_files, read
from app.extensions import db
from tests.conftest import TEST_SETTINGS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def start_server(tmp_path: Path, course_root: Path, settings: dict | None = None):
    """Serve a fresh SQLite database holding ``course_root``'s course on a free port;
    ``settings`` override the tests' own."""
    app = create_app(
        {
            **TEST_SETTINGS,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.sqlite'}",
            "WTF_CSRF_ENABLED": True,
            **(settings or {}),
        }
    )
    with app.app_context():
        db.create_all()
        files = read(course_root)
        assert not files.problems, files.problems
        import_files(files)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture
def live_server_for(tmp_path):
    servers = []

    def start(course_root: Path, settings: dict | None = None) -> str:
        server, url = start_server(tmp_path, course_root, settings)
        servers.append(server)
        return url

    yield start
    for server in servers:
        server.shutdown()
    shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.fixture
def phone(browser):
    """A page in a 360 px wide phone-sized viewport."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


def register(page, base: str, *, name="Trần Văn Hùng", email="hung@example.vn",
             company="Bao Bì Phương Nam", sector="manufacturing", size="medium",
             province="TP. Hồ Chí Minh") -> None:  # fmt: skip
    """Create an account with a new company through the Vietnamese registration form."""
    page.goto(base + "/register")
    page.get_by_label("Họ và tên").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu", exact=True).fill("mat-khau-an-toan")
    page.get_by_label("Nhập lại mật khẩu").fill("mat-khau-an-toan")
    page.get_by_label("Đăng ký doanh nghiệp của tôi").check()
    page.get_by_label("Tên doanh nghiệp").fill(company)
    page.get_by_label("Ngành").select_option(sector)
    page.get_by_label("Quy mô").select_option(size)
    page.get_by_label("Tỉnh hoặc thành phố").select_option(province)
    page.get_by_role("button", name="Tạo tài khoản").click()
