# stand-in: replaced by the document modules
"""The issuer's signing keys."""

import json
import secrets
from pathlib import Path


class IssuerKeys:
    """The issuer's keys: the current one signs, the older ones stay published."""

    def __init__(self, kids: list[str]) -> None:
        self.kids = kids

    @classmethod
    def load(cls, directory: Path, env_pem: str | None = None) -> "IssuerKeys":
        kids = sorted(path.stem for path in Path(directory).glob("*.json"))
        if env_pem:
            kids.append("env")
        if not kids:
            raise FileNotFoundError(f"no issuer key in {directory}")
        return cls(kids)

    @staticmethod
    def create(directory: Path) -> str:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        kid = f"{len(list(directory.glob('*.json'))):04d}-{secrets.token_hex(4)}"
        (directory / f"{kid}.json").write_text(json.dumps({"kid": kid}))
        return kid

    @property
    def current_kid(self) -> str:
        return self.kids[-1]

    def public_jwks(self) -> dict:
        return {
            "keys": [{"kty": "OKP", "crv": "Ed25519", "kid": kid, "x": ""} for kid in self.kids]
        }

    def did_document(self, did: str) -> dict:
        return {"id": did, "verificationMethod": [{"id": f"{did}#{kid}"} for kid in self.kids]}
