"""A company in a real browser: its founder invites a colleague by e-mail, the colleague
joins through the link, and the founder sees their progress on My company."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import register
from tests.conftest import FIXTURE_COURSE, smtp_server


def test_a_founder_invites_a_colleague_who_joins_and_whose_progress_shows(browser, live_server_for):
    with smtp_server() as (mailbox, mail_url):
        base = live_server_for(FIXTURE_COURSE, {"MAIL_URL": mail_url})
        laptop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        manager = laptop.new_page()
        register(manager, base, name="Trần Văn Hùng", email="hung@example.vn")
        nav = manager.get_by_role("navigation", name="Menu chính")
        nav.get_by_role("link", name="Doanh nghiệp của tôi").click()
        expect(manager.get_by_role("heading", level=1)).to_have_text("Bao Bì Phương Nam")
        manager.get_by_label("Địa chỉ email").fill("lan@example.vn")
        manager.get_by_role("button", name="Gửi lời mời").click()
        expect(manager.get_by_text("Đã gửi 1 lời mời.")).to_be_visible()

        (invitation,) = mailbox.to("lan@example.vn")
        assert "Trần Văn Hùng mời bạn gia nhập Bao Bì Phương Nam" in invitation["Subject"]
        text = invitation.get_body(("plain",)).get_content()
        link = re.search(r"http://\S+/join/\S+", text).group(0)

        phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
        colleague = phone.new_page()
        colleague.goto(link)
        expect(colleague.get_by_role("heading", level=1)).to_have_text("Gia nhập Bao Bì Phương Nam")
        expect(colleague.get_by_label("Email")).to_have_value("lan@example.vn")
        colleague.get_by_label("Họ và tên").fill("Nguyễn Thị Lan")
        colleague.get_by_label("Mật khẩu", exact=True).fill("mat-khau-cua-lan")
        colleague.get_by_label("Nhập lại mật khẩu").fill("mat-khau-cua-lan")
        colleague.get_by_role("button", name="Tạo tài khoản và gia nhập").click()
        expect(colleague.get_by_role("heading", name="Xin chào, Nguyễn Thị Lan")).to_be_visible()
        colleague.get_by_role("link", name="Nhập môn").click()
        colleague.get_by_role("link", name="Bài đầu tiên").click()
        colleague.get_by_role("button", name="Đánh dấu đã học xong").click()
        expect(colleague.get_by_text("Bạn đã hoàn thành bài học này.")).to_be_visible()
        assert len(mailbox.to("lan@example.vn")) == 1  # the invitation confirmed the email

        manager.reload()
        row = manager.get_by_role("row", name=re.compile("Nguyễn Thị Lan"))
        expect(row).to_contain_text("thành viên")
        expect(row).to_contain_text("1/3")  # lessons completed
        phone.close()
        laptop.close()
