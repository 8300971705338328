"""Serving the local storage backend's signed, expiring download links.

The link itself is the permission: it is only handed out by a view that checked the
reader's role, and it expires within minutes. With the S3 backend the store serves
its presigned URLs itself and this route answers 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, send_file

from tenants.storage import LocalStorage, NotFound, content_disposition, guess_type, storage

bp = Blueprint("files", __name__)


@bp.get("/files/<token>")
def download(token: str):
    backend = storage()
    if not isinstance(backend, LocalStorage):
        abort(404)
    try:
        key, filename = backend.resolve_token(token)
        path = backend.path(key)
        if not path.is_file():
            raise NotFound(key)
    except NotFound:
        abort(404)
    response = send_file(path, mimetype=guess_type(filename), max_age=0, conditional=False,
                         etag=False)
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response
