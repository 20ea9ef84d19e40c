"""The issuer's signing keys (Ed25519) and how they are published. Pure but for reading
and writing the key files.

The keys live in one folder, one PKCS #8 PEM file per key named by its key id (the
RFC 7638 thumbprint of its public JWK), and a file `current` naming the key that signs
new credentials. A rotated key is never deleted: it stays published in the JWKS and the
DID document, so that credentials it signed can still be verified. A key given in the
environment (a PEM) is the current one, and those in the folder are published beside it.
"""

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

#: the file in the key folder that names the current key
CURRENT = "current"


class NoIssuerKey(LookupError):
    """There is no key to sign with: none in the folder, none in the environment."""


def generate_key() -> Ed25519PrivateKey:
    """A new Ed25519 private key."""
    return Ed25519PrivateKey.generate()


def b64url(data: bytes) -> str:
    """Base64url without padding, as JOSE writes binary values."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def public_jwk(key: Ed25519PublicKey) -> dict[str, str]:
    """The public key as an OKP JWK (RFC 8037), with only its required members."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}


def thumbprint(key: Ed25519PublicKey) -> str:
    """The key id: the base64url SHA-256 thumbprint of the public JWK (RFC 7638), over
    its required members in lexicographic order, without white space."""
    members = json.dumps(public_jwk(key), sort_keys=True, separators=(",", ":"))
    return b64url(hashlib.sha256(members.encode("utf-8")).digest())


def to_pem(key: Ed25519PrivateKey) -> bytes:
    """The private key as an unencrypted PKCS #8 PEM."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def from_pem(pem: str | bytes) -> Ed25519PrivateKey:
    """An Ed25519 private key read from a PEM; ValueError if it is anything else."""
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the certificate key must be an Ed25519 private key")
    return key


@dataclass(frozen=True)
class IssuerKeys:
    """Every key the issuer has had, by key id, and which of them signs now."""

    #: private keys by key id, the current one first, then the newest older ones
    keys: dict[str, Ed25519PrivateKey]
    current: str | None

    @classmethod
    def load(cls, directory: Path, env_pem: str | None = None) -> "IssuerKeys":
        """The keys in `directory` (missing: none), the one its `current` file names as
        current (no such file: the newest); a PEM from the environment, if given, is
        current instead and the folder's keys are published beside it."""
        found: dict[str, tuple[float, Ed25519PrivateKey]] = {}
        if directory.is_dir():
            for path in directory.glob("*.pem"):
                key = from_pem(path.read_bytes())
                found[thumbprint(key.public_key())] = (path.stat().st_mtime, key)
        current: str | None = None
        if env_pem and env_pem.strip():
            key = from_pem(env_pem.strip())
            current = thumbprint(key.public_key())
            found[current] = (float("inf"), key)
        elif (directory / CURRENT).is_file():
            named = (directory / CURRENT).read_text(encoding="ascii").strip()
            current = named if named in found else None
        if current is None and found:
            current = max(found, key=lambda kid: (found[kid][0], kid))
        order = sorted(found, key=lambda kid: (kid != current, -found[kid][0], kid))
        return cls(keys={kid: found[kid][1] for kid in order}, current=current)

    @staticmethod
    def create(directory: Path) -> str:
        """A new key in `directory`, made the current one; older keys stay. Returns its
        key id."""
        directory.mkdir(parents=True, exist_ok=True)
        key = generate_key()
        kid = thumbprint(key.public_key())
        path = directory / f"{kid}.pem"
        # readable by the owner alone from the moment it exists
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(to_pem(key))
        (directory / CURRENT).write_text(kid + "\n", encoding="ascii")
        return kid

    @property
    def current_kid(self) -> str:
        """The key id of the key that signs new credentials."""
        if self.current is None:
            raise NoIssuerKey(
                "no certificate key: create one with `flask certificates keygen` "
                "or set CERTIFICATE_KEY to a PEM"
            )
        return self.current

    @property
    def current_private(self) -> Ed25519PrivateKey:
        """The private key that signs new credentials."""
        return self.keys[self.current_kid]

    def public_key(self, kid: str) -> Ed25519PublicKey:
        """One key's public half; KeyError if the issuer never had that key."""
        return self.keys[kid].public_key()

    def public_jwks(self) -> dict[str, list[dict[str, str]]]:
        """The public keys as a JWK Set, the current one first, for /.well-known/jwks.json."""
        return {
            "keys": [
                {**public_jwk(key.public_key()), "kid": kid, "alg": "EdDSA", "use": "sig"}
                for kid, key in self.keys.items()
            ]
        }

    def did_document(self, did: str) -> dict[str, Any]:
        """A did:web DID document listing every key as a JsonWebKey2020 verification
        method `did#kid`, each allowed to assert credentials."""
        methods = [f"{did}#{kid}" for kid in self.keys]
        return {
            "@context": [
                "https://www.w3.org/ns/did/v1",
                "https://w3id.org/security/suites/jws-2020/v1",
            ],
            "id": did,
            "verificationMethod": [
                {
                    "id": method,
                    "type": "JsonWebKey2020",
                    "controller": did,
                    "publicKeyJwk": public_jwk(key.public_key()),
                }
                for method, key in zip(methods, self.keys.values(), strict=True)
            ],
            "assertionMethod": methods,
        }
