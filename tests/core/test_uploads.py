"""PDF uploads are checked by their content, with a size limit and a reason for each refusal."""

from __future__ import annotations

import io

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import FileStorage

from fixtures.pdf import make_pdf
from web.uploads import UploadError, read_pdf

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def upload(data: bytes, name: str = "mou.pdf", content_type: str = "application/pdf"):
    return FileStorage(io.BytesIO(data), filename=name, content_type=content_type)


def refusal(data: bytes, name: str = "mou.pdf", max_bytes: int = 1024 * 1024,
            locale: str = "en") -> str:
    with force_locale(locale), pytest.raises(UploadError) as refused:
        read_pdf(upload(data, name), max_bytes=max_bytes)
    return str(refused.value)


def test_a_real_pdf_passes_whatever_its_name(ctx):
    body = make_pdf(pages=3)
    checked = read_pdf(upload(body, "scan from printer", "application/octet-stream"))
    assert checked.pages == 3 and checked.size == len(body)
    assert checked.filename == "scan from printer.pdf"
    assert checked.stream.read() == body  # rewound, whole


def test_each_bad_file_gets_its_own_reason(ctx):
    assert "not a PDF" in refusal(PNG)  # a PNG named .pdf with the PDF content type
    assert "not a PDF" in refusal(b"MoU nomor 119/1387/414.103/2018")
    assert "empty" in refusal(b"")
    assert "damaged" in refusal(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    assert "damaged" in refusal(make_pdf()[:200])  # cut short
    assert "password" in refusal(make_pdf(password="rahasia"))
    assert "larger than 1 MB" in refusal(b"%PDF-1.4\n" + b"0" * (1024 * 1024))
    assert "Choose the signed PDF" in refusal(b"%PDF-", name="")


def test_a_pdf_encrypted_without_a_user_password_is_readable(ctx):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="", owner_password="pemilik")
    out = io.BytesIO()
    writer.write(out)
    assert read_pdf(upload(out.getvalue())).pages == 1


def test_the_limit_comes_from_the_settings(ctx):
    limit = ctx.config["LABINOV"].upload_max_bytes
    assert limit == 10 * 1024 * 1024
    body = make_pdf()
    assert read_pdf(upload(body)).size == len(body)
    with force_locale("en"), pytest.raises(UploadError, match="larger than 10 MB"):
        read_pdf(upload(b"%PDF-1.4\n" + b"0" * limit))
