"""The public verify pages, a learner's certificates and the completion moment, and the
documents: PDF, credential, the issuer's keys and the revocation status list."""

import pytest
from sqlalchemy import select

from app.certificates import services
from app.certificates.models import Certificate
from app.extensions import db
from app.models import User
from tests.certificates.conftest import certificates_of, complete, text_of


def _revoke(app, code, reason="Bài thi do người khác làm"):
    with app.app_context():
        services.revoke(services.find(code), reason, None)
        db.session.commit()


def _reissue(app, code, name):
    with app.test_request_context():
        certificate = services.find(code)
        db.session.get(User, certificate.user_id).name = name
        new = services.reissue(certificate, None)
        db.session.commit()
        return new.code


@pytest.fixture
def holder(make_user):
    return make_user(name="Đặng Quốc Bảo", email="bao@example.vn")


# -- verify ----------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_a_valid_certificate_shows_its_holder_title_and_date_to_anyone(
    app, client, course, holder, issue, locale
):
    code = issue(holder)
    client.set_cookie("locale", locale)
    response = client.get(f"/verify/{code}")
    page = text_of(response)
    assert response.status_code == 200
    assert "Đặng Quốc Bảo" in page and code in page
    assert ("Nhập môn" if locale == "vi" else "Basics") in page
    assert '<meta name="robots" content="noindex">' in page
    assert "bao@example.vn" not in page and "@" not in page.split("<main")[1].split("</main>")[0]
    if locale == "en":
        assert "Valid" in page and "DX Academy" in page


def test_a_revoked_certificate_says_so_with_the_date_and_reason(app, client, course, holder, issue):
    code = issue(holder)
    _revoke(app, code)
    client.set_cookie("locale", "en")
    page = text_of(client.get(f"/verify/{code}"))
    assert "Revoked on" in page and "Bài thi do người khác làm" in page
    client.set_cookie("locale", "vi")
    response = client.get(f"/verify/{code}")
    assert response.status_code == 200 and "Bài thi do người khác làm" in text_of(response)


def test_a_replaced_certificate_links_to_the_new_one(app, client, course, make_user, issue):
    user = make_user(name="Nguyen Van An")
    code = issue(user)
    new = _reissue(app, code, "Nguyễn Văn An")
    shown = f"{new[:4]}-{new[4:8]}-{new[8:]}"
    for locale in ("en", "vi"):
        client.set_cookie("locale", locale)
        page = text_of(client.get(f"/verify/{code}"))
        assert f'href="/verify/{shown}"' in page and "Nguyen Van An" in page
    client.set_cookie("locale", "en")
    assert "Replaced" in text_of(client.get(f"/verify/{code}"))
    assert "Nguyễn Văn An" in text_of(client.get(f"/verify/{shown}"))


def test_a_code_typed_another_way_leads_to_its_page(client, course, holder, issue):
    code = issue(holder)
    typed = code.lower().replace("-", " ").replace("1", "l").replace("0", "o")
    response = client.get(f"/verify/{typed}")
    assert response.status_code == 301 and response.location.endswith(f"/verify/{code}")
    form = client.get("/verify", query_string={"code": typed})
    assert form.status_code == 302 and form.location.endswith(f"/verify/{code}")


def test_the_form_says_what_is_wrong_with_a_code(client, course):
    client.set_cookie("locale", "en")
    assert client.get("/verify").status_code == 200
    response = client.get("/verify", query_string={"code": "ABC"})
    assert response.status_code == 400
    assert "A code has 12 letters and digits" in text_of(response)
    assert client.get("/verify", query_string={"code": ""}).status_code == 400
    unknown = client.get("/verify/ZZZZ-ZZZZ-ZZZZ")
    assert unknown.status_code == 404 and "No certificate has this code" in text_of(unknown)
    assert client.get("/verify/%00%01").status_code in (400, 404)


class TestWrongCodesAreLimited:
    @pytest.fixture
    def app_settings(self, tmp_path):
        return {"RATELIMIT_ENABLED": True, "VERIFY_MISS_LIMIT": "3 per minute"}

    def test_wrong_codes_stop_after_the_limit_in_the_readers_language(
        self, app, client, course, make_user, issue
    ):
        code = issue(make_user())
        assert client.get(f"/verify/{code}").status_code == 200  # a right code is not counted
        client.set_cookie("locale", "en")
        codes = [client.get("/verify/ZZZZ-ZZZZ-ZZZ" + str(n)).status_code for n in range(2)]
        codes.append(client.get("/verify", query_string={"code": "nope"}).status_code)
        assert codes == [404, 404, 400]
        refused = client.get("/verify/ZZZZ-ZZZZ-ZZZZ")
        assert refused.status_code == 429 and "Too many attempts" in text_of(refused)
        client.set_cookie("locale", "vi")
        assert client.get("/verify/ZZZZ-ZZZZ-ZZZZ").status_code == 429


# -- a learner's certificates and the completion moment -------------------------------------


def test_my_certificates_lists_each_with_its_documents_and_linkedin(
    app, client, course, holder, issue, login
):
    code = issue(holder)
    login(holder)
    client.set_cookie("locale", "en")
    page = text_of(client.get("/certificates"))
    assert "Basics" in page and code in page
    assert f"/certificates/{code}.pdf" in page and f"/certificates/{code}/credential.jwt" in page
    assert f"/verify/{code}" in page
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in page
    assert "organizationName=DX+Academy" in page and f"certId={code}" in page
    assert "certUrl=http%3A%2F%2Flocalhost%2Fverify%2F" in page
    assert 'href="/certificates"' in client.get("/").get_data(as_text=True)


def test_my_certificates_when_there_are_none(client, course, make_user, login):
    login(make_user())
    assert client.get("/certificates").status_code == 200


def test_the_module_page_shows_the_completion_moment_once_completed(
    app, client, course, make_user, login
):
    login(make_user(locale="en"))
    before = text_of(client.get("/modules/next"))
    assert "You have completed this module" not in before
    complete(app, client, "next")
    page = text_of(client.get("/modules/next"))
    assert "You have completed this module" in page
    assert "Download the certificate (PDF)" in page and "Add to LinkedIn profile" in page
    assert "Review your result" in page and "Retake the quiz" in page
    assert "Take the quiz again" not in page
    assert (
        'href="/modules/basics"' in page.split('id="completion-heading"')[1].split("</section>")[0]
    )


# -- documents -------------------------------------------------------------------------------


def test_the_pdf_downloads_for_anyone_and_is_kept(app, client, course, holder, issue):
    code = issue(holder)
    response = client.get(f"/certificates/{code}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    with app.app_context():
        assert db.session.scalar(
            select(Certificate.pdf_key).where(Certificate.code == code.replace("-", ""))
        )
    again = client.get(
        f"/certificates/{code}.pdf", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
    _revoke(app, code)
    assert client.get(f"/certificates/{code}.pdf").status_code == 200


def test_the_credential_is_a_signed_jwt(client, course, holder, issue):
    code = issue(holder)
    response = client.get(f"/certificates/{code}/credential.jwt")
    assert response.status_code == 200 and response.mimetype == "application/vc+jwt"
    assert response.get_data(as_text=True).count(".") == 2


def test_the_issuers_keys_are_published_and_made_on_first_need(client, keys_dir):
    assert not keys_dir.exists()
    jwks = client.get("/.well-known/jwks.json")
    assert jwks.status_code == 200 and jwks.json["keys"]
    assert keys_dir.exists()
    did = client.get("/.well-known/did.json")
    assert did.status_code == 200 and did.json


def test_the_status_list_is_signed_cached_briefly_and_changes_with_a_revocation(
    app, client, course, holder, issue
):
    code = issue(holder)
    first = client.get("/certificates/status/1")
    assert first.status_code == 200 and first.mimetype == "application/vc+jwt"
    assert "max-age=60" in first.headers["Cache-Control"] and first.headers["ETag"]
    same = client.get("/certificates/status/1", headers={"If-None-Match": first.headers["ETag"]})
    assert same.status_code == 304
    _revoke(app, code)
    after = client.get("/certificates/status/1", headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != first.headers["ETag"]
    assert client.get("/certificates/status/2").status_code == 404


def test_my_data_holds_my_certificates(client, course, holder, issue, login):
    code = issue(holder)
    login(holder)
    data = client.get("/account/my-data.json").json
    assert data["certificates"][0]["code"] == code


def test_every_certificate_of_a_learner_is_listed(app, client, course, holder, issue):
    issue(holder, "basics")
    issue(holder, "next")
    assert len(certificates_of(app, holder.id)) == 2
