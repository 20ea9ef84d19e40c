"""Revocation as a W3C Bitstring Status List (v1.0): one bit per certificate, set when it
is revoked, published as a credential that anyone can fetch and that the verify page
reads too. Pure.

The bitstring is GZIP-compressed and written in base64url without padding behind the
multibase prefix "u"; index 0 is the most significant bit of the first byte. The list
is at least 131,072 bits (16 KB) long, as the specification requires, so that one
certificate cannot be told from the others by where its bit sits.
"""

import base64
import gzip
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

#: the smallest list the specification allows, in bits
MINIMUM_SIZE = 131_072
#: a decoded list larger than this (16 MB, as other implementations allow) is refused
LARGEST_BYTES = 16 * 1024 * 1024

CONTEXT = "https://www.w3.org/ns/credentials/v2"


class StatusListError(ValueError):
    """An encoded list that is not a Bitstring Status List."""


def encode(revoked: Iterable[int], size: int = MINIMUM_SIZE) -> str:
    """The encodedList for a list of `size` bits with those indexes set."""
    if size < MINIMUM_SIZE or size % 8:
        raise ValueError(f"a status list has at least {MINIMUM_SIZE} bits, a multiple of 8")
    bits = bytearray(size // 8)
    for index in revoked:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} is outside a list of {size}")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime 0 keeps the bytes, and so the signed credential, the same for the same list
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def bitstring(encoded: str) -> bytes:
    """The uncompressed bitstring of an encodedList."""
    if not encoded.startswith("u"):
        raise StatusListError("an encodedList starts with the multibase prefix 'u'")
    body = encoded[1:]
    try:
        compressed = base64.b64decode(body + "=" * (-len(body) % 4), b"-_", validate=True)
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # GZIP framing
        bits = inflater.decompress(compressed, LARGEST_BYTES + 1)
    except (ValueError, zlib.error) as error:
        raise StatusListError(f"not a GZIP-compressed base64url list: {error}") from error
    if len(bits) > LARGEST_BYTES:
        raise StatusListError("the status list is larger than this reader accepts")
    if not inflater.eof or not bits:
        raise StatusListError("the status list is cut short or empty")
    return bits


def decode(encoded: str) -> set[int]:
    """The indexes whose bit is set in an encodedList."""
    return {
        position * 8 + bit
        for position, byte in enumerate(bitstring(encoded))
        if byte
        for bit in range(8)
        if byte & (0x80 >> bit)
    }


def is_set(encoded: str, index: int) -> bool:
    """Whether the bit at `index` is set (for a revocation list: the certificate is
    revoked); an index beyond the list is an error, never a silent "valid"."""
    bits = bitstring(encoded)
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"status index {index} is outside a list of {len(bits) * 8}")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def timestamp(moment: datetime) -> str:
    """An aware datetime as the XML Schema dateTime in UTC the data model uses."""
    if moment.tzinfo is None:
        raise ValueError("a credential's time must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def status_list_credential(
    *,
    url: str,
    issuer: str,
    encoded: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
) -> dict[str, Any]:
    """The BitstringStatusListCredential published at `url`, for revocation, unsigned."""
    credential: dict[str, Any] = {
        "@context": [CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": timestamp(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }
    if valid_until is not None:
        credential["validUntil"] = timestamp(valid_until)
    return credential
