"""Static files: each URL carries a hash of the file's content (`/static/app.css?v=3f2a…`),
so that a browser may keep it for a year and still fetch a changed file at once; and
responses are compressed (Brotli where the client accepts it, gzip otherwise).

The hashes are computed once per file and process: files under static/ change only with a
deployment, which restarts the processes."""

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, request

from app.extensions import compress

FOR_A_YEAR = "public, max-age=31536000, immutable"


@cache
def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_REGISTER", True)
    compress.init_app(app)
    folder = Path(app.static_folder or "static")

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values:
            path = folder / values.get("filename", "")
            if path.is_file():
                values["v"] = _fingerprint(path)

    @app.after_request
    def cache_fingerprinted(response):
        if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
            response.headers["Cache-Control"] = FOR_A_YEAR
        return response
