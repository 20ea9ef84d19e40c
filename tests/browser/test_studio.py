"""The studio in a real browser: a trainer uploads an image with its alt texts, edits a
lesson in Vietnamese with the live preview, inserts the image from the toolbar, saves a
draft (a learner still reads the old text), publishes it (the learner reads the new text
and sees the image on a phone), and the English text shows as out of date; then the same
without JavaScript, with the Preview button and the Markdown typed by hand."""

import io
import re

from PIL import Image
from playwright.sync_api import expect

from app import create_app
from app.auth.services import create_user
from app.extensions import db
from tests.browser.conftest import register
from tests.conftest import FIXTURE_COURSE, TEST_SETTINGS

NEW_LINE = "Một câu mới viết trong xưởng soạn bài."


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_trainer_edits_previews_and_publishes_a_lesson(browser, live_server_for, tmp_path):
    base = live_server_for(FIXTURE_COURSE)
    database = f"sqlite:///{tmp_path / 'live.sqlite'}"  # the live server's
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": database})
    with app.app_context():
        create_user(email="gv@example.vn", name="Giảng viên Hà", password="mat-khau-giang-vien",
                    role="trainer")  # fmt: skip
        db.session.commit()
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    learner = phone.new_page()
    register(learner, base, name="Lê Thu", email="thu@example.vn")
    learner.goto(base + "/modules/basics/first")
    expect(learner.get_by_text(NEW_LINE)).to_have_count(0)

    picture = io.BytesIO()
    Image.new("RGB", (1200, 600), (30, 120, 200)).save(picture, "PNG")
    for javascript in (True, False):
        laptop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN",
                                     java_script_enabled=javascript)  # fmt: skip
        trainer = laptop.new_page()
        sign_in(trainer, base, "gv@example.vn", "mat-khau-giang-vien")
        trainer.get_by_role("navigation", name="Menu chính").get_by_role(
            "link", name="Xưởng soạn bài").click()  # fmt: skip
        trainer.get_by_role("link", name=re.compile(r"Bài đầu tiên \(tiếng Việt\)")).click()
        name = "doanh-thu-js.png" if javascript else "doanh-thu-html.png"
        alt = f"Biểu đồ doanh thu ({'JS' if javascript else 'HTML'})"
        editor = trainer.url
        trainer.get_by_role("link", name="Tải lên ảnh hoặc tệp").click()
        trainer.get_by_label("Tệp", exact=True).set_input_files(
            {"name": name, "mimeType": "image/png", "buffer": picture.getvalue()}
        )
        trainer.get_by_label("Với ảnh: ảnh thể hiện gì, bằng tiếng Việt").fill(alt)
        trainer.get_by_label("Với ảnh: ảnh thể hiện gì, bằng tiếng Anh").fill("Revenue chart")
        trainer.get_by_role("button", name="Tải lên").click()
        expect(trainer.get_by_text(f"Đã tải lên {name}")).to_be_visible()
        trainer.goto(editor)
        line = f"{NEW_LINE} ({'JS' if javascript else 'HTML'})"
        text = trainer.get_by_label("Nội dung (Markdown)")
        text.fill(text.input_value() + f"\n{line}\n\n")
        if javascript:
            trainer.get_by_role("toolbar").get_by_role("button", name="Ảnh hoặc tệp").click()
            trainer.locator(f'button[data-insert*="{name}"]').click()
            expect(trainer.locator("#live-preview")).to_contain_text(line)
            expect(trainer.locator(f'#live-preview img[alt="{alt}"]')).to_be_visible()
        else:
            expect(trainer.get_by_role("toolbar")).to_be_hidden()
            text.fill(text.input_value() + f"![{alt}](media/{name})\n")
            trainer.get_by_role("button", name="Xem trước").click()
            expect(trainer.locator(".studio-preview")).to_contain_text(line)
            expect(trainer.locator(f'.studio-preview img[alt="{alt}"]')).to_be_visible()
        trainer.get_by_role("button", name="Lưu bản nháp").click()
        expect(trainer.get_by_text("Đã lưu bản nháp")).to_be_visible()
        learner.reload()
        expect(learner.get_by_text(line)).to_have_count(0)
        trainer.get_by_role("button", name="Xuất bản bản nháp này").click()
        expect(trainer.get_by_text("Đã xuất bản")).to_be_visible()
        learner.reload()
        expect(learner.get_by_text(line)).to_be_visible()
        image = learner.get_by_role("img", name=alt)
        expect(image).to_be_visible()
        assert learner.evaluate("() => document.documentElement.scrollWidth") <= 360
        assert image.evaluate("img => img.naturalWidth") > 0
        trainer.get_by_role("link", name="Xưởng soạn bài").first.click()
        row = trainer.get_by_role("row", name="1. Bài đầu tiên")
        expect(row).to_contain_text("chưa cập nhật")
        laptop.close()
    phone.close()
