"""The code on the PDF, the verify page and the signed credential are one certificate:
the credential served for a code verifies, with a library other than the one that signed
it, against the keys the site publishes; its status entry points at the status list the
site serves; and when an administrator revokes it, that list, read the same way, says so
as the verify page does."""

from datetime import UTC, datetime

import jwt
import pytest
from sqlalchemy import select

from app.certificates import codes
from app.certificates.models import Certificate
from app.certificates.status_list import is_set
from app.extensions import db
from tests.certificates.conftest import text_of


@pytest.fixture
def holder(make_user):
    return make_user(name="Đặng Quốc Bảo")


def verified(client, token: str) -> dict:
    """The JWT's payload, once its EdDSA signature checks out against the site's JWKS."""
    kid = jwt.get_unverified_header(token)["kid"].rsplit("#", 1)[-1]
    keys = {key["kid"]: key for key in client.get("/.well-known/jwks.json").json["keys"]}
    public = jwt.PyJWK(keys[kid]).key
    return jwt.decode(token, public, algorithms=["EdDSA"], options={"verify_aud": False})


def test_the_credential_the_status_list_and_the_verify_page_agree(
    app, client, course, holder, issue, make_user, login
):
    code = issue(holder)
    credential = verified(client, client.get(f"/certificates/{code}/credential.jwt").text)
    assert credential["credentialSubject"]["achievement"]["name"] == "Nhập môn"
    status = credential["credentialStatus"]
    with app.app_context():
        row = db.session.scalar(select(Certificate).filter_by(code=codes.normalise(code)))
        assert int(status["statusListIndex"]) == row.status_index
    list_path = "/" + status["statusListCredential"].split("/", 3)[3]

    def revoked_in_list() -> bool:
        listing = verified(client, client.get(list_path).text)
        return is_set(listing["credentialSubject"]["encodedList"], int(status["statusListIndex"]))

    assert not revoked_in_list()
    assert "Còn hiệu lực" in text_of(client.get(f"/verify/{code}"))
    login(make_user(role="admin"))
    revoked = client.post(f"/admin/certificates/{code}/revoke",
                          data={"reason": "Cấp nhầm người"})  # fmt: skip
    assert revoked.status_code == 302
    assert revoked_in_list()
    page = text_of(client.get(f"/verify/{code}"))
    assert "Đã bị thu hồi" in page and "Cấp nhầm người" in page


def test_a_certificate_issued_in_a_vietnamese_evening_verifies_at_once(
    app, client, course, holder, issue
):
    """At 20:00 in Hà Nội the date there is already the next day in UTC terms; the
    credential is valid from the moment of issue, not from that date's midnight."""
    code = issue(holder)
    evening = datetime(2026, 12, 3, 13, 30, tzinfo=UTC)  # 20:30 in Hà Nội
    with app.app_context():
        row = db.session.scalar(select(Certificate).filter_by(code=codes.normalise(code)))
        row.issued_at, row.pdf_key = evening, None
        db.session.commit()
    token = client.get(f"/certificates/{code}/credential.jwt").text
    payload = jwt.decode(token, options={"verify_signature": False})
    assert payload["nbf"] == int(evening.timestamp())
    assert verified(client, token)["validFrom"] == "2026-12-03T13:30:00Z"
