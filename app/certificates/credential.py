"""The certificate as an Open Badges 3.0 `OpenBadgeCredential` (a W3C Verifiable
Credential, data model 2.0), signed by the issuer as a VC-JWT with its Ed25519 key.
Pure.

It is made from the same view as the PDF, and its `credentialStatus` points at the
revocation list that the verify page reads, so the code, the page and the credential
cannot disagree. The holder is named by an `IdentityObject` of type "name" (the name as
printed, and as `name` for the wallets that show that), never by an e-mail address.

The JWT is put together here with `cryptography` rather than a JOSE library: a compact
JWS is three base64url parts and one Ed25519 signature, and verifiers check it with
libraries of their own.
"""

import base64
import json
from collections.abc import Mapping
from datetime import UTC, datetime, time
from typing import Any

from cryptography.exceptions import InvalidSignature

from app.certificates.document import CertificateView
from app.certificates.keys import IssuerKeys, b64url
from app.certificates.status_list import timestamp
from app.certificates.texts import languages, nfc, title_in, wording

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
#: the JOSE algorithm: Ed25519 under the name that verifiers widely accept
ALGORITHM = "EdDSA"
#: the JOSE `typ`: the media type of a credential secured as a JWT
MEDIA_TYPE = "vc+jwt"

#: what the credential says, by language and kind of certificate
DESCRIPTIONS = {
    "vi": {
        "module": "Hoàn thành học phần “{title}” của {issuer}.",
        "programme": "Hoàn thành chương trình đào tạo “{title}” của {issuer}.",
    },
    "en": {
        "module": "Completed the module “{title}” at {issuer}.",
        "programme": "Completed the training programme “{title}” at {issuer}.",
    },
}
CRITERIA = {
    "vi": {
        "module": "Đã học xong tất cả các bài học của học phần và đạt bài kiểm tra cuối học phần.",
        "programme": "Đã hoàn thành tất cả các học phần mà chương trình yêu cầu.",
    },
    "en": {
        "module": "Studied every lesson of the module and passed its quiz.",
        "programme": "Completed every module that the programme requires.",
    },
}
ACHIEVEMENT_TYPES = {"module": "CertificateOfCompletion", "programme": "LearningProgram"}


class InvalidCredential(ValueError):
    """A token that is not a VC-JWT signed by one of the issuer's keys."""


def _kind(view: CertificateView) -> str:
    return "programme" if view.kind == "programme" else "module"


def _both(texts: Mapping[str, Mapping[str, str]], view: CertificateView, **values: str) -> str:
    """The text in the holder's language, then the other one, as one paragraph each."""
    first, second = languages(view)
    return "\n\n".join(
        texts[language][_kind(view)].format(title=title_in(view, language), **values)
        for language in (first, second)
    )


def open_badge(
    view: CertificateView,
    *,
    credential_id: str,
    issuer_id: str,
    issuer_url: str,
    achievement_id: str,
    status_list_url: str,
    status_index: int,
    issued_at: datetime | None = None,
    subject_id: str | None = None,
) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential for a certificate.

    `issued_at` (aware) is its validFrom; by default the start of the issue date, UTC.
    `subject_id`, a URI for the holder (a DID, say), is added when there is one; the
    holder is always named in `identifier`.
    """
    first = languages(view)[0]
    kind = _kind(view)
    issuer = nfc(view.issuer)
    moment = issued_at or datetime.combine(view.issued_on, time(), tzinfo=UTC)
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        # not a property of AchievementSubject in the specification, but what wallets
        # show; `identifier` below is the normative naming of the holder
        "name": nfc(view.holder),
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": nfc(view.holder),
                "identityType": "name",
                "hashed": False,
            }
        ],
        "achievement": {
            "id": achievement_id,
            "type": ["Achievement"],
            "achievementType": ACHIEVEMENT_TYPES[kind],
            "name": title_in(view, first),
            "description": _both(DESCRIPTIONS, view, issuer=issuer),
            "criteria": {"narrative": _both(CRITERIA, view)},
            "inLanguage": first,
        },
    }
    if subject_id:
        subject = {"id": subject_id, **subject}
    return {
        "@context": list(CONTEXTS),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{wording(first, kind).title}: {title_in(view, first)}",
        "description": f"{wording(first, kind).code}: {view.code} · {view.verify_url}",
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": issuer, "url": issuer_url},
        "validFrom": timestamp(moment),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{status_list_url}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": status_list_url,
        },
        "credentialSchema": [dict(SCHEMA)],
    }


def _seconds(value: str) -> int:
    """A credential's dateTime as a JWT NumericDate."""
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def _issuer_id(credential: Mapping[str, Any]) -> str:
    issuer = credential["issuer"]
    return str(issuer["id"] if isinstance(issuer, Mapping) else issuer)


def key_reference(credential: Mapping[str, Any], kid: str) -> str:
    """The JOSE `kid` for a credential: a DID URL (`did:web:…#kid`, found in the DID
    document) when the issuer is a DID, else the key id in the published JWKS."""
    issuer = _issuer_id(credential)
    return f"{issuer}#{kid}" if issuer.startswith("did:") else kid


def claims(credential: Mapping[str, Any]) -> dict[str, Any]:
    """The JWT payload: the credential itself with the registered claims that Open
    Badges 3.0 derives from it (iss, jti, nbf, and exp and sub where it has them)."""
    payload: dict[str, Any] = {
        **credential,
        "iss": _issuer_id(credential),
        "jti": credential["id"],
        "nbf": _seconds(credential["validFrom"]),
    }
    if "validUntil" in credential:
        payload["exp"] = _seconds(credential["validUntil"])
    subject = credential.get("credentialSubject")
    if isinstance(subject, Mapping) and "id" in subject:
        payload["sub"] = subject["id"]
    return payload


def _json(value: Mapping[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(credential: Mapping[str, Any], keys: IssuerKeys) -> str:
    """The credential as a compact JWS (VC-JWT) signed with the issuer's current key:
    header {alg: EdDSA, kid, typ: vc+jwt}, payload `claims(credential)`."""
    header = {
        "alg": ALGORITHM,
        "kid": key_reference(credential, keys.current_kid),
        "typ": MEDIA_TYPE,
    }
    signing_input = f"{b64url(_json(header))}.{b64url(_json(claims(credential)))}"
    signature = keys.current_private.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verify(token: str, keys: IssuerKeys) -> dict[str, Any]:
    """The payload of a VC-JWT that one of the issuer's keys (current or rotated)
    signed; InvalidCredential otherwise."""
    try:
        header_part, payload_part, signature_part = token.split(".")
        header = json.loads(_unb64(header_part))
        kid = str(header["kid"]).rsplit("#", 1)[-1]
        if header.get("alg") != ALGORITHM or kid not in keys.keys:
            raise InvalidCredential("signed with a key or algorithm this issuer does not use")
        keys.public_key(kid).verify(
            _unb64(signature_part), f"{header_part}.{payload_part}".encode("ascii")
        )
        payload: dict[str, Any] = json.loads(_unb64(payload_part))
    except InvalidCredential:
        raise
    except (ValueError, KeyError, TypeError, InvalidSignature) as error:
        raise InvalidCredential("not a VC-JWT signed by this issuer") from error
    return payload
