"""Companies and their members: registering one (and becoming its manager), asking to join
one and being let in or refused, invitations by e-mail and by a shared link, leaving and
removing, managers, and the team's learning on My company."""

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from app.assessment.models import CompanyResult
from app.audit import AuditEntry
from app.auth import membership as membership_services
from app.auth.models import Company, Membership, User
from app.auth.services import NewCompany
from app.extensions import db
from app.quizzes.models import QuizAttempt
from tests.conftest import PASSWORD
from tests.test_auth import NEW_COMPANY
from tests.test_email_confirmation import answer_everything

COLLEAGUE = {**NEW_COMPANY, "email": "hanh@caphesonghan.vn", "name": "Võ Thị Hạnh"}


def link_in(message, path: str) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(rf"http://localhost({path}\S+)", text).group(1)


def memberships(app, **where) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(Membership.user_id, Membership.state, Membership.is_manager)
            .filter_by(**where)
            .order_by(Membership.id)
        )
        return [tuple(row) for row in rows]


def respondents(app) -> int | None:
    with app.app_context():
        return db.session.scalar(select(CompanyResult.respondents))


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).filter_by(email=email.lower()))


@pytest.fixture
def founder(app, client, mailbox):
    """Someone who registered Cà phê Sông Hàn, then logged out; their id."""
    client.post("/register", data=NEW_COMPANY)
    client.post("/logout")
    mailbox.messages.clear()
    return user_id(app, NEW_COMPANY["email"])


def request_from(app, client, data=None) -> int:
    """Register a colleague who asks to join; the id of their request."""
    assert client.post("/register", data=data or {**COLLEAGUE, "company_choice": "existing"})
    with app.app_context():
        return db.session.scalar(select(Membership.id).filter_by(state="requested"))


def as_founder(app, login, founder_id):
    with app.app_context():
        user = db.session.get(User, founder_id)
        db.session.expunge(user)
    return login(user)


# -- registering ---------------------------------------------------------------------------


def test_who_registers_a_company_manages_it(app, client, instrument):
    client.post("/register", data=NEW_COMPANY)
    assert memberships(app) == [(user_id(app, NEW_COMPANY["email"]), "active", True)]
    page = client.get("/my-company").get_data(as_text=True)
    assert "Cà phê Sông Hàn" in page and 'id="team"' in page
    assert client.get("/assessment/company").status_code == 200


def test_the_registration_form_lists_no_company(client, make_company):
    make_company(name="Hải sản Miền Tây", province="Cần Thơ")
    assert "Hải sản Miền Tây" not in client.get("/register").get_data(as_text=True)


@pytest.mark.parametrize(
    "second",
    [
        {"company_name": "CÀ PHÊ SÔNG HÀN"},  # the same name as names compare
        {"company_name": "Tên khác", "tax_code": "0314409058"},  # the same tax code
        {"company_choice": "existing", "company_name": "", "tax_code": "0314.409.058"},
    ],
)
def test_registering_a_company_already_registered_asks_its_managers_instead(
    app, client, mailbox, second, instrument
):
    client.post("/register", data={**NEW_COMPANY, "tax_code": "0314409058"})
    client.post("/logout")
    mailbox.messages.clear()
    assert client.post("/register", data={**COLLEAGUE, **second}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Company.id))) == 1
    colleague = user_id(app, COLLEAGUE["email"])
    assert memberships(app, user_id=colleague) == [(colleague, "requested", False)]
    (request,) = mailbox.to(NEW_COMPANY["email"].lower())
    assert "Võ Thị Hạnh" in request["Subject"]
    assert "/my-company#requests" in request.get_body(("plain",)).get_content()
    assert client.get("/assessment/company").status_code == 403
    assert "Cà phê Sông Hàn" in client.get("/my-company").get_data(as_text=True)


def test_a_request_can_be_withdrawn(app, client, founder):
    request_id = request_from(app, client)
    assert client.post(f"/my-company/requests/{request_id}/cancel").status_code == 302
    assert memberships(app, id=request_id)[0][1] == "removed"
    assert client.post(f"/my-company/requests/{request_id}/cancel").status_code == 404


def test_a_signed_in_learner_without_a_company_asks_to_join_one(
    app, client, founder, make_user, login, mailbox
):
    learner = login(make_user(company_id=None))
    response = client.post(
        "/my-company/join",
        data={"find-company_name": "cà phê sông hàn", "find-province": "Đà Nẵng"},
    )
    assert response.status_code == 302
    assert memberships(app, user_id=learner.id) == [(learner.id, "requested", False)]
    assert len(mailbox.to(NEW_COMPANY["email"].lower())) == 1
    missing = client.post("/my-company/join", data={"find-tax_code": "0101243150"})
    assert missing.status_code == 400
    assert 'id="find-tax_code-error"' in missing.get_data(as_text=True)


def test_a_signed_in_learner_without_a_company_registers_one(app, client, make_user, login):
    learner = login(make_user(company_id=None))
    fields = ("company_name", "sector", "size_band", "province")
    data = {f"register-{name}": NEW_COMPANY[name] for name in fields}
    assert client.post("/my-company/register", data=data).status_code == 302
    assert memberships(app, user_id=learner.id) == [(learner.id, "active", True)]
    incomplete = client.post("/my-company/register", data={"register-company_name": "X"})
    assert incomplete.status_code == 400


# -- a manager decides ---------------------------------------------------------------------


def test_a_manager_lets_a_colleague_in_and_their_answers_count(
    app, client, founder, login, mailbox, instrument
):
    request_id = request_from(app, client)
    colleague = user_id(app, COLLEAGUE["email"])
    with app.app_context():
        db.session.get(User, colleague).email_confirmed_at = datetime.now(UTC)
        db.session.commit()
    answer_everything(client, instrument)
    assert respondents(app) is None  # waiting: not counted
    as_founder(app, login, founder)
    page = client.get("/my-company").get_data(as_text=True)
    assert "Võ Thị Hạnh" in page and 'id="requests"' in page
    assert client.post(f"/my-company/requests/{request_id}/approve").status_code == 302
    assert memberships(app, user_id=colleague) == [(colleague, "active", False)]
    assert respondents(app) == 1
    answer = mailbox.to(COLLEAGUE["email"])[-1]
    assert "Cà phê Sông Hàn" in answer["Subject"]
    assert client.post(f"/my-company/requests/{request_id}/approve").status_code == 404


def test_a_manager_refuses_a_request(app, client, founder, login, mailbox):
    request_id = request_from(app, client)
    mailbox.messages.clear()
    as_founder(app, login, founder)
    assert client.post(f"/my-company/requests/{request_id}/refuse").status_code == 302
    colleague = user_id(app, COLLEAGUE["email"])
    assert memberships(app, user_id=colleague) == [(colleague, "removed", False)]
    assert len(mailbox.to(COLLEAGUE["email"])) == 1
    with app.app_context():
        assert db.session.get(Membership, request_id).ended_by_id == founder


def test_only_the_companys_managers_decide(app, client, founder, make_user, login):
    request_id = request_from(app, client)
    login(make_user())  # a member of another company
    assert client.post(f"/my-company/requests/{request_id}/approve").status_code == 403
    login(make_user(is_company_manager=True))  # the manager of another company
    assert client.post(f"/my-company/requests/{request_id}/approve").status_code == 404
    assert client.get("/my-company/team.csv").status_code == 200  # their own team
    assert memberships(app, id=request_id)[0][1] == "requested"


# -- invitations ---------------------------------------------------------------------------


def invite(client, emails: str):
    return client.post("/my-company/invitations", data={"emails": emails})


def test_an_invitation_brings_a_newcomer_in_with_their_email_confirmed(
    app, client, founder, login, mailbox
):
    as_founder(app, login, founder)
    assert invite(client, "an@example.vn, binh@example.vn\nan@example.vn").status_code == 302
    assert len(mailbox.messages) == 2
    (message,) = mailbox.to("an@example.vn")
    assert "Phạm Minh Tuấn" in message["Subject"] and "Cà phê Sông Hàn" in message["Subject"]
    link = link_in(message, "/join/")
    assert link in message.get_body(("html",)).get_content()
    client.post("/logout")
    page = client.get(link).get_data(as_text=True)
    assert 'value="an@example.vn"' in page
    account = {"name": "Lê An", "email": "an@example.vn", "password": PASSWORD, "confirm": PASSWORD}
    assert client.post(link, data=account).status_code == 302
    newcomer = user_id(app, "an@example.vn")
    assert memberships(app, user_id=newcomer) == [(newcomer, "active", False)]
    with app.app_context():
        assert db.session.get(User, newcomer).email_confirmed_at is not None
    assert len(mailbox.to("an@example.vn")) == 1  # no confirmation needed
    assert client.get(link).status_code == 400  # used up


def test_an_invitation_link_refuses_tampering_expiry_and_withdrawal(
    app, client, founder, login, mailbox
):
    as_founder(app, login, founder)
    invite(client, "an@example.vn")
    link = link_in(mailbox.messages[0], "/join/")
    assert client.get(link[:-3] + "abc").status_code == 400
    assert client.get("/join/not-a-token").status_code == 400
    app.config["INVITE_TOKEN_SECONDS"] = -1
    assert client.get(link).status_code == 400
    app.config["INVITE_TOKEN_SECONDS"] = 86400
    assert client.get(link).status_code == 200
    with app.app_context():
        invitation = db.session.scalar(select(Membership.id).filter_by(state="invited"))
    assert client.post(f"/my-company/invitations/{invitation}/revoke").status_code == 302
    assert client.get(link).status_code == 400


def test_inviting_again_sends_a_new_link_and_the_old_one_stops(
    app, client, founder, login, mailbox
):
    as_founder(app, login, founder)
    invite(client, "an@example.vn")
    invite(client, "an@example.vn")
    first, second = (link_in(m, "/join/") for m in mailbox.to("an@example.vn"))
    assert client.get(first).status_code == 400 and client.get(second).status_code == 200
    assert len(memberships(app, state="invited")) == 1


def test_bad_addresses_are_named_next_to_the_field_and_nothing_is_sent(
    app, client, founder, login, mailbox
):
    as_founder(app, login, founder)
    response = invite(client, "an@example.vn, not-an-address")
    assert response.status_code == 400
    assert 'id="emails-error"' in response.get_data(as_text=True)
    assert "not-an-address" in response.get_data(as_text=True)
    assert mailbox.messages == [] and memberships(app, state="invited") == []
    assert invite(client, ", ".join(f"p{n}@example.vn" for n in range(51))).status_code == 400


def test_an_existing_account_follows_an_invitation_and_moves_company(
    app, client, founder, login, mailbox, make_user, instrument
):
    learner = make_user()
    login(learner)
    answer_everything(client, instrument)
    assert respondents(app) == 1  # their first company
    as_founder(app, login, founder)
    invite(client, learner.email)
    link = link_in(mailbox.messages[0], "/join/")
    login(learner)
    assert "Company" in client.get(link).get_data(as_text=True)  # their present company named
    assert client.post(link).status_code == 302
    assert [state for _, state, _ in memberships(app, user_id=learner.id)] == ["removed", "active"]
    assert respondents(app) is None  # neither company counts answers given elsewhere


def test_a_shared_link_lets_staff_in_until_it_is_renewed_or_stopped(
    app, client, founder, login, make_user
):
    as_founder(app, login, founder)
    client.post("/my-company/link/new")
    page = client.get("/my-company").get_data(as_text=True)
    link = re.search(r'value="http://localhost(/join/team/[^"]+)"', page).group(1)
    staff = login(make_user(company_id=None))
    assert client.post(link).status_code == 302
    assert memberships(app, user_id=staff.id) == [(staff.id, "active", False)]
    as_founder(app, login, founder)
    client.post("/my-company/link/new")
    login(make_user(company_id=None))
    assert client.get(link).status_code == 400  # the old link
    as_founder(app, login, founder)
    page = client.get("/my-company").get_data(as_text=True)
    new_link = re.search(r'value="http://localhost(/join/team/[^"]+)"', page).group(1)
    client.post("/my-company/link/revoke")
    assert client.get(new_link).status_code == 400


# -- members, managers, leaving ------------------------------------------------------------


@pytest.fixture
def team(app, make_company, make_user):
    """A company with a manager and two members, all of whom answered the assessment."""
    company = make_company()
    people = [
        make_user(company_id=company.id, is_company_manager=True),
        make_user(company_id=company.id),
        make_user(company_id=company.id),
    ]
    return company, people


def active_row(app, user) -> int:
    with app.app_context():
        return db.session.scalar(select(Membership.id).filter_by(user_id=user.id, state="active"))


def test_a_removed_members_answers_leave_the_company_result(app, client, login, team, instrument):
    _company, (manager, member, other) = team
    for person in (manager, member, other):
        login(person)
        answer_everything(client, instrument)
    assert respondents(app) == 3
    login(manager)
    assert client.post(f"/my-company/members/{active_row(app, member)}/remove").status_code == 302
    assert respondents(app) == 2
    login(member)
    assert 'action="/my-company/join"' in client.get("/my-company").get_data(as_text=True)


def test_the_last_manager_cannot_leave_until_another_is_appointed(
    app, client, login, team, instrument
):
    _company, (manager, member, _other) = team
    login(manager)
    client.post("/my-company/leave")
    assert active_row(app, manager) is not None
    own = active_row(app, manager)
    client.post(f"/my-company/members/{own}/manager", data={"manager": "0"})
    assert memberships(app, id=own)[0][2] is True  # still the manager
    row = active_row(app, member)
    assert (
        client.post(f"/my-company/members/{row}/manager", data={"manager": "1"}).status_code == 302
    )
    assert client.post("/my-company/leave").status_code == 302
    assert active_row(app, manager) is None
    login(member)
    assert client.get("/assessment/company").status_code == 200


def test_a_manager_removes_nobody_outside_the_company_and_not_themselves(
    app, client, login, team, make_user
):
    _company, (manager, member, _other) = team
    stranger = make_user()
    login(manager)
    assert client.post(f"/my-company/members/{active_row(app, stranger)}/remove").status_code == 404
    assert client.post(f"/my-company/members/{active_row(app, manager)}/remove").status_code == 400
    assert client.post(
        f"/my-company/members/{active_row(app, member)}/manager", data={"manager": "2"}
    ).status_code == 400  # fmt: skip


def test_a_member_sees_the_managers_and_leaves(app, client, login, team, instrument):
    _company, (manager, member, _other) = team
    login(member)
    answer_everything(client, instrument)
    page = client.get("/my-company").get_data(as_text=True)
    assert manager.name in page and 'action="/my-company/leave"' in page
    assert client.get("/my-company/team.csv").status_code == 403
    assert respondents(app) == 1
    client.post("/my-company/leave")
    assert respondents(app) is None


def test_the_digest_is_chosen_on_my_company(app, client, login, team):
    _company, (manager, _member, _other) = team
    login(manager)
    assert client.post("/my-company/digest", data={"digest": "y"}).status_code == 302
    with app.app_context():
        assert db.session.get(Membership, active_row(app, manager)).digest


# -- the team's learning -------------------------------------------------------------------


def passed_quiz(app, user, module_id: int) -> None:
    with app.app_context():
        db.session.add(
            QuizAttempt(user_id=user.id, module_id=module_id, number=1, seed=1, layout=[],
                        submitted_at=datetime.now(UTC), score=1.0, passed=True)
        )  # fmt: skip
        db.session.commit()


def test_the_manager_sees_each_members_learning_sorted_and_as_csv(app, client, login, team, course):
    _company, (manager, member, other) = team
    login(member)
    for lesson in ("first", "second"):
        client.post(f"/modules/basics/{lesson}/complete")
    with app.app_context():
        from app.content.models import Module

        basics = db.session.scalar(select(Module.id).filter_by(slug="basics"))
    passed_quiz(app, member, basics)
    login(manager)
    page = client.get("/my-company?sort=modules&order=desc").get_data(as_text=True)
    rows = re.findall(r'<th scope="row"[^>]*>([^<]+)<', page)
    assert rows[0] == member.name and set(rows) == {manager.name, member.name, other.name}
    assert '<progress max="3" value="1"' in page  # one of the three completed basics
    csv = client.get("/my-company/team.csv")
    body = csv.get_data(as_text=True)
    assert body.startswith("\ufeff") and csv.mimetype == "text/csv"
    header, *lines = body.lstrip("\ufeff").splitlines()
    assert header.startswith("Họ tên,Email")
    line = next(line for line in lines if line.startswith(member.name))
    assert line.endswith(",2,1,1,1,0")  # two lessons, one module, one quiz; basics, not next


def test_a_name_a_spreadsheet_would_run_is_written_as_text(app, client, login, team, course):
    _company, (manager, member, _other) = team
    with app.app_context():
        db.session.get(User, member.id).name = '=HYPERLINK("http://x")'
        db.session.commit()
    login(manager)
    assert "'=HYPERLINK" in client.get("/my-company/team.csv").get_data(as_text=True)


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.labelled: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "label" and "for" in attrs:
            self.labelled.append(attrs["for"])


def assert_labels_fit(html: str) -> None:
    """Each id once, and each label names a field that is on the page."""
    parser = _Ids()
    parser.feed(html)
    assert len(parser.ids) == len(set(parser.ids)), sorted(parser.ids)
    assert set(parser.labelled) <= set(parser.ids)


def test_my_company_and_account_pages_have_each_id_once_and_labels_that_fit(
    app, client, login, team, make_user, mailbox
):
    _company, (manager, member, _other) = team
    login(make_user(company_id=None))
    assert_labels_fit(client.get("/my-company").get_data(as_text=True))
    login(member)
    assert_labels_fit(client.get("/my-company").get_data(as_text=True))
    assert_labels_fit(client.get("/account").get_data(as_text=True))
    login(manager)
    client.post("/my-company/link/new")
    invite(client, "an@example.vn")
    assert_labels_fit(client.get("/my-company").get_data(as_text=True))
    client.post("/logout")
    assert_labels_fit(client.get(link_in(mailbox.messages[0], "/join/")).get_data(as_text=True))
    assert_labels_fit(client.get("/register").get_data(as_text=True))


def test_each_managers_action_is_in_the_audit_log(app, client, login, team, make_user, mailbox):
    _company, (manager, member, other) = team
    asking = make_user(company_id=None)
    login(asking)
    with app.app_context():
        company = db.session.get(Company, _company.id)
        request = membership_services.ask_to_join(db.session.get(User, asking.id), company)
        db.session.commit()
        request_id = request.id
    login(manager)
    client.post(f"/my-company/requests/{request_id}/refuse")
    invite(client, "an@example.vn")
    client.post("/my-company/link/new")
    client.post(f"/my-company/members/{active_row(app, member)}/manager", data={"manager": "1"})
    client.post(f"/my-company/members/{active_row(app, other)}/remove")
    with app.app_context():
        entries = db.session.execute(
            select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.user_id).order_by(
                AuditEntry.id
            )
        ).all()
    assert entries == [
        ("membership.refuse", manager.id, asking.id),
        ("membership.invite", manager.id, None),
        ("company.new_link", manager.id, None),
        ("membership.manager", manager.id, member.id),
        ("membership.remove", manager.id, other.id),
    ]


# -- what must not happen ------------------------------------------------------------------


def test_joining_one_company_closes_the_requests_to_others(
    app, client, founder, login, make_company, make_user
):
    request_id = request_from(app, client)  # the colleague asks to join Cà phê Sông Hàn
    colleague = user_id(app, COLLEAGUE["email"])
    other = make_company()
    manager = make_user(company_id=other.id, is_company_manager=True)
    login(manager)
    client.post("/my-company/link/new")
    page = client.get("/my-company").get_data(as_text=True)
    link = re.search(r'value="http://localhost(/join/team/[^"]+)"', page).group(1)
    with app.app_context():
        person = db.session.get(User, colleague)
        db.session.expunge(person)
    login(person)
    assert client.post(link).status_code == 302
    assert memberships(app, id=request_id)[0][1] == "removed"
    as_founder(app, login, founder)
    assert client.post(f"/my-company/requests/{request_id}/approve").status_code == 404
    assert memberships(app, user_id=colleague)[-1] == (colleague, "active", False)


def test_asking_again_e_mails_the_managers_once(app, client, founder, make_user, login, mailbox):
    login(make_user(company_id=None))
    for _ in range(3):
        client.post("/my-company/join", data={"find-tax_code": "", "find-company_name":
                    "Cà phê Sông Hàn", "find-province": "Đà Nẵng"})  # fmt: skip
    assert len(mailbox.to(NEW_COMPANY["email"].lower())) == 1


def test_a_member_cannot_register_or_ask_to_join_another_company(app, client, login, team):
    _company, (_manager, member, _other) = team
    login(member)
    data = {f"register-{name}": NEW_COMPANY[name]
            for name in ("company_name", "sector", "size_band", "province")}  # fmt: skip
    assert client.post("/my-company/register", data=data).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Company.id))) == 1


def test_the_last_manager_cannot_delete_their_account_while_others_remain(app, client, login, team):
    _company, (manager, _member, _other) = team
    login(manager)
    response = client.post("/account/delete", data={"password": PASSWORD, "understood": "y"})
    assert response.status_code == 400
    assert 'id="understood-error"' in response.get_data(as_text=True)
    assert active_row(app, manager) is not None


def test_a_company_left_empty_is_managed_by_the_next_to_join(
    app, client, login, make_company, make_user
):
    company = make_company()
    alone = make_user(company_id=company.id, is_company_manager=True)
    login(alone)
    client.post("/my-company/link/new")
    page = client.get("/my-company").get_data(as_text=True)
    link = re.search(r'value="http://localhost(/join/team/[^"]+)"', page).group(1)
    assert client.post("/my-company/leave").status_code == 302
    newcomer = login(make_user(company_id=None))
    client.post(link)
    assert memberships(app, user_id=newcomer.id) == [(newcomer.id, "active", True)]


def test_a_removed_member_cannot_come_back_by_the_shared_link(app, client, login, team):
    _company, (manager, member, _other) = team
    login(manager)
    client.post("/my-company/link/new")
    page = client.get("/my-company").get_data(as_text=True)
    link = re.search(r'value="http://localhost(/join/team/[^"]+)"', page).group(1)
    client.post(f"/my-company/members/{active_row(app, member)}/remove")
    login(member)
    assert client.post(link).status_code == 302
    assert active_row(app, member) is None


def test_a_name_on_two_lines_is_kept_on_one_and_its_e_mails_go(app, client, founder, mailbox):
    data = {**COLLEAGUE, "company_choice": "existing", "name": "Võ Thị\nHạnh"}
    assert client.post("/register", data=data).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.name).filter_by(email=COLLEAGUE["email"])) == (
            "Võ Thị Hạnh"
        )
    (request,) = mailbox.to(NEW_COMPANY["email"].lower())
    assert "Võ Thị Hạnh" in request["Subject"]


def test_one_address_typed_twice_in_two_cases_gets_one_invitation_that_works(
    app, client, founder, login, mailbox
):
    as_founder(app, login, founder)
    invite(client, "An@Example.vn, an@example.vn")
    (message,) = mailbox.messages
    client.post("/logout")
    assert client.get(link_in(message, "/join/")).status_code == 200


def test_a_tax_code_that_differs_from_the_registered_companys_is_refused(
    app, client, founder, make_company
):
    with app.app_context():
        db.session.scalar(select(Company)).tax_code = "0314409058"
        db.session.commit()
    response = client.post("/register", data={**COLLEAGUE, "tax_code": "0101243150"})
    assert response.status_code == 400
    assert 'id="tax_code-error"' in response.get_data(as_text=True)


def test_a_deactivated_account_stops_counting(app, runner, login, team, client, instrument):
    _company, (manager, member, _other) = team
    for person in (manager, member):
        login(person)
        answer_everything(client, instrument)
    assert respondents(app) == 2
    assert runner.invoke(args=["users", "deactivate", member.email]).exit_code == 0
    assert respondents(app) == 1


class TestLimits:
    @pytest.fixture
    def app_settings(self):
        return {"RATELIMIT_ENABLED": True, "INVITE_LIMIT": "3 per hour"}

    def test_invitations_are_counted_by_address(self, client, login, team, mailbox):
        _company, (manager, _member, _other) = team
        login(manager)
        assert invite(client, "a@example.vn, b@example.vn").status_code == 302
        assert invite(client, "c@example.vn, d@example.vn").status_code == 429
        assert len(mailbox.messages) == 2


def test_a_company_registered_a_moment_before_is_asked_to_join(
    app, monkeypatch, make_company, make_user
):
    """Between looking for the company and registering it, someone else registered it:
    the person asks to join theirs instead of being refused."""
    company = make_company(name="Gốm Bát Tràng", province="Hà Nội")
    make_user(company_id=company.id, is_company_manager=True)
    real = membership_services.find_company
    calls = []

    def late(*args, **kwargs):
        calls.append(args)
        return None if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(membership_services, "find_company", late)
    wanted = NewCompany(name="Gốm Bát Tràng", sector="manufacturing", size_band="small",
                        province="Hà Nội")  # fmt: skip
    with app.app_context():
        user = User(email="moi@example.vn", name="Người mới", password_hash="x")
        db.session.add(user)
        db.session.flush()
        assert membership_services.found_or_ask(user, wanted).state == "requested"
