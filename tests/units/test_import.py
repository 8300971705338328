"""Importing units from CSV and XLSX through the pages: all or nothing, after a preview that
names every bad line by its number and column; files that cannot be read are refused with a
reason; nothing is written until the person confirms."""

from __future__ import annotations

import codecs
import html
import io
import re
import time

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from fixtures.app import PASSWORD
from tenants.audit.models import LabAuditEntry
from tenants.db import db
from tenants.scope import tenant_session
from tenants.units.models import Unit

A = "/kab-probolinggo/units"


@pytest.fixture
def admin(client, world):
    """Lab A's Bappeda administrator, signed in, reading English."""
    world.users["bappeda_a"].locale = "en"
    db.session.commit()
    client.post("/auth/sign-in", data={"email": "bappeda@a.example", "password": PASSWORD})
    return client


def upload(client, filename: str, data: bytes):
    return client.post(f"{A}/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def text(response) -> str:
    page = response.get_data(as_text=True)
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def problems(response) -> list[tuple[str, str, str]]:
    """The rows of the page's problem table: (line, column, message), "" where none."""
    page = response.get_data(as_text=True)
    table = re.search(r'(?s)<table class="problems">.*?</table>', page)
    assert table, "the page shows no table of problems"
    rows = re.findall(r'(?s)<tr><td class="nowrap" data-line="(\d*)" data-column="([^"]*)">'
                      r'(.*?)</td><td>(.*?)</td></tr>', table.group(0))
    result = []
    for line, column, where, message in rows:
        # The line and column are named in the words a person reads, too.
        assert (f"Line {line}" if line else "The whole file") in where or (
            f"Baris {line}" if line else "Seluruh berkas") in where
        assert not column or html.unescape(column) in html.unescape(where)
        result.append((line, html.unescape(column), html.unescape(message.strip())))
    return result


def state(world) -> tuple:
    """Everything an import could write in lab A: its units and its log."""
    with tenant_session(world.a.ref()) as s:
        units = s.execute(sa.select(Unit.name, Unit.kind, Unit.short_name, Unit.retired_at)
                          .order_by(Unit.id)).all()
        entries = s.scalar(sa.select(sa.func.count()).select_from(LabAuditEntry))
    return units, entries


def kept_uploads(world, s3_server) -> list[str]:
    return s3_server.keys(f"t{world.a.id}/imports/")


BAD_LINES = [
    ["Nama", "Jenis", "Singkatan"],
    ["Dinas Kesehatan", "OPD", "Dinkes"],                    # 2: good
    ["Puskesmas Paiton", "Rumah Sakit", ""],                 # 3: unknown type
    ["", "Kecamatan", ""],                                   # 4: no name
    ["dinas  kesehatan", "opd", ""],                         # 5: twice in the file
    ["D" * 201, "Desa", ""],                                 # 6: name too long
    ["Kecamatan Paiton", "KECAMATAN", "S" * 61],             # 7: short name too long
    ["Kelurahan Semampir", "", ""],                          # 8: no type
]
EXPECTED = [
    ("3", "Type", "Unknown type of unit “Rumah Sakit”. The types are: OPD, Puskesmas, "
     "Kecamatan, Kelurahan, Desa, RSUD, BUMD, School, Other."),
    ("4", "Name", "Enter the unit's name."),
    ("5", "Name", "“dinas kesehatan” is also on line 2; each unit may appear only once."),
    ("6", "Name", "The name is too long: at most 200 characters."),
    ("7", "Short name", "The short name is too long: at most 60 characters."),
    ("8", "Type", "The type is empty. The types are: OPD, Puskesmas, Kecamatan, Kelurahan, "
     "Desa, RSUD, BUMD, School, Other."),
]


def as_csv(rows, separator=",", bom=False) -> bytes:
    body = "\r\n".join(separator.join(row) for row in rows) + "\r\n"
    return (codecs.BOM_UTF8 if bom else b"") + body.encode()


def as_xlsx(rows, merge: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_bad_lines_are_each_named_and_nothing_is_written(admin, world, s3_server, kind):
    before = state(world)
    data = as_csv(BAD_LINES) if kind == "csv" else as_xlsx(BAD_LINES)
    response = upload(admin, f"unit-kerja.{kind}", data)
    assert response.status_code == 400
    assert problems(response) == EXPECTED
    page = text(response)
    assert "Nothing can be imported: 6 problems in the file" in page
    assert "Confirm the import" not in page
    # The good line is shown for what it would do, and written no more than the others.
    assert "Dinas Kesehatan" in page
    assert state(world) == before
    assert kept_uploads(world, s3_server) == []


def test_the_problems_read_in_indonesian(client, world):
    client.post("/auth/sign-in", data={"email": "bappeda@a.example", "password": PASSWORD})
    response = upload(client, "unit.csv", as_csv(BAD_LINES[:4]))
    assert problems(response)[:2] == [
        ("3", "Jenis", "Jenis unit “Rumah Sakit” tidak dikenal. Jenis yang tersedia: OPD, "
         "Puskesmas, Kecamatan, Kelurahan, Desa, RSUD, BUMD, Sekolah, Lainnya."),
        ("4", "Nama", "Silakan isi nama unit.")]


def _refused(admin, world, s3_server, filename, data, *expected, status=400):
    before = state(world)
    response = upload(admin, filename, data)
    assert response.status_code == status
    page = text(response)
    for line in expected:
        assert line in page, f"{line!r} not in the page:\n{page}"
    assert "Confirm the import" not in page
    assert state(world) == before
    assert kept_uploads(world, s3_server) == []
    return response


def test_a_latin1_file_is_refused(admin, world, s3_server):
    data = "Nama,Jenis\nDinas Pariwisata,OPD\nKantor Désa Sumberanyar,Desa\n".encode("latin-1")
    response = _refused(admin, world, s3_server, "unit.csv", data,
                        "The file is not in UTF-8 (perhaps Windows or latin-1 encoding). In "
                        "Excel, save it as “CSV UTF-8 (Comma delimited)”.")
    assert problems(response) == [("3", "", "The file is not in UTF-8 (perhaps Windows or "
                                   "latin-1 encoding). In Excel, save it as “CSV UTF-8 "
                                   "(Comma delimited)”.")]


def test_a_utf16_file_is_refused(admin, world, s3_server):
    data = "Nama\tJenis\nDinas Pariwisata\tOPD\n".encode("utf-16")
    _refused(admin, world, s3_server, "unit.csv", data,
             "The file is in UTF-16, which cannot be read here. In Excel, save it as "
             "“CSV UTF-8 (Comma delimited)”.")


def test_merged_header_cells_are_refused(admin, world, s3_server):
    data = as_xlsx([["Unit", None, "Singkatan"], ["Dinas Pariwisata", "OPD", ""]],
                   merge="A1:B1")
    response = _refused(admin, world, s3_server, "unit.xlsx", data,
                        "The header row has merged cells (A1:B1). Give every column its own "
                        "header cell.")
    assert problems(response)[0][0] == "1"


@pytest.mark.parametrize(("data", "message"), [
    (b"", "The file is empty."),
    (b"   \r\n", "The file is empty."),
    (b"Nama,Jenis\r\n", "The file has a header but no rows."),
])
def test_an_empty_file_is_refused(admin, world, s3_server, data, message):
    _refused(admin, world, s3_server, "unit.csv", data, message)


def test_missing_and_extra_columns_are_refused(admin, world, s3_server):
    response = _refused(admin, world, s3_server, "unit.csv",
                        as_csv([["Nama", "Alamat"], ["Dinas Pariwisata", "Jl. Panglima"]]),
                        "Nothing was imported: the file has 2 problems.")
    assert problems(response) == [
        ("1", "Alamat", "Unknown column “Alamat”. The columns are: Name, Type, Short name."),
        ("1", "Type", "The column “Type” is missing.")]


def test_a_file_over_the_limit_is_refused(admin, world, s3_server):
    rows = "Nama,Jenis\r\n" + "Dinas Pariwisata dan Kebudayaan,OPD\r\n" * 160_000  # 5.7 MB
    _refused(admin, world, s3_server, "unit.csv", rows.encode(),
             "The file is larger than 5 MB. Split it into smaller files.")


def test_a_50_mb_upload_is_refused_before_it_is_read(admin, world, s3_server):
    response = _refused(admin, world, s3_server, "unit.csv", b"x" * (50 * 1024 * 1024),
                        "The file is larger than 5 MB. Split it into smaller files.",
                        status=413)
    assert "Upload the file" in text(response)  # the import page, ready for another file


def test_a_file_that_is_no_table_is_refused(admin, world, s3_server):
    _refused(admin, world, s3_server, "unit.xlsx", b"%PDF-1.7\n" + bytes(range(256)) * 4,
             "This is not an Excel workbook that can be read (.xlsx).")


# --- A good file: preview, then confirm -------------------------------------------------------

def preview_of(admin, response):
    assert response.status_code == 302, text(response)
    assert re.search(r"/units/import/\d{10}-[0-9a-f]{32}$", response.location)
    page = admin.get(response.location)
    assert page.status_code == 200
    return response.location, page


def confirm(admin, url, page):
    digest = re.search(r'name="digest"[^>]*value="([0-9a-f]+)"', page.get_data(as_text=True))
    return admin.post(url, data={"digest": digest.group(1)})


def test_a_semicolon_csv_with_bom_previews_then_imports_in_one_go(admin, world, s3_server):
    data = as_csv([["Nama", "Jenis", "Singkatan"],
                   ["Dinas Pendidikan", "OPD", "Disdik"],
                   ["Puskesmas  Kraksaan", "puskesmas", "PKM Kraksaan"],
                   ["Kecamatan Paiton", "Kecamatan", ""]], separator=";", bom=True)
    before = state(world)
    url, page = preview_of(admin, upload(admin, "Unit Kerja (Excel).csv", data))
    shown = text(page)
    assert "To be added · 1" in shown and "Dinas Pendidikan" in shown
    assert "To be changed · 1" in shown
    assert "Short name: — → PKM Kraksaan" in shown
    assert "1 unit is already as in the file" in shown
    assert state(world) == before  # the preview writes nothing
    assert len(kept_uploads(world, s3_server)) == 1

    done = confirm(admin, url, page)
    assert done.status_code == 302 and done.location.endswith(f"{A}/")
    assert "The import is done: 1 unit added, 1 unit changed." in text(admin.get(done.location))
    units, _entries = state(world)
    assert ("Dinas Pendidikan", "opd", "Disdik", None) in units
    assert ("Puskesmas Kraksaan", "puskesmas", "PKM Kraksaan", None) in units
    assert len(units) == len(before[0]) + 1
    with tenant_session(world.a.ref()) as s:
        actions = s.execute(sa.select(LabAuditEntry.action, LabAuditEntry.target)
                            .order_by(LabAuditEntry.id)).all()
    assert actions[-3:] == [("units.added", "Dinas Pendidikan"),
                            ("units.changed", "Puskesmas Kraksaan"),
                            ("units.imported", "Unit Kerja (Excel).csv")]
    assert kept_uploads(world, s3_server) == []
    assert admin.get(url).status_code == 404  # confirmed once, gone


def test_english_headers_and_types_in_any_case(admin, world):
    data = as_xlsx([["Name", "Kind", "Short Name"], ["RSUD Waluyo Jati", "rsud", ""],
                    ["SMPN 1 Kraksaan", "SEKOLAH", None], ["PDAM Probolinggo", "Lainnya", ""],
                    ["Desa Sumberanyar", "desa", ""], ["BUMD Aneka Usaha", "bumd", None]])
    url, page = preview_of(admin, upload(admin, "units.xlsx", data))
    assert confirm(admin, url, page).status_code == 302
    units, _ = state(world)
    kinds = {name: kind for name, kind, _short, _retired in units}
    assert (kinds["RSUD Waluyo Jati"], kinds["SMPN 1 Kraksaan"], kinds["PDAM Probolinggo"],
            kinds["Desa Sumberanyar"], kinds["BUMD Aneka Usaha"]) == (
        "rsud", "sekolah", "other", "desa", "bumd")


def test_without_a_short_name_column_short_names_stay(admin, world):
    with tenant_session(world.a.ref()) as s:
        s.get(Unit, world.unit_ids["a"]).short_name = "PKM Kraksaan"
        s.commit()
    data = as_csv([["Nama", "Jenis"], ["Puskesmas Kraksaan", "Puskesmas"]])
    _url, page = preview_of(admin, upload(admin, "unit.csv", data))
    assert "Nothing to import: every unit in the file is already in the lab as it says." in (
        text(page))
    assert "Confirm the import" not in text(page)


def test_a_retired_unit_in_the_file_is_a_bad_line(admin, world):
    with tenant_session(world.a.ref()) as s:
        s.get(Unit, world.unit_ids["a"]).retired_at = sa.func.now()
        s.commit()
    response = upload(admin, "unit.csv", as_csv([["Nama", "Jenis"],
                                                 ["Puskesmas Kraksaan", "Puskesmas"]]))
    assert problems(response) == [("2", "Name", "A retired unit is already called “Puskesmas "
                                   "Kraksaan”. Bring it back on its page instead of adding it "
                                   "again.")]


def test_a_preview_overtaken_by_another_change_is_not_written(admin, world):
    data = as_csv([["Nama", "Jenis"], ["Dinas Pendidikan", "OPD"]])
    url, page = preview_of(admin, upload(admin, "unit.csv", data))
    # Meanwhile someone adds the same unit by hand, as another type.
    assert admin.post(f"{A}/new", data={"name": "Dinas Pendidikan", "kind": "other"}
                      ).status_code == 302
    before = state(world)
    stale = confirm(admin, url, page)
    assert stale.status_code == 409
    shown = text(stale)
    assert "The units have changed since this preview was made." in shown
    assert "Type: Other → OPD" in shown  # the preview as it stands now
    assert state(world) == before
    assert confirm(admin, url, stale).status_code == 302
    assert ("Dinas Pendidikan", "opd", None, None) in state(world)[0]


def test_an_expired_or_unknown_preview(admin, world):
    old = f"{int(time.time()) - 7200:010d}-{'0' * 32}"
    response = admin.get(f"{A}/import/{old}")
    assert response.status_code == 302 and response.location.endswith(f"{A}/import")
    assert "The preview has expired" in text(admin.get(response.location))
    assert admin.get(f"{A}/import/{int(time.time()):010d}-{'0' * 32}").status_code == 404
    assert admin.get(f"{A}/import/not-an-id").status_code == 404


def test_the_templates_download_and_import_as_they_are(admin, world):
    csv = admin.get(f"{A}/import/template.csv")
    assert csv.status_code == 200
    assert csv.data.startswith(codecs.BOM_UTF8 + b"Name,Type,Short name\r\n")
    assert 'filename="units-template.csv"' in csv.headers["Content-Disposition"]
    xlsx = admin.get(f"{A}/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [c.value for c in sheet[1]] == ["Name", "Type", "Short name"]
    assert sheet.max_row == 3
    for name, data in (("units-template.csv", csv.data), ("units-template.xlsx", xlsx.data)):
        _url, page = preview_of(admin, upload(admin, name, data))
        assert "To be added · 2" in text(page)


def test_the_template_is_in_the_readers_language(client, world):
    client.post("/auth/sign-in", data={"email": "bappeda@a.example", "password": PASSWORD})
    csv = client.get(f"{A}/import/template.csv")
    assert csv.data.startswith(codecs.BOM_UTF8 + b"Nama,Jenis,Singkatan\r\n")
    assert 'filename="templat-unit.csv"' in csv.headers["Content-Disposition"]
