"""Evidence files of an idea: PDF, images (JPEG, PNG, WebP) and office documents (DOCX,
XLSX, PPTX), recognised by what they contain, never by their name.

A file is read at most up to the size limit, identified by its first bytes and then opened
the way its type is read (pypdf for a PDF, Pillow for an image, the zip's
[Content_Types].xml for an office document), and stored under the lab's key prefix with
the extension of what it really is. The database row commits with the caller; a caller
whose commit fails deletes the stored object again (`Stored.key`).
"""

from __future__ import annotations

import re
import tempfile
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tenants.audit.operations import record_lab
from tenants.formatting import format_number
from tenants.lab.models import Attachment, Idea, IdeaEvent
from tenants.refusal import Refused
from tenants.scope import current_tenant
from tenants.storage import safe_filename, storage, tenant_key

KINDS = (Attachment.EVIDENCE, Attachment.LAUNCH, Attachment.PHOTO)
DESCRIPTION_MAX = 300
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    image: bool = False


PDF = FileType("pdf", "application/pdf")
JPEG = FileType("jpg", "image/jpeg", image=True)
PNG = FileType("png", "image/png", image=True)
WEBP = FileType("webp", "image/webp", image=True)
DOCX = FileType("docx", "application/vnd.openxmlformats-officedocument."
                        "wordprocessingml.document")
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = FileType("pptx", "application/vnd.openxmlformats-officedocument."
                        "presentationml.presentation")

# The main part an office document's [Content_Types].xml declares, by type. Macro-enabled
# variants (docm, xlsm, pptm) declare other parts and are refused.
OFFICE_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml":
        PPTX,
}
PILLOW_FORMATS = {"JPEG": JPEG, "PNG": PNG, "WEBP": WEBP}
CONTENT_TYPE_RE = re.compile(rb'ContentType\s*=\s*"([^"]+)"')
# Other extensions a file of each type may carry without being renamed.
SAME = {"jpg": {"jpg", "jpeg", "jfif"}, "pdf": {"pdf"}, "png": {"png"}, "webp": {"webp"},
        "docx": {"docx"}, "xlsx": {"xlsx"}, "pptx": {"pptx"}}


def _megabytes(n: int) -> str:
    value = n / (1024 * 1024)
    return format_number(int(value)) if value == int(value) else f"{value:.1f}"


def spool(stream: BinaryIO, max_bytes: int) -> tuple[BinaryIO, int]:
    """Copy `stream` into a temporary file, refusing it once it is over `max_bytes`."""
    out = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 - returned open
    size = 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            out.close()
            raise Refused(_("The file is larger than %(limit)s MB. Please upload a smaller "
                            "file (a photo at a lower resolution, a scan at 150 dpi).",
                            limit=_megabytes(max_bytes)), "file")
        out.write(chunk)
    if size == 0:
        out.close()
        raise Refused(_("The file is empty. Please choose it again."), "file")
    out.seek(0)
    return out, size


def identify(stream: BinaryIO) -> FileType:
    """What `stream` is, by content; raises Refused saying why it cannot be accepted."""
    head = stream.read(16)
    stream.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return _pdf(stream)
        if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n") or (
                head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
            return _image(stream)
        if head.startswith(b"PK\x03\x04"):
            return _office(stream)
        if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            raise Refused(_("This is an office file in the old format (.doc, .xls or .ppt). "
                            "Please save it as DOCX, XLSX or PPTX, or as a PDF, and upload "
                            "that."), "file")
    finally:
        stream.seek(0)
    raise Refused(_("This file is not a PDF, an image (JPEG, PNG, WebP) or an office document "
                    "(DOCX, XLSX, PPTX). Please upload it in one of these formats."), "file")


def _pdf(stream: BinaryIO) -> FileType:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileNotDecryptedError("password required")
        if len(reader.pages) == 0:
            raise PdfReadError("no pages")
    except FileNotDecryptedError as exc:
        raise Refused(_("This PDF is protected by a password. Please upload a copy without "
                        "a password."), "file") from exc
    except Exception as exc:  # pypdf raises many kinds of errors for a broken file
        raise Refused(_("This PDF is damaged and cannot be read. Please save or scan it "
                        "again."), "file") from exc
    return PDF


def _image(stream: BinaryIO) -> FileType:
    from PIL import Image

    damaged = Refused(_("This image is damaged and cannot be shown. Please take or save it "
                        "again."), "file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as image:
                kind = PILLOW_FORMATS.get(image.format or "")
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise Refused(_("This image is too large in pixels. Please upload a smaller copy."),
                      "file") from exc
    except Exception as exc:  # Pillow raises many kinds of errors for a broken image
        raise damaged from exc
    if kind is None:
        raise damaged
    return kind


def _office(stream: BinaryIO) -> FileType:
    try:
        with zipfile.ZipFile(stream) as archive:
            try:
                info = archive.getinfo("[Content_Types].xml")
            except KeyError:
                info = None
            if info is None or info.file_size > 1024 * 1024:
                raise Refused(_("This is a ZIP archive, not an office document. Please upload "
                                "the documents one by one (PDF, DOCX, XLSX, PPTX or images)."),
                              "file")
            declared = CONTENT_TYPE_RE.findall(archive.read(info))
    except zipfile.BadZipFile as exc:
        raise Refused(_("This office document is damaged and cannot be read. Please save it "
                        "again."), "file") from exc
    for content_type in declared:
        kind = OFFICE_PARTS.get(content_type.decode("ascii", "replace"))
        if kind is not None:
            return kind
    raise Refused(_("This office document is of a kind that cannot be accepted (for example "
                    "one with macros). Please save it as DOCX, XLSX, PPTX or PDF."), "file")


def display_name(filename: str | None, kind: FileType) -> str:
    """The person's file name, with the extension of what the file really is."""
    name = safe_filename(filename, default=f"file.{kind.extension}")
    stem, dot, ext = name.rpartition(".")
    if dot and ext.lower() in SAME[kind.extension]:
        return name
    return f"{name if not dot else stem}.{kind.extension}"


def _name(idea: Idea) -> str:
    return f"{idea.acronym} — {idea.title}" if idea.acronym else idea.title


def attach(session: Session, idea: Idea, *, stream: BinaryIO | None, filename: str | None,
           kind: str, description: str | None, max_bytes: int, actor_id: int | None,
           ip: str | None = None) -> Attachment:
    """Check and store an evidence file of `idea`; the row is added to `session`."""
    if kind not in KINDS:
        raise Refused(_("Choose one of the options."), "kind")
    description = (description or "").strip() or None
    if description and len(description) > DESCRIPTION_MAX:
        raise Refused(_("Keep the description under %(n)s characters.", n=DESCRIPTION_MAX),
                      "description")
    if stream is None or not filename:
        raise Refused(_("Choose the file to upload."), "file")
    spooled, size = spool(stream, max_bytes)
    with spooled:
        filetype = identify(spooled)
        if kind == Attachment.PHOTO and not filetype.image:
            raise Refused(_("A photo is a JPEG, PNG or WebP image; this file is a %(type)s. "
                            "Upload it as evidence instead.", type=filetype.extension.upper()),
                          "file")
        name = display_name(filename, filetype)
        key = tenant_key(current_tenant(session).id, "ideas", str(idea.id),
                         f"{uuid.uuid4().hex}.{filetype.extension}")
        storage().put(key, spooled, filetype.content_type, filename=name)
    attachment = Attachment(idea_id=idea.id, kind=kind, key=key, filename=name,
                            content_type=filetype.content_type, size=size,
                            description=description, uploaded_by_id=actor_id)
    session.add(attachment)
    session.flush()
    session.add(IdeaEvent(idea_id=idea.id, actor_id=actor_id, action="file_added",
                          detail={"file": name, "kind": kind}))
    record_lab(session, "idea.file_added", actor_id=actor_id, target=_name(idea), ip=ip,
               document=name, size=size)
    return attachment


def remove(session: Session, idea: Idea, attachment: Attachment, *, actor_id: int | None,
           ip: str | None = None) -> str:
    """Delete the row; returns the storage key for the caller to delete after its commit."""
    key = attachment.key
    session.delete(attachment)
    session.add(IdeaEvent(idea_id=idea.id, actor_id=actor_id, action="file_removed",
                          detail={"file": attachment.filename, "kind": attachment.kind}))
    record_lab(session, "idea.file_removed", actor_id=actor_id, target=_name(idea), ip=ip,
               document=attachment.filename)
    return key
