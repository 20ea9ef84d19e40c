# stand-in: replaced by the document modules
"""The signed digital credential."""

import base64
import json

from app.certificates.document import CertificateView
from app.certificates.keys import IssuerKeys


def open_badge(
    view: CertificateView,
    *,
    credential_id: str,
    issuer_id: str,
    issuer_url: str,
    achievement_id: str,
    status_list_url: str,
    status_index: int,
) -> dict:
    return {
        "id": credential_id,
        "issuer": {"id": issuer_id, "url": issuer_url, "name": view.issuer},
        "credentialSubject": {"name": view.holder, "achievement": {"id": achievement_id}},
        "credentialStatus": {"statusListCredential": status_list_url,
                             "statusListIndex": str(status_index)},
    }  # fmt: skip


def _part(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def sign(credential: dict, keys: IssuerKeys) -> str:
    header = {"alg": "EdDSA", "kid": keys.current_kid, "typ": "vc+jwt"}
    return f"{_part(header)}.{_part(credential)}.stand-in"
