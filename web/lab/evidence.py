"""Evidence files of an idea (PDF, images, office documents; launch evidence among them):
uploading, downloading through a link that expires in minutes, removing. They are checked
by content in `tenants.lab.operations.attachments`."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tenants.config import settings_of
from tenants.db import db
from tenants.lab.models import Idea
from tenants.lab.operations import attachments as files
from tenants.lab.queries import ideas as queries
from tenants.refusal import Refused
from tenants.storage import storage
from web.access import roles_required
from web.forms import place
from web.lab.idea_forms import UploadForm
from web.lab.idea_pages import EDITORS, editable_or_404, idea_context, idea_or_404, render_idea

log = logging.getLogger(__name__)

bp = Blueprint("evidence", __name__, url_prefix="/ideas/<int:idea_id>/files")
bp.context_processor(idea_context)


@bp.post("/")
@roles_required(*EDITORS)
def upload(idea_id: int):
    idea = editable_or_404(idea_id)
    form = UploadForm()
    if not form.validate_on_submit():
        return render_idea(idea, status=400, upload_form=form)
    file = request.files.get(form.file.name)
    key = None
    try:
        attachment = files.attach(
            db.session, idea, stream=file.stream if file else None,
            filename=file.filename if file else None, kind=form.kind.data,
            description=form.description.data,
            max_bytes=settings_of(current_app).upload_max_bytes, actor_id=current_user.id,
            ip=request.remote_addr)
        key = attachment.key
        db.session.commit()
    except Refused as refusal:
        db.session.rollback()
        if key:
            storage().delete(key)
        error = place(form, refusal)
        return render_idea(db.session.get(Idea, idea_id), status=400, upload_form=form,
                           upload_error=error)
    except Exception:
        db.session.rollback()
        if key:
            storage().delete(key)  # stored, but the row did not commit
        raise
    flash(_("%(name)s is attached.", name=attachment.filename), "success")
    return redirect(url_for("lab.ideas.show", idea_id=idea_id, _anchor="files"))


@bp.get("/<int:attachment_id>")
@roles_required()
def download(idea_id: int, attachment_id: int):
    """Check the reader first, then hand out a link that expires in minutes."""
    idea = idea_or_404(idea_id)
    attachment = queries.attachment(db.session, idea.id, attachment_id)
    if attachment is None:
        abort(404)
    response = redirect(storage().download_url(attachment.key, attachment.filename,
                                               expires=300))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<int:attachment_id>/delete")
@roles_required(*EDITORS)
def delete(idea_id: int, attachment_id: int):
    idea = editable_or_404(idea_id)
    attachment = queries.attachment(db.session, idea.id, attachment_id)
    if attachment is None:
        abort(404)
    name = attachment.filename
    key = files.remove(db.session, idea, attachment, actor_id=current_user.id,
                       ip=request.remote_addr)
    db.session.commit()
    try:
        storage().delete(key)
    except Exception:  # the row is gone; a stray object is only storage
        log.exception("could not delete %s", key)
    flash(_("%(name)s is removed.", name=name), "success")
    return redirect(url_for("lab.ideas.show", idea_id=idea_id, _anchor="files"))

