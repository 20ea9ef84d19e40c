"""A module's images and files, served to anyone: they illustrate the lessons, like the
catalogue they are public, and so any cache on the way may keep them. The address that
holds the content's digest (``?v=``, as lessons link to it) is cached for good; another is
kept a day and then checked against its ETag."""

from flask import Blueprint, Response, abort, request
from sqlalchemy import select
from sqlalchemy.orm import undefer

from app.content.media import PHONE_TYPE
from app.content.models import ModuleMedia
from app.extensions import db
from app.static_files import FOR_A_YEAR

bp = Blueprint("content", __name__)

A_DAY = "public, max-age=86400"


def _serve(module_id: int, name: str, phone: bool) -> Response:
    column = ModuleMedia.phone if phone else ModuleMedia.data
    row = db.session.scalar(
        select(ModuleMedia)
        .where(ModuleMedia.module_id == module_id, ModuleMedia.name == name)
        .options(undefer(column))
    )
    if row is None:
        abort(404)
    data = row.phone if phone and row.phone is not None else row.data
    phone = phone and row.phone is not None
    response = Response(data, content_type=PHONE_TYPE if phone else row.content_type)
    response.set_etag(f"{row.sha256}-phone" if phone else row.sha256)
    version = request.args.get("v", "")
    cached = len(version) >= 16 and row.sha256.startswith(version)
    response.headers["Cache-Control"] = FOR_A_YEAR if cached else A_DAY
    response.headers["X-Content-Type-Options"] = "nosniff"
    if row.kind == "file":
        response.headers["Content-Disposition"] = f'attachment; filename="{row.name}"'
    return response.make_conditional(request)


@bp.get("/media/<int:module_id>/<name>")
def media(module_id, name):
    return _serve(module_id, name, phone=False)


@bp.get("/media/<int:module_id>/phone/<name>")
def media_phone(module_id, name):
    """The phone-sized copy of a wide image (the image itself when it has none)."""
    return _serve(module_id, name, phone=True)
