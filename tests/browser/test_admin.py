"""The administration in a real browser: an administrator imports ten learners in two
companies (a wrong row fixed and the file checked again), finds them in the users list,
and opens the completion report with its chart, on a laptop and on a phone."""

import re

from playwright.sync_api import expect

from app import create_app
from app.auth.services import create_user
from app.extensions import db
from tests.conftest import FIXTURE_COURSE, TEST_SETTINGS

PEOPLE = [("Nguyễn Văn", "An"), ("Trần Thị", "Bình"), ("Lê Minh", "Châu"), ("Phạm Thu", "Dung"),
          ("Hoàng Quốc", "Giang"), ("Vũ Ngọc", "Hà"), ("Đặng Hữu", "Hùng"), ("Bùi Thanh", "Lan"),
          ("Đỗ Thị", "Mai"), ("Hồ Văn", "Nam")]  # fmt: skip


def learners_file(province_of_the_seventh: str) -> bytes:
    lines = ["lastname;firstname;email;lang;company;province;sector;size_band"]
    for n, (last, first) in enumerate(PEOPLE):
        company, province = (
            ("Gốm Bát Tràng", "Hà Nội") if n < 5 else ("Cà phê Cao Nguyên", "Lâm Đồng")
        )
        if n == 6:
            province = province_of_the_seventh
        lines.append(f"{last};{first};hv{n}@example.vn;vi;{company};{province};food;small")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_an_administrator_imports_learners_and_reads_the_completion_report(
    browser, live_server_for, tmp_path
):
    base = live_server_for(FIXTURE_COURSE)
    database = f"sqlite:///{tmp_path / 'live.sqlite'}"  # the live server's
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": database})
    with app.app_context():
        create_user(email="admin@example.vn", name="Quản trị", password="mat-khau-quan-tri",
                    role="admin")  # fmt: skip
        db.session.commit()
    for viewport in ({"width": 1280, "height": 900}, {"width": 360, "height": 740}):
        context = browser.new_context(viewport=viewport, locale="vi-VN")
        page = context.new_page()
        page.goto(base + "/login")
        page.get_by_label("Email").fill("admin@example.vn")
        page.get_by_label("Mật khẩu").fill("mat-khau-quan-tri")
        page.get_by_role("button", name="Đăng nhập").click()
        page.goto(base + "/admin/")
        if viewport["width"] == 1280:
            import_with_one_row_fixed(page)
        admin_nav = page.get_by_role("navigation", name="Quản trị")
        admin_nav.get_by_role("link", name="Người dùng").click()
        expect(page.get_by_role("link", name="Hồ Văn Nam")).to_be_visible()
        page.get_by_label("Tên hoặc email").fill("dang huu hung")  # without accents
        page.get_by_role("button", name="Tìm", exact=True).click()
        expect(page.get_by_role("link", name="Đặng Hữu Hùng")).to_be_visible()
        expect(page.get_by_role("link", name="Hồ Văn Nam")).to_have_count(0)
        admin_nav = page.get_by_role("navigation", name="Quản trị")
        admin_nav.get_by_role("link", name="Báo cáo").click()
        page.get_by_label("Nhóm theo").select_option("company")
        page.get_by_role("button", name="Xem").click()
        chart = page.locator("svg.chart")
        expect(chart).to_be_visible()
        expect(chart).to_contain_text("Gốm Bát Tràng")
        rows = page.locator("table.report-table tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.filter(has_text="Cà phê Cao Nguyên")).to_contain_text("5")
        context.close()


def import_with_one_row_fixed(page) -> None:
    admin_nav = page.get_by_role("navigation", name="Quản trị")
    admin_nav.get_by_role("link", name="Nhập danh sách").click()
    upload = page.get_by_label("Tệp danh sách người học (CSV hoặc XLSX)")
    upload.set_input_files({"name": "hoc-vien.csv", "mimeType": "text/csv",
                            "buffer": learners_file("Sao Hỏa")})  # fmt: skip
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_text(re.compile(r"dòng 8, province:"))).to_be_visible()
    expect(page.locator("#import-submit")).to_have_count(0)
    upload = page.get_by_label("Tệp danh sách người học (CSV hoặc XLSX)")
    upload.set_input_files({"name": "hoc-vien.csv", "mimeType": "text/csv",
                            "buffer": learners_file("Lâm Đồng")})  # fmt: skip
    page.get_by_role("button", name="Kiểm tra tệp").click()
    page.locator("#import-submit").click()
    expect(page.get_by_text("Đã nhập: created 10, updated 0, skipped 0, errors 0.")).to_be_visible()
