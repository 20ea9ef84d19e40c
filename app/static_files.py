"""Static files: each URL carries a hash of the file's content (`/static/app.css?v=3f2a…`),
so that a browser may keep it for a year and still fetch a changed file at once; and
responses are compressed (Brotli where the client accepts it, gzip otherwise).

The hashes are computed once per file and process: files under static/ change only with a
deployment, which restarts the processes."""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, request

from app.extensions import compress

FOR_A_YEAR = "public, max-age=31536000, immutable"


@lru_cache(maxsize=128)  # the files under static/, and no more
def _fingerprint(path: Path) -> str | None:
    """The file's hash, or None when there is no such file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else None


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_REGISTER", True)
    compress.init_app(app)
    folder = Path(app.static_folder or "static")

    def fingerprint(filename: str) -> str | None:
        return _fingerprint(folder / filename)

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict) -> None:
        if (
            endpoint == "static"
            and "v" not in values
            and (version := fingerprint(values.get("filename", "")))
        ):
            values["v"] = version

    @app.after_request
    def cache_fingerprinted(response):
        # only the address of the file as it is: an old hash may name other content
        if (
            request.endpoint == "static"
            and response.status_code == 200
            and request.args.get("v") == fingerprint((request.view_args or {}).get("filename", ""))
        ):
            response.headers["Cache-Control"] = FOR_A_YEAR
        return response
