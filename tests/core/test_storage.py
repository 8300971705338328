"""File storage: both backends behind one interface, over the real S3 server and a directory."""

from __future__ import annotations

import io
import urllib.error
import urllib.request

import pytest

from fixtures.pdf import make_pdf
from tenants.storage import (
    LocalStorage,
    NotFound,
    S3Storage,
    StorageError,
    agreement_key,
    check_key,
    content_disposition,
    make_storage,
    platform_key,
    storage,
    tenant_key,
)

NAME = "MoU Kabupaten Tuban \u2013 2018.pdf"  # an en dash: not ASCII


def _exercise(backend, key: str, body: bytes) -> None:
    assert not backend.exists(key)
    backend.put(key, io.BytesIO(body), "application/pdf", NAME)
    assert backend.exists(key)
    assert backend.get(key) == body
    with backend.open(key) as f:
        assert f.read() == body
    assert key in backend.keys(key.split("/")[0] + "/")
    backend.delete(key)
    assert not backend.exists(key)
    with pytest.raises(NotFound):
        backend.get(key)
    backend.delete(key)  # deleting what is gone is not an error


def test_keys_start_with_their_owner():
    assert platform_key("agreements", "7", "a.pdf") == "platform/agreements/7/a.pdf"
    assert tenant_key(42, "exports", "units.csv") == "t42/exports/units.csv"
    key = agreement_key(7)
    assert key.startswith("platform/agreements/7/") and key.endswith(".pdf")
    assert agreement_key(7) != key
    for bad in ("agreements/x.pdf", "t_3513/x", "platform/../t1/x", "t1//x", "/platform/x",
                "t1/x/../../y", "platform", "tx/a", "platform/a b"):
        with pytest.raises(StorageError):
            check_key(bad)


def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name():
    assert content_disposition("mou-2018.pdf") == 'attachment; filename="mou-2018.pdf"'
    value = content_disposition(NAME)
    assert value.startswith('attachment; filename="MoU Kabupaten Tuban _ 2018.pdf"; ')
    assert value.endswith("filename*=UTF-8''MoU%20Kabupaten%20Tuban%20%E2%80%93%202018.pdf")
    assert content_disposition('a"b.pdf') == (
        "attachment; filename=\"a_b.pdf\"; filename*=UTF-8''a%22b.pdf")
    assert content_disposition("C:\\scans\\mou.pdf") == 'attachment; filename="mou.pdf"'
    assert content_disposition("../../etc/passwd") == 'attachment; filename="passwd"'


def test_s3_backend_over_http_with_a_presigned_download(settings, s3_server, ctx):
    backend = storage()
    assert isinstance(backend, S3Storage)
    body = make_pdf(2)
    key = agreement_key(99)
    _exercise(backend, key, body)

    backend.put(key, io.BytesIO(body), "application/pdf", NAME)
    assert key in s3_server.keys("platform/agreements/99/")
    url = backend.download_url(key, NAME, expires=60)
    assert url.startswith(s3_server.endpoint_url + "/" + s3_server.bucket + "/")  # path style
    assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in url and "X-Amz-Expires=60" in url
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == body
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.headers["Content-Disposition"] == content_disposition(NAME)
    backend.delete(key)


def test_the_backend_follows_the_settings(settings, tmp_path):
    from dataclasses import replace

    assert isinstance(make_storage(settings), S3Storage)
    local = make_storage(replace(settings, s3_bucket="", storage_dir=str(tmp_path)))
    assert isinstance(local, LocalStorage) and local.root == tmp_path.resolve()


@pytest.fixture
def local_storage(ctx, tmp_path, monkeypatch):
    """The app's storage switched to a local directory for this test."""
    backend = LocalStorage(tmp_path / "files", ctx.config["LABINOV"].secret_key,
                           "http://localhost")
    monkeypatch.setitem(ctx.extensions, "labinov.storage", backend)
    return backend


def test_local_backend_round_trip_and_signed_download(local_storage, client):
    backend = local_storage
    body = make_pdf()
    key = tenant_key(3, "exports", "ideas.pdf")
    _exercise(backend, key, body)
    assert not list((backend.root / "t3" / "exports").iterdir())  # no temporary leftovers

    backend.put(key, io.BytesIO(body), "application/pdf", NAME)
    url = backend.download_url(key, NAME, expires=60)
    assert url.startswith("http://localhost/files/")
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == body
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == content_disposition(NAME)
    assert "no-store" in response.headers["Cache-Control"]

    token = url.rsplit("/", 1)[1]
    assert client.get("/files/" + token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
                      ).status_code == 404  # tampered
    assert client.get(backend.download_url(key, NAME, expires=-1)).status_code == 404  # expired
    other = LocalStorage(backend.root, "another-secret", "http://localhost")
    assert client.get(other.download_url(key, NAME)).status_code == 404  # not our signature
    backend.delete(key)
    assert client.get(url).status_code == 404  # gone


def test_local_backend_refuses_paths_outside_its_root(tmp_path):
    backend = LocalStorage(tmp_path, "secret", "http://localhost")
    with pytest.raises(StorageError):
        backend.put("platform/../../escape.txt", io.BytesIO(b"x"), "text/plain")
    assert not (tmp_path.parent / "escape.txt").exists()


def test_files_route_is_closed_with_the_s3_backend(ctx, client):
    local = LocalStorage("/nonexistent", ctx.config["LABINOV"].secret_key, "http://localhost")
    url = local.download_url("platform/agreements/1/x.pdf", "x.pdf")
    assert client.get(url).status_code == 404
