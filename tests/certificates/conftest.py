"""Helpers for the certificate tests: the issuer's keys in a folder of the test's own,
a learner who completes a module through the pages, and certificates issued directly."""

import re

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.certificates import codes, services
from app.certificates.models import Certificate
from app.content.models import Module
from app.extensions import db
from tests.quizzes.conftest import answers, attempt_id_of


@pytest.fixture(autouse=True)
def keys_dir(app, tmp_path):
    """The issuer's keys in a folder of this test's own (made on first need)."""
    app.config["CERTIFICATE_KEYS_DIR"] = str(tmp_path / "certificate-keys")
    app.config["CERTIFICATE_KEY"] = None
    return tmp_path / "certificate-keys"


def read_lessons(client, slug: str, lessons: list[str]) -> None:
    for lesson in lessons:
        client.get(f"/modules/{slug}/{lesson}")
        response = client.post(f"/modules/{slug}/{lesson}/complete")
        assert response.status_code == 302


def pass_quiz(app, client, slug: str, right: bool = True):
    page = client.get(f"/modules/{slug}/quiz").get_data(as_text=True)
    attempt_id = attempt_id_of(page)
    data = answers(app, attempt_id, right) | {"submit": "1"}
    return client.post(f"/attempts/{attempt_id}", data=data)


LESSONS = {"basics": ["first", "second"], "next": ["only"]}


def complete(app, client, slug: str = "next") -> None:
    """Read every lesson of the fixture module and pass its quiz, through the pages."""
    read_lessons(client, slug, LESSONS[slug])
    assert pass_quiz(app, client, slug).status_code == 302


def certificates_of(app, user_id: int) -> list[Certificate]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(Certificate).where(Certificate.user_id == user_id).order_by(Certificate.id)
            )
        )
        for row in rows:
            db.session.expunge(row)
        return rows


@pytest.fixture
def issue(app):
    """Issue ``user`` a certificate of the fixture module ``slug`` directly; its code,
    grouped."""

    def do(user, slug: str = "basics", notify: bool = False) -> str:
        with app.test_request_context():
            holder = db.session.get(User, user.id)
            module = db.session.scalar(select(Module).where(Module.slug == slug))
            certificate = services.issue(holder, module=module, notify=notify)
            db.session.commit()
            return codes.display(certificate.code)

    return do


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))
