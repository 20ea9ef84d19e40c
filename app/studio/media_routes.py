"""A module's images and downloadable files in the studio: the list with the Markdown
that shows each in a lesson, the upload form, and deleting one no published lesson uses.
Registered on the studio's blueprint."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import trainer_required
from app.content.media import MAX_BYTES, MediaProblem, process
from app.content.models import Module, ModuleMedia
from app.content.services import list_media, media_path
from app.errors import DomainError
from app.extensions import db
from app.forms import BaseForm, refuse
from app.security import accepts_body
from app.studio import services
from app.studio.forms import MediaUploadForm
from app.studio.routes import bp

#: an upload's request: the file and the few fields of its form
UPLOAD_BODY = MAX_BYTES + 64 * 1024


def _media_page(module: Module, form: MediaUploadForm | None = None, status: int = 200):
    return render_template(
        "studio/media.html", row=module, media=list_media(module.id), media_path=media_path,
        form=form or MediaUploadForm(formdata=None), base=BaseForm(),
    ), status  # fmt: skip


@bp.get("/modules/<int:module_id>/media")
@trainer_required
def media(module_id):
    return _media_page(db.get_or_404(Module, module_id))


@bp.post("/modules/<int:module_id>/media")
@accepts_body(UPLOAD_BODY)
@trainer_required
def upload_media(module_id):
    module = db.get_or_404(Module, module_id)
    form = MediaUploadForm()
    if not form.validate_on_submit():
        return _media_page(module, form, 400)
    upload = form.file.data
    try:
        processed = process(upload.read(MAX_BYTES + 1), upload.filename or "")
        alt = (form.alt_vi.data or "", form.alt_en.data or "")
        row = services.upload_media(module, processed, alt, current_user)
    except MediaProblem as problem:
        form.file.errors.append(_(problem.template, **problem.params))
        return _media_page(module, form, 400)
    except DomainError as error:
        refuse(form, error)
        return _media_page(db.get_or_404(Module, module_id), form, 400)
    db.session.commit()
    flash(_("%(name)s is uploaded: paste its Markdown into a lesson to show it.", name=row.name),
          "success")  # fmt: skip
    return redirect(url_for("studio.media", module_id=module_id, _anchor=f"media-{row.id}"))


@bp.post("/media/<int:media_id>/delete")
@trainer_required
def delete_media(media_id):
    row = db.get_or_404(ModuleMedia, media_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    module_id, name = row.module_id, row.name
    try:
        services.delete_media(row, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("studio.media", module_id=module_id, _anchor=f"media-{media_id}"))
    db.session.commit()
    flash(_("%(name)s is deleted.", name=name), "success")
    return redirect(url_for("studio.media", module_id=module_id))
