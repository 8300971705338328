"""Checking uploaded files by their content, never by their name or the browser's word.

    document = FileField(_l("Signed PDF"), validators=[PdfFile()])
    ...
    upload = form.document.upload      # a checked PdfUpload, rewound, ready to store

A PDF must start with `%PDF-`, be readable by pypdf (an encrypted file only if it opens
without a password), have at least one page, and stay within `Settings.upload_max_bytes`.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage
from wtforms.validators import StopValidation

from tenants.config import settings_of
from tenants.storage import safe_filename

PDF_MAGIC = b"%PDF-"
PDF_TYPE = "application/pdf"
_CHUNK = 64 * 1024


class UploadError(ValueError):
    """An upload that cannot be accepted; `str()` is the translated reason."""


@dataclass
class PdfUpload:
    stream: BinaryIO
    size: int
    filename: str
    pages: int
    content_type: str = PDF_TYPE


def _megabytes(n: int) -> str:
    return format_decimal(n / (1024 * 1024), format="#,##0.#")


def _spool(file: FileStorage, max_bytes: int) -> tuple[BinaryIO, int]:
    """Copy the upload into a temporary file, refusing it as soon as it is over the limit."""
    out = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 - returned open
    size = 0
    while chunk := file.stream.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            out.close()
            raise UploadError(_("The file is larger than %(limit)s MB. Please upload a smaller "
                                "scan (for example at 150 dpi, black and white).",
                                limit=_megabytes(max_bytes)))
        out.write(chunk)
    out.seek(0)
    return out, size


def read_pdf(file: FileStorage | None, max_bytes: int | None = None) -> PdfUpload:
    """Check `file` and return it spooled and rewound; raises UploadError with the reason."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if max_bytes is None:
        max_bytes = settings_of(current_app).upload_max_bytes
    if file is None or not isinstance(file, FileStorage) or not file.filename:
        raise UploadError(_("Choose the signed PDF file to upload."))
    stream, size = _spool(file, max_bytes)
    if size == 0:
        stream.close()
        raise UploadError(_("The file is empty. Please choose the scanned PDF again."))
    if stream.read(len(PDF_MAGIC)) != PDF_MAGIC:
        stream.close()
        raise UploadError(_("This file is not a PDF. Please upload the scanned agreement as a "
                            "PDF file."))
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileNotDecryptedError("password required")
        pages = len(reader.pages)
        if pages == 0:
            raise PdfReadError("no pages")
    except FileNotDecryptedError as exc:
        stream.close()
        raise UploadError(_("This PDF is protected by a password. Please upload a copy "
                            "without a password.")) from exc
    except Exception as exc:  # pypdf raises many kinds of errors for a broken file
        stream.close()
        raise UploadError(_("This PDF is damaged and cannot be read. Please scan or export "
                            "it again.")) from exc
    stream.seek(0)
    name = safe_filename(file.filename, default="document.pdf")
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return PdfUpload(stream=stream, size=size, filename=name, pages=pages)


class PdfFile:
    """WTForms validator: the field's data must be a readable PDF within the size limit.

    On success the checked upload is kept on the field as `field.upload`.
    """

    field_flags = {"required": True}

    def __call__(self, form, field):
        field.upload = None
        try:
            field.upload = read_pdf(field.data)
        except UploadError as exc:
            field.errors[:] = []
            raise StopValidation(str(exc)) from exc
