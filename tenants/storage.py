"""File storage behind one small interface, with two backends chosen from Settings.

- `S3Storage`: any S3-compatible store through boto3 (SigV4, path-style addressing);
  downloads are presigned GET URLs that carry the `Content-Disposition`.
- `LocalStorage`: a directory (the embedded run); downloads are signed, expiring links
  served by `web.files`.

Every key starts with its owner: `platform/...` or the tenant's id (`t42/...`, as in job
ids), so a tenant's files can be listed, moved or deleted by prefix and never mix with
another's.
Callers check who may download before they ask for a URL; a URL is the permission.
"""

from __future__ import annotations

import mimetypes
import os
import re
import shutil
import tempfile
import time
import unicodedata
import uuid
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import quote

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from tenants.config import Settings, settings_of

KEY_RE = re.compile(r"^(platform|t[0-9]+)(/[A-Za-z0-9][A-Za-z0-9._-]*)+$")
DOWNLOAD_PATH = "/files/"  # where web.files serves LocalStorage links
_TOKEN_SALT = "labinov.storage.download"


class StorageError(RuntimeError):
    pass


class NotFound(StorageError):
    pass


def check_key(key: str) -> str:
    """A key must start with its owner and hold no path tricks."""
    if not KEY_RE.match(key) or ".." in key.split("/"):
        raise StorageError(f"not a storage key: {key!r}")
    return key


def platform_key(*parts: str) -> str:
    return check_key("/".join(("platform", *parts)))


def tenant_key(tenant_id: int, *parts: str) -> str:
    return check_key("/".join((f"t{int(tenant_id)}", *parts)))


def agreement_key(tenant_id: int) -> str:
    """A fresh key for an agreement's signed PDF."""
    return platform_key("agreements", str(tenant_id), f"{uuid.uuid4().hex}.pdf")


def safe_filename(name: str | None, default: str = "download") -> str:
    """The name a person will see: no directories, no control characters, bounded length."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    if not name:
        return default
    stem, dot, ext = name.rpartition(".")
    if dot and len(ext) <= 10:
        return stem[: 190].rstrip() + "." + ext
    return name[:200]


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and, if needed, the UTF-8 name (RFC 6266 / 5987)."""
    filename = safe_filename(filename)
    # Accents come off ("é" -> "e"); any other non-ASCII character becomes "_".
    decomposed = unicodedata.normalize("NFKD", filename)
    fallback = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    fallback = re.sub(r'[^\x20-\x7e]|["\\]', "_", fallback).strip() or "download"
    value = f'attachment; filename="{fallback}"'
    if fallback != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


def guess_type(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


class Storage(Protocol):
    def put(self, key: str, fileobj: BinaryIO, content_type: str,
            filename: str | None = None) -> None: ...

    def open(self, key: str) -> BinaryIO: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...

    def keys(self, prefix: str) -> list[str]: ...

    def download_url(self, key: str, filename: str, expires: int = 300) -> str: ...


class LocalStorage:
    """Files under one directory; links signed with the app's secret key."""

    def __init__(self, root: str | os.PathLike, secret_key: str, base_url: str):
        self.root = Path(root).resolve()
        self.base_url = base_url.rstrip("/")
        self._signer = URLSafeSerializer(secret_key, salt=_TOKEN_SALT)

    def path(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        if not path.is_relative_to(self.root):
            raise StorageError(f"not a storage key: {key!r}")
        return path

    def put(self, key, fileobj, content_type, filename=None):
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target and rename, so a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(fileobj, out)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def open(self, key):
        try:
            return self.path(key).open("rb")
        except FileNotFoundError as exc:
            raise NotFound(key) from exc

    def get(self, key):
        with self.open(key) as f:
            return f.read()

    def delete(self, key):
        self.path(key).unlink(missing_ok=True)

    def exists(self, key):
        return self.path(key).is_file()

    def keys(self, prefix):
        base = self.root / prefix
        if not base.exists():
            return []
        return sorted(str(p.relative_to(self.root)) for p in base.rglob("*")
                      if p.is_file() and not p.name.startswith(".upload-"))

    def download_url(self, key, filename, expires=300):
        check_key(key)
        token = self._signer.dumps({"k": key, "f": safe_filename(filename),
                                    "x": int(time.time()) + int(expires)})
        return f"{self.base_url}{DOWNLOAD_PATH}{token}"

    def resolve_token(self, token: str) -> tuple[str, str]:
        """(key, filename) of a valid, unexpired link; raises NotFound otherwise."""
        try:
            data = self._signer.loads(token)
        except BadSignature as exc:
            raise NotFound("bad link") from exc
        if not isinstance(data, dict) or data.get("x", 0) < time.time():
            raise NotFound("expired link")
        return check_key(data["k"]), data["f"]


class S3Storage:
    """An S3-compatible bucket (AWS S3, Garage, Ceph RGW, MinIO, moto)."""

    def __init__(self, settings: Settings):
        import boto3
        from botocore.config import Config

        self.bucket = settings.s3_bucket
        self.client = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url or None,
            region_name=settings.s3_region,
            aws_access_key_id=settings.s3_access_key_id or None,
            aws_secret_access_key=settings.s3_secret_access_key or None,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                          retries={"max_attempts": 3, "mode": "standard"}),
        )

    def _missing(self, exc) -> bool:
        code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
        return code in ("404", "NoSuchKey", "NotFound")

    def put(self, key, fileobj, content_type, filename=None):
        extra = {"ContentType": content_type}
        if filename:
            extra["ContentDisposition"] = content_disposition(filename)
        self.client.upload_fileobj(fileobj, self.bucket, check_key(key), ExtraArgs=extra)

    def open(self, key):
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=check_key(key))["Body"]
        except ClientError as exc:
            if self._missing(exc):
                raise NotFound(key) from exc
            raise

    def get(self, key):
        body = self.open(key)
        try:
            return body.read()
        finally:
            body.close()

    def delete(self, key):
        self.client.delete_object(Bucket=self.bucket, Key=check_key(key))

    def exists(self, key):
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as exc:
            if self._missing(exc):
                return False
            raise
        return True

    def keys(self, prefix):
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix)
        return sorted(obj["Key"] for page in pages for obj in page.get("Contents", ()))

    def download_url(self, key, filename, expires=300):
        return self.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": check_key(key),
                    "ResponseContentDisposition": content_disposition(filename),
                    "ResponseContentType": guess_type(filename)},
            ExpiresIn=int(expires))


def make_storage(settings: Settings) -> Storage:
    if settings.s3_bucket:
        return S3Storage(settings)
    return LocalStorage(settings.storage_dir, settings.secret_key, settings.base_url)


def storage() -> Storage:
    """The current app's storage (built once per app)."""
    app = current_app._get_current_object()
    backend = app.extensions.get("labinov.storage")
    if backend is None:
        backend = app.extensions["labinov.storage"] = make_storage(settings_of(app))
    return backend


def tenant_prefixes(tenant_id: int) -> tuple[str, ...]:
    """Every key prefix under which a tenant's files are kept."""
    return (f"t{int(tenant_id)}/", f"platform/agreements/{int(tenant_id)}/")


def forget_tenant_files(tenant_id: int) -> int:
    """Delete every file of a dropped tenant (its agreements' signed PDFs included)."""
    backend = storage()
    keys = [key for prefix in tenant_prefixes(tenant_id) for key in backend.keys(prefix)]
    for key in keys:
        backend.delete(key)
    return len(keys)
