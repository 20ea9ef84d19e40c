"""The Open Badges 3.0 credential: its required fields, its signature checked by other
JOSE libraries against the published keys, and its revocation seen in the status list."""

import base64
import json
import re
import unicodedata
import warnings
from datetime import UTC, date, datetime

import jwt
import pytest
from joserfc import jws
from joserfc.jwk import KeySet

from app.certificates.credential import InvalidCredential, claims, open_badge, sign, verify
from app.certificates.keys import IssuerKeys
from app.certificates.status_list import decode, encode, is_set, status_list_credential
from tests.certificates import make_view

SITE = "https://academy.example.vn"
DID = "did:web:academy.example.vn"
STATUS_LIST = f"{SITE}/credentials/status/1"


def badge(view=None, **changes):
    arguments = {
        "credential_id": f"{SITE}/credentials/K7QX4M9P2RTA",
        "issuer_id": DID,
        "issuer_url": SITE + "/",
        "achievement_id": f"{SITE}/modules/buoc-6",
        "status_list_url": STATUS_LIST,
        "status_index": 4711,
    }
    return open_badge(view or make_view(issued_on=date(2025, 3, 1)), **{**arguments, **changes})


@pytest.fixture
def keys(tmp_path):
    IssuerKeys.create(tmp_path)
    return IssuerKeys.load(tmp_path)


def segments(token):
    return [
        json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4))) for p in token.split(".")[:2]
    ]


def verify_with_pyjwt(token, jwks):
    """What a verifier does with PyJWT: the key named in the header, from the JWKS."""
    header = jwt.get_unverified_header(token)
    kid = header["kid"].rsplit("#", 1)[-1]
    (key,) = [jwt.PyJWK(jwk) for jwk in jwks["keys"] if jwk["kid"] == kid]
    return jwt.decode(token, key=key, algorithms=["EdDSA"])


def verify_with_joserfc(token, jwks):
    header = segments(token)[0]
    key = KeySet.import_key_set(jwks).get_by_kid(header["kid"].rsplit("#", 1)[-1])
    with warnings.catch_warnings():
        # joserfc prefers RFC 9864's "Ed25519" name; "EdDSA" is the one verifiers know
        warnings.filterwarnings("ignore", "EdDSA is deprecated")
        compact = jws.deserialize_compact(token, key, algorithms=["EdDSA"])
    return json.loads(compact.payload)


# --- the credential's fields --------------------------------------------------------


def test_the_credential_has_the_contexts_and_types_of_an_open_badge_3():
    credential = badge()
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]


def test_the_credential_has_every_field_open_badges_3_requires():
    credential = badge()
    assert {"@context", "id", "type", "issuer", "validFrom", "name", "credentialSubject"} <= set(
        credential
    )
    assert credential["id"] == f"{SITE}/credentials/K7QX4M9P2RTA"
    assert credential["validFrom"] == "2025-03-01T00:00:00Z"
    assert credential["issuer"] == {
        "id": DID,
        "type": ["Profile"],
        "name": "DX Academy",
        "url": SITE + "/",
    }
    subject = credential["credentialSubject"]
    assert "AchievementSubject" in subject["type"]
    achievement = subject["achievement"]
    assert {"id", "type", "name", "description", "criteria"} <= set(achievement)
    assert achievement["type"] == ["Achievement"]
    assert achievement["criteria"]["narrative"]


def test_the_holder_is_named_by_an_identity_object_and_never_by_an_email():
    view = make_view(holder="Đặng Quốc Bảo")
    subject = badge(view)["credentialSubject"]
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityHash": "Đặng Quốc Bảo",
            "identityType": "name",
            "hashed": False,
        }
    ]
    text = json.dumps(badge(view), ensure_ascii=False)
    assert "emailAddress" not in text
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w", text)
    assert "id" not in subject


def test_a_decomposed_name_is_composed_in_the_credential():
    subject = badge(make_view(holder=unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")))[
        "credentialSubject"
    ]
    assert subject["identifier"][0]["identityHash"] == "Nguyễn Thị Ánh Tuyết"
    assert subject["name"] == "Nguyễn Thị Ánh Tuyết"


@pytest.mark.parametrize(
    ("locale", "name", "other"),
    [
        ("vi", "Bước 6: Chuyển hóa — mô hình kinh doanh mới dựa trên dữ liệu", "Step 6"),
        ("en", "Step 6: Transformation — new business models built on data", "Bước 6"),
    ],
)
def test_the_achievement_is_named_in_the_holders_language_and_described_in_both(
    locale, name, other
):
    achievement = badge(make_view(locale=locale))["credentialSubject"]["achievement"]
    assert achievement["name"] == name
    assert achievement["inLanguage"] == locale
    first, second = achievement["description"].split("\n\n")
    assert name in first and other in second
    assert len(achievement["criteria"]["narrative"].split("\n\n")) == 2


def test_a_programme_certificate_is_a_learning_programme():
    achievement = badge(make_view(kind="programme"))["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "LearningProgram"
    assert "chương trình" in achievement["description"]
    assert badge()["credentialSubject"]["achievement"]["achievementType"] == (
        "CertificateOfCompletion"
    )


def test_the_status_entry_points_at_the_revocation_list():
    assert badge()["credentialStatus"] == {
        "id": f"{STATUS_LIST}#4711",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "4711",
        "statusListCredential": STATUS_LIST,
    }


def test_the_issue_time_and_the_holders_id_are_used_when_given():
    moment = datetime(2025, 3, 1, 8, 15, tzinfo=UTC)
    credential = badge(issued_at=moment, subject_id="did:example:holder")
    assert credential["validFrom"] == "2025-03-01T08:15:00Z"
    assert credential["credentialSubject"]["id"] == "did:example:holder"
    assert claims(credential)["sub"] == "did:example:holder"


# --- the signature --------------------------------------------------------------------


def test_the_vc_jwt_verifies_with_pyjwt_against_the_published_jwks(keys):
    credential = badge()
    token = sign(credential, keys)
    payload = verify_with_pyjwt(token, keys.public_jwks())
    assert payload["iss"] == DID
    assert payload["jti"] == credential["id"]
    assert payload["nbf"] == int(datetime(2025, 3, 1, tzinfo=UTC).timestamp())
    assert {k: v for k, v in payload.items() if k not in {"iss", "jti", "nbf"}} == credential


def test_the_vc_jwt_verifies_with_joserfc_too(keys):
    token = sign(badge(), keys)
    assert verify_with_joserfc(token, keys.public_jwks())["jti"] == badge()["id"]


def test_the_header_names_the_key_as_a_did_url_found_in_the_did_document(keys):
    header, _ = segments(sign(badge(), keys))
    assert header == {"alg": "EdDSA", "kid": f"{DID}#{keys.current_kid}", "typ": "vc+jwt"}
    document = keys.did_document(DID)
    assert header["kid"] in document["assertionMethod"]
    assert header["kid"] in [method["id"] for method in document["verificationMethod"]]


def test_an_issuer_that_is_not_a_did_names_the_key_by_its_jwks_id(keys):
    header, _ = segments(sign(badge(issuer_id=SITE + "/issuer"), keys))
    assert header["kid"] == keys.current_kid


def test_a_credential_signed_before_a_rotation_still_verifies(tmp_path):
    IssuerKeys.create(tmp_path)
    token = sign(badge(), IssuerKeys.load(tmp_path))
    IssuerKeys.create(tmp_path)
    rotated = IssuerKeys.load(tmp_path)
    assert verify_with_pyjwt(token, rotated.public_jwks())["jti"] == badge()["id"]
    assert verify(token, rotated)["jti"] == badge()["id"]
    assert segments(sign(badge(), rotated))[0]["kid"] != segments(token)[0]["kid"]


def test_verify_accepts_a_token_that_pyjwt_signed_with_the_issuers_key(keys):
    token = jwt.encode(
        {"jti": "x"},
        keys.current_private,
        algorithm="EdDSA",
        headers={"kid": keys.current_kid},
    )
    assert verify(token, keys) == {"jti": "x"}


def test_verify_refuses_a_changed_payload_and_a_stranger_key(keys, tmp_path):
    token = sign(badge(), keys)
    header, payload, signature = token.split(".")
    forged = json.dumps({**segments(token)[1], "name": "Forged"}).encode()
    tampered = f"{header}.{base64.urlsafe_b64encode(forged).rstrip(b'=').decode()}.{signature}"
    with pytest.raises(InvalidCredential):
        verify(tampered, keys)
    with pytest.raises(jwt.InvalidSignatureError):
        verify_with_pyjwt(tampered, keys.public_jwks())
    IssuerKeys.create(tmp_path / "other")
    with pytest.raises(InvalidCredential):
        verify(token, IssuerKeys.load(tmp_path / "other"))
    with pytest.raises(InvalidCredential):
        verify("not.a-token", keys)


# --- revocation -----------------------------------------------------------------------


def test_a_revocation_is_seen_in_the_signed_status_list(keys):
    credential = badge()
    index = int(credential["credentialStatus"]["statusListIndex"])
    moment = datetime(2025, 6, 1, tzinfo=UTC)

    def published(revoked):
        status = status_list_credential(
            url=credential["credentialStatus"]["statusListCredential"],
            issuer=DID,
            encoded=encode(revoked),
            valid_from=moment,
        )
        return sign(status, keys)

    before = verify_with_pyjwt(published({7}), keys.public_jwks())
    assert before["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert before["iss"] == DID and before["jti"] == STATUS_LIST
    assert before["sub"] == STATUS_LIST + "#list"
    assert index not in decode(before["credentialSubject"]["encodedList"])

    after = verify_with_joserfc(published({7, index}), keys.public_jwks())
    assert is_set(after["credentialSubject"]["encodedList"], index)
    assert decode(after["credentialSubject"]["encodedList"]) == {7, index}
