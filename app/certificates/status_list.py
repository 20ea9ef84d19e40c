# stand-in: replaced by the document modules
"""The revocation status list."""

import base64
from collections.abc import Iterable
from datetime import datetime


def encode(revoked: Iterable[int], size: int = 131072) -> str:
    bits = bytearray(size // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    return base64.urlsafe_b64encode(bytes(bits)).decode()


def status_list_credential(*, url: str, issuer: str, encoded: str, valid_from: datetime) -> dict:
    return {
        "id": url,
        "issuer": issuer,
        "validFrom": valid_from.isoformat(),
        "credentialSubject": {"encodedList": encoded},
    }
