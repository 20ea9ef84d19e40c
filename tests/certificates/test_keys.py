"""The issuer's keys: their ids, their files, rotation and how they are published."""

import base64
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.certificates.keys import (
    IssuerKeys,
    NoIssuerKey,
    generate_key,
    public_jwk,
    thumbprint,
    to_pem,
)


def unb64(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


# RFC 8037, appendix A.1 and A.3: an Ed25519 key and its RFC 7638 thumbprint
RFC_8037_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
RFC_8037_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
RFC_8037_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_the_key_id_is_the_rfc_7638_thumbprint_of_the_rfcs_example_key():
    key = Ed25519PrivateKey.from_private_bytes(unb64(RFC_8037_D))
    assert public_jwk(key.public_key()) == {"kty": "OKP", "crv": "Ed25519", "x": RFC_8037_X}
    assert thumbprint(key.public_key()) == RFC_8037_THUMBPRINT


def test_a_created_key_is_current_and_its_id_stays_the_same_when_loaded_again(tmp_path):
    kid = IssuerKeys.create(tmp_path)
    assert (tmp_path / f"{kid}.pem").is_file()
    assert stat.S_IMODE((tmp_path / f"{kid}.pem").stat().st_mode) == 0o600
    for _ in range(2):
        keys = IssuerKeys.load(tmp_path)
        assert keys.current_kid == kid
        assert thumbprint(keys.current_private.public_key()) == kid


def test_rotation_makes_the_new_key_current_and_keeps_the_old_one_published(tmp_path):
    old = IssuerKeys.create(tmp_path)
    new = IssuerKeys.create(tmp_path)
    keys = IssuerKeys.load(tmp_path)
    assert keys.current_kid == new != old
    assert [jwk["kid"] for jwk in keys.public_jwks()["keys"]] == [new, old]
    document = keys.did_document("did:web:academy.example.vn")
    assert document["assertionMethod"] == [
        "did:web:academy.example.vn#" + new,
        "did:web:academy.example.vn#" + old,
    ]


def test_the_current_file_wins_over_the_newest_key(tmp_path):
    old = IssuerKeys.create(tmp_path)
    IssuerKeys.create(tmp_path)
    (tmp_path / "current").write_text(old)
    assert IssuerKeys.load(tmp_path).current_kid == old


def test_without_a_current_file_the_newest_key_is_current(tmp_path):
    IssuerKeys.create(tmp_path)
    newest = IssuerKeys.create(tmp_path)
    (tmp_path / "current").unlink()
    assert IssuerKeys.load(tmp_path).current_kid == newest


def test_a_key_from_the_environment_is_current_and_the_folders_are_still_published(tmp_path):
    in_folder = IssuerKeys.create(tmp_path)
    key = generate_key()
    keys = IssuerKeys.load(tmp_path, env_pem=to_pem(key).decode())
    assert keys.current_kid == thumbprint(key.public_key())
    assert {jwk["kid"] for jwk in keys.public_jwks()["keys"]} == {keys.current_kid, in_folder}


def test_the_environment_alone_is_enough(tmp_path):
    key = generate_key()
    keys = IssuerKeys.load(tmp_path / "missing", env_pem=to_pem(key).decode())
    assert keys.current_kid == thumbprint(key.public_key())


def test_no_key_anywhere_publishes_nothing_and_refuses_to_sign(tmp_path):
    keys = IssuerKeys.load(tmp_path / "missing", env_pem="")
    assert keys.public_jwks() == {"keys": []}
    with pytest.raises(NoIssuerKey, match="keygen"):
        keys.current_private  # noqa: B018


def test_a_pem_of_another_kind_of_key_is_refused(tmp_path):
    other = ec.generate_private_key(ec.SECP256R1())
    pem = other.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    with pytest.raises(ValueError, match="Ed25519"):
        IssuerKeys.load(tmp_path, env_pem=pem)


def test_the_jwks_holds_public_okp_keys_only(tmp_path):
    IssuerKeys.create(tmp_path)
    (jwk,) = IssuerKeys.load(tmp_path).public_jwks()["keys"]
    assert set(jwk) == {"kty", "crv", "x", "kid", "alg", "use"}
    assert (jwk["kty"], jwk["crv"], jwk["alg"], jwk["use"]) == ("OKP", "Ed25519", "EdDSA", "sig")
    assert len(unb64(jwk["x"])) == 32


def test_the_did_document_lists_every_key_as_a_verification_method(tmp_path):
    IssuerKeys.create(tmp_path)
    keys = IssuerKeys.load(tmp_path)
    did = "did:web:academy.example.vn"
    document = keys.did_document(did)
    assert document["id"] == did
    assert "https://www.w3.org/ns/did/v1" in document["@context"]
    (method,) = document["verificationMethod"]
    assert method == {
        "id": f"{did}#{keys.current_kid}",
        "type": "JsonWebKey2020",
        "controller": did,
        "publicKeyJwk": public_jwk(keys.current_private.public_key()),
    }
