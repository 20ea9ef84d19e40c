"""The rules a new password meets, each with its own message in both languages."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.auth.passwords import (
    COMMON,
    MAX_LENGTH,
    MIN_LENGTH,
    ONLY_SPACES,
    PERSONAL,
    TOO_LONG,
    TOO_SHORT,
    common_passwords,
    password_problem,
)
from tests.test_auth import NEW_COMPANY, errors_in

EMAIL, NAME = "lan.nguyen@songhan.vn", "Nguyễn Thị Lan"


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("short", TOO_SHORT),
        (" " * 8, ONLY_SPACES),
        ("12345678", COMMON),
        ("PassWord", COMMON),
        ("matkhau123", COMMON),
        ("x" * (MAX_LENGTH + 1), TOO_LONG),
        (EMAIL, PERSONAL),
        (EMAIL.upper(), PERSONAL),
        ("lan.nguyen", PERSONAL),
        ("nguyễn thị lan", PERSONAL),
        ("NguyễnThịLan", PERSONAL),
    ],
)
def test_each_broken_rule_is_named(password, rule):
    problem = password_problem(password, EMAIL, NAME)
    assert problem is not None and problem[0] == rule


def test_the_list_holds_the_ten_thousand_and_the_vietnamese_ones():
    assert len(common_passwords()) >= 10_000
    assert {"123456789", "qwertyuiop", "iloveyou", "anhyeuem"} <= common_passwords()


@given(st.text(min_size=MIN_LENGTH, max_size=MAX_LENGTH))
def test_a_password_the_rules_accept_is_long_enough_uncommon_and_not_personal(password):
    if password_problem(password, EMAIL, NAME) is None:
        assert MIN_LENGTH <= len(password) <= MAX_LENGTH and password.strip()
        assert password.casefold().strip() not in common_passwords()
        assert password.casefold() != EMAIL


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("12345678", "Đây là một trong những mật khẩu phổ biến nhất"),
        (" " * 10, "Mật khẩu không thể chỉ gồm dấu cách."),
        ("x" * 201, "Hãy dùng tối đa 128 ký tự."),
        ("tuan@caphesonghan.vn", "Mật khẩu không được trùng với email hoặc tên của bạn."),
        ("Phạm Minh Tuấn", "Mật khẩu không được trùng với email hoặc tên của bạn."),
    ],
)
def test_registration_shows_the_rule_next_to_the_field(client, password, message):
    data = {**NEW_COMPANY, "password": password, "confirm": password}
    response = client.post("/register", data=data)
    assert response.status_code == 400
    assert ("password", message) in [
        (field, text[: len(message)]) for field, text in errors_in(response.get_data(as_text=True))
    ]


def test_a_new_password_meets_the_rules_too(client, make_user, login):
    user = login(make_user())
    data = {
        "current_password": "correct horse battery",
        "new_password": user.email,
        "confirm": user.email,
    }
    response = client.post("/account/password", data=data, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert ("new_password", "A password cannot be your email or your name.") in errors_in(
        response.get_data(as_text=True)
    )


def test_the_command_line_refuses_a_common_password(runner):
    result = runner.invoke(
        args=["users", "create", "--email", "a@b.vn", "--name", "A", "--password", "password123"]
    )
    assert result.exit_code != 0 and "most common passwords" in result.output
