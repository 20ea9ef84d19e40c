"""Certificates issued on completion (and not before), of programmes, by hand; once; and
the e-mail that brings them, sent once the issue is committed."""

import unicodedata

import pytest
from sqlalchemy import insert, select

from app.certificates import services
from app.certificates.models import Certificate
from app.content.models import Module
from app.extensions import db
from app.models import User
from app.programmes.models import Programme, programme_learners, programme_modules
from tests.certificates.conftest import certificates_of, complete, pass_quiz, read_lessons


@pytest.fixture
def learner(make_user, login):
    return login(make_user(name="Nguyễn Thị Ánh Tuyết", locale="en"))


def test_no_certificate_before_the_module_is_completed(app, client, course, learner):
    read_lessons(client, "next", ["only"])
    assert certificates_of(app, learner.id) == []
    assert pass_quiz(app, client, "next", right=False).status_code == 302
    assert certificates_of(app, learner.id) == []


def test_a_quiz_passed_with_a_lesson_unread_earns_nothing_yet(app, client, course, learner):
    assert pass_quiz(app, client, "next").status_code == 302
    assert certificates_of(app, learner.id) == []
    read_lessons(client, "next", ["only"])
    [certificate] = certificates_of(app, learner.id)
    assert certificate.state == "valid"


def test_completing_a_module_issues_one_certificate_in_the_learners_name(
    app, client, course, learner
):
    complete(app, client, "next")
    [certificate] = certificates_of(app, learner.id)
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.slug == "next"))
        assert certificate.module_id == module.id and certificate.programme_id is None
    assert certificate.holder_name == "Nguyễn Thị Ánh Tuyết"
    assert certificate.holder_locale == "en"
    assert certificate.issued_by_id is None and certificate.status_index == 0
    # Passing again, or reading again, issues nothing more.
    assert pass_quiz(app, client, "next").status_code == 302
    assert len(certificates_of(app, learner.id)) == 1


def test_the_name_is_stored_composed(app, make_user, course, issue):
    decomposed = unicodedata.normalize("NFD", "Đặng Quốc Bảo")
    user = make_user(name=decomposed)
    issue(user)
    [certificate] = certificates_of(app, user.id)
    assert certificate.holder_name == unicodedata.normalize("NFC", "Đặng Quốc Bảo")


def test_status_places_are_allocated_in_order_and_codes_differ(app, make_user, course, issue):
    made = [issue(make_user()) for _ in range(5)]
    assert len(set(made)) == 5
    with app.app_context():
        places = db.session.scalars(select(Certificate.status_index).order_by(Certificate.id))
        assert list(places) == [0, 1, 2, 3, 4]


def test_a_second_standing_certificate_of_the_module_is_refused(app, make_user, course, issue):
    user = make_user()
    issue(user)
    with pytest.raises(services.AlreadyHeld):
        issue(user)


def test_the_database_refuses_two_standing_certificates_of_one_module(app, make_user, course):
    from sqlalchemy.exc import IntegrityError

    user = make_user()
    with app.app_context():
        module_id = db.session.scalar(select(Module.id).where(Module.slug == "basics"))
        row = dict(user_id=user.id, module_id=module_id, holder_name="A", holder_locale="vi",
                   reason="", revoke_reason="", search_key="")  # fmt: skip
        db.session.add(Certificate(code="AAAAAAAAAAAA", status_index=90, **row))
        db.session.flush()
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.add(Certificate(code="BBBBBBBBBBBB", status_index=91, **row))
        db.session.rollback()


def test_the_learner_is_emailed_their_certificate_once_committed(
    app, client, course, learner, mailbox
):
    complete(app, client, "next")
    [message] = mailbox.to(learner.email)
    [certificate] = certificates_of(app, learner.id)
    code = certificate.code
    assert "Step 1: Start" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert f"/verify/{code[:4]}-{code[4:8]}-{code[8:]}" in body
    assert ".pdf" in body and "Nguyễn Thị Ánh Tuyết" in body


def test_an_issue_rolled_back_sends_nothing(app, make_user, course, mailbox):
    user = make_user()
    with app.test_request_context():
        holder = db.session.get(User, user.id)
        module = db.session.scalar(select(Module).where(Module.slug == "basics"))
        services.issue(holder, module=module)
        db.session.rollback()
        db.session.commit()
    assert mailbox.to(user.email) == []


def test_the_email_goes_through_the_job_queue(app, make_user, course, monkeypatch):
    queued = []
    monkeypatch.setattr("app.mail.enqueue", lambda job, *args: queued.append((job, args)))
    user = make_user()
    with app.test_request_context():
        holder = db.session.get(User, user.id)
        module = db.session.scalar(select(Module).where(Module.slug == "basics"))
        services.issue(holder, module=module)
        assert queued == []  # nothing before the commit
        db.session.commit()
    [(job, args)] = queued
    assert job.__name__ == "deliver" and args[0] == user.email


# -- programmes ----------------------------------------------------------------------------


def _programme(app, user, slugs) -> int:
    with app.app_context():
        programme = Programme(name_vi="Chương trình 2026", name_en="Programme 2026")
        programme.modules = list(db.session.scalars(select(Module).where(Module.slug.in_(slugs))))
        db.session.add(programme)
        db.session.flush()
        db.session.execute(
            insert(programme_learners), [{"programme_id": programme.id, "user_id": user.id}]
        )
        db.session.commit()
        return programme.id


def test_a_programme_certificate_once_every_required_module_is_completed(
    app, client, course, learner
):
    programme_id = _programme(app, learner, ["basics", "next"])
    complete(app, client, "next")
    assert [c.programme_id for c in certificates_of(app, learner.id)] == [None]
    complete(app, client, "basics")
    issued = certificates_of(app, learner.id)
    assert [c.programme_id for c in issued] == [None, None, programme_id]
    assert issued[-1].module_id is None
    pass_quiz(app, client, "basics")
    assert len(certificates_of(app, learner.id)) == 3


def test_no_programme_certificate_for_someone_not_in_it(app, client, course, learner, make_user):
    _programme(app, make_user(), ["next"])
    complete(app, client, "next")
    assert [c.programme_id for c in certificates_of(app, learner.id)] == [None]


def test_a_member_of_an_enrolled_company_earns_the_programme_certificate(
    app, client, course, make_user, make_company, login
):
    from app.programmes.models import programme_companies

    company = make_company()
    user = login(make_user(company_id=company.id))
    with app.app_context():
        programme = Programme(name_vi="Doanh nghiệp", name_en="Firms")
        programme.modules = [db.session.scalar(select(Module).where(Module.slug == "next"))]
        db.session.add(programme)
        db.session.flush()
        db.session.execute(
            insert(programme_companies), [{"programme_id": programme.id, "company_id": company.id}]
        )
        db.session.commit()
        programme_id = programme.id
    complete(app, client, "next")
    assert programme_id in [c.programme_id for c in certificates_of(app, user.id)]
    with app.app_context():
        assert db.session.scalar(
            select(programme_modules.c.module_id).where(
                programme_modules.c.programme_id == programme_id
            )
        )


# -- revoked, re-issued ---------------------------------------------------------------------


def test_a_revoked_certificate_is_not_issued_again_on_its_own(app, client, course, learner):
    complete(app, client, "next")
    [certificate] = certificates_of(app, learner.id)
    with app.app_context():
        services.revoke(db.session.get(Certificate, certificate.id), "Gian lận", None)
        db.session.commit()
    pass_quiz(app, client, "next")
    assert [c.state for c in certificates_of(app, learner.id)] == ["revoked"]


def test_a_reissue_takes_the_current_name_and_replaces_the_old(app, make_user, course, issue):
    user = make_user(name="Nguyen Thi Lan")
    issue(user)
    with app.test_request_context():
        holder = db.session.get(User, user.id)
        [old] = certificates_of(app, user.id)
        old = db.session.get(Certificate, old.id)
        with pytest.raises(services.NameUnchanged):
            services.reissue(old, None)
        holder.name = "Nguyễn Thị Lan"
        new = services.reissue(old, None)
        db.session.commit()
        assert old.state == "replaced" and old.replaced_by_id == new.id
        assert new.holder_name == "Nguyễn Thị Lan" and new.state == "valid"
        assert new.status_index != old.status_index
