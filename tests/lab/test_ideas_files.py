"""Evidence files of an idea: accepted or refused by what they contain, never by their name;
by size; stored under the lab's key prefix; downloaded only after a role check."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from tenants.lab.models import Attachment, IdeaEvent
from tenants.scope import tenant_session

from .idea_helpers import count, enrol, make_idea, sign_in, text_of

LAB = "/kab-probolinggo/ideas"


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def webp() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 200, 30)).save(out, "WEBP")
    return out.getvalue()


def pdf() -> bytes:
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=200, height=200)
    writer.write(out)
    return out.getvalue()


def office(main_type: str | None, part: str = "word/document.xml") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        if main_type is not None:
            z.writestr("[Content_Types].xml",
                       '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                       'package/2006/content-types"><Default Extension="xml" ContentType='
                       '"application/xml"/><Override PartName="/' + part + '" ContentType="'
                       + main_type + '"/></Types>')
        z.writestr(part, "<document/>")
    return out.getvalue()


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


@pytest.fixture
def idea(world):
    cohort = enrol(world.a, world.b)
    return make_idea(world.a, cohort.id, world.unit_ids["a"])


def upload(client, idea_id, content: bytes, name: str, kind="evidence", description="Bukti"):
    return client.post(f"{LAB}/{idea_id}/files/", content_type="multipart/form-data", data={
        "file": (io.BytesIO(content), name), "kind": kind, "description": description})


def stored(tenant) -> list[Attachment]:
    with tenant_session(tenant.ref()) as s:
        rows = s.scalars(sa.select(Attachment).order_by(Attachment.id)).all()
        for row in rows:
            s.expunge(row)
        return rows


def test_files_are_taken_for_what_they_contain(client, world, idea, s3_server):
    sign_in(client, world.users["innovator_a"])
    cases = [
        (png(), "foto-sosialisasi.pdf", "photo", "image/png", "foto-sosialisasi.png"),
        (pdf(), "laporan.png", "evidence", "application/pdf", "laporan.pdf"),
        (webp(), "peluncuran.webp", "launch", "image/webp", "peluncuran.webp"),
        (office(DOCX_MAIN), "rencana aksi.docx", "evidence",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "rencana aksi.docx"),
        (office(XLSX_MAIN, "xl/workbook.xml"), "anggaran", "evidence",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "anggaran.xlsx"),
    ]
    for content, name, kind, _type, _shown in cases:
        r = upload(client, idea, content, name, kind)
        assert r.status_code == 302, (name, text_of(r))
    rows = stored(world.a)
    assert [(a.content_type, a.filename, a.kind) for a in rows] == [
        (t, shown, k) for _c, _n, k, t, shown in cases]
    keys = s3_server.keys(f"t{world.a.id}/ideas/{idea}/")
    assert sorted(keys) == sorted(a.key for a in rows)
    assert [k.rsplit(".", 1)[1] for k in (a.key for a in rows)] == [
        "png", "pdf", "webp", "docx", "xlsx"]
    assert s3_server.client().get_object(Bucket=s3_server.bucket, Key=rows[0].key)[
        "Body"].read() == png()
    with tenant_session(world.a.ref()) as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(IdeaEvent).where(
            IdeaEvent.action == "file_added")) == 5


@pytest.mark.parametrize(("content", "name", "kind", "says"), [
    (pdf(), "foto.png", "photo", "Foto berupa gambar JPEG, PNG, atau WebP"),
    (office(None), "dokumen.docx", "evidence", "Ini arsip ZIP, bukan dokumen Office"),
    (office(DOCM_MAIN), "makro.docx", "evidence", "memuat makro"),
    (b"PK\x03\x04 not really a zip", "rusak.xlsx", "evidence", "Dokumen Office ini rusak"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "palsu.png", "photo", "Gambar ini rusak"),
    (b"%PDF-1.7\nnot a pdf at all", "palsu.pdf", "evidence", "PDF ini rusak"),
    (b"MZ\x90\x00 an executable", "foto.jpg", "photo", "Berkas ini bukan PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "lama.doc", "evidence",
     "format lama"),
    (b"", "kosong.pdf", "evidence", "Berkas kosong"),
])
def test_files_that_are_not_what_they_claim_are_refused(client, world, idea, s3_server,
                                                        content, name, kind, says):
    sign_in(client, world.users["innovator_a"])
    r = upload(client, idea, content, name, kind, description="Keterangan yang diketik")
    assert r.status_code == 400
    assert says in text_of(r)
    html = r.get_data(as_text=True)
    assert 'value="Keterangan yang diketik"' in html  # what was typed is kept
    assert f'<option selected value="{kind}">' in html
    assert stored(world.a) == [] and s3_server.keys(f"t{world.a.id}/") == []


def test_a_file_over_the_limit_is_refused(client, world, idea, s3_server):
    sign_in(client, world.users["innovator_a"])
    limit = client.application.config["LABINOV"].upload_max_bytes
    big = pdf() + b"\n%" + b"x" * limit
    r = upload(client, idea, big, "besar.pdf")
    assert r.status_code == 400 and "melebihi" in text_of(r)
    assert stored(world.a) == [] and s3_server.keys(f"t{world.a.id}/") == []


def test_downloads_go_through_a_role_check_to_a_short_lived_link(client, world, idea,
                                                                 s3_server):
    sign_in(client, world.users["innovator_a"])
    assert upload(client, idea, pdf(), "bukti.pdf").status_code == 302
    [attachment] = stored(world.a)
    r = client.get(f"{LAB}/{idea}/files/{attachment.id}")
    assert r.status_code == 302 and "no-store" in r.headers["Cache-Control"]
    url = urlsplit(r.location)
    assert "X-Amz-Expires=300" in url.query and attachment.key in url.path
    assert client.get(f"{LAB}/{idea}/files/{attachment.id + 1}").status_code == 404
    assert client.get(f"{LAB}/{idea + 1}/files/{attachment.id}").status_code == 404


def test_who_may_edit_removes_a_file(client, world, idea, s3_server):
    sign_in(client, world.users["innovator_a"])
    assert upload(client, idea, png(), "foto.png", "photo").status_code == 302
    [attachment] = stored(world.a)
    coach = client.application.test_client()
    sign_in(coach, world.users["coach_a"])
    assert coach.get(f"{LAB}/{idea}/files/{attachment.id}").status_code == 302  # reads
    assert coach.post(f"{LAB}/{idea}/files/{attachment.id}/delete").status_code == 403
    r = client.post(f"{LAB}/{idea}/files/{attachment.id}/delete")
    assert r.status_code == 302
    assert stored(world.a) == [] and s3_server.keys(f"t{world.a.id}/") == []
    assert count(world.a, IdeaEvent) == 3  # created, file added, file removed
