"""The RPJMD: periods, misi and sasaran, indicators (IKD), every refusal, the import (CSV and
XLSX, with a preview and nothing written from a bad file), the tree page with the ideas
linked to each item, the idea form's choices, and tenant isolation."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from fixtures.app import PASSWORD
from fixtures.browser import browser_sign_in, no_sideways_scroll
from tenants.audit.models import LabAuditEntry
from tenants.db import db
from tenants.lab.models import Idea, RpjmdIndicator, RpjmdPriority
from tenants.lab.operations import rpjmd as ops
from tenants.lab.queries import rpjmd as queries
from tenants.refusal import Refused
from tenants.scope import tenant_session
from tenants.sheets import SheetError

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


# --- helpers --------------------------------------------------------------------------------

def sign_in(client, user):
    response = client.post("/auth/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def english(*users):
    for user in users:
        user.locale = "en"
    db.session.commit()


def period_in(session, title="RPJMD 2025-2029", starts=2025, ends=2029, **kw):
    return ops.save_period(session, None, title=title, starts_year=starts, ends_year=ends,
                           regulation=kw.get("regulation"), actor_id=None)


def plan_in(session, period):
    """M1 > S1.1 > IKD 1.1.1, IKD 1.1.2; M2 > S2.1 > IKD 2.1.1."""
    m1 = ops.save_priority(session, period, None, kind="misi", code="M1",
                           text="Mewujudkan masyarakat yang sehat", parent_id=None,
                           actor_id=None)
    s11 = ops.save_priority(session, period, None, kind="sasaran", code="S1.1",
                            text="Meningkatnya derajat kesehatan", parent_id=m1.id,
                            actor_id=None)
    i111 = ops.save_indicator(session, period, None, priority_id=s11.id, code="IKD 1.1.1",
                              name="Angka harapan hidup", measure="tahun", baseline="67,2",
                              target="68,5", actor_id=None)
    i112 = ops.save_indicator(session, period, None, priority_id=s11.id, code="IKD 1.1.2",
                              name="Prevalensi stunting", measure="%", baseline="24,1",
                              target="14", actor_id=None)
    m2 = ops.save_priority(session, period, None, kind="misi", code="M2",
                           text="Pelayanan publik yang inovatif", parent_id=None,
                           actor_id=None)
    s21 = ops.save_priority(session, period, None, kind="sasaran", code="S2.1",
                            text="Meningkatnya kepuasan masyarakat", parent_id=m2.id,
                            actor_id=None)
    i211 = ops.save_indicator(session, period, None, priority_id=s21.id, code="IKD 2.1.1",
                              name="Indeks kepuasan masyarakat", measure="indeks",
                              baseline="78,5", target="85", actor_id=None)
    return dict(m1=m1, s11=s11, i111=i111, i112=i112, m2=m2, s21=s21, i211=i211)


def idea_in(session, unit_id, title, **links):
    idea = Idea(cohort_id=1, unit_id=unit_id, title=title, stage="diagnose", **links)
    session.add(idea)
    session.flush()
    return idea


def refused(call, *args, **kwargs) -> Refused:
    with force_locale("en"), pytest.raises(Refused) as caught:
        call(*args, **kwargs)
    return caught.value


@pytest.fixture
def lab_a(world):
    """Lab A's session with a period and its plan (committed); yields (session, items)."""
    with tenant_session(world.a.ref()) as session:
        period = period_in(session, regulation="Perda Nomor 4 Tahun 2025")
        items = plan_in(session, period)
        session.commit()
        yield session, dict(period=period, **items)
        session.close()


# --- periods --------------------------------------------------------------------------------

def test_periods_are_checked_and_may_share_only_a_boundary_year(world):
    with tenant_session(world.a.ref()) as s:
        first = period_in(s, "RPJMD 2021-2026", 2021, 2026)
        assert refused(period_in, s, "", 2027, 2031).field == "title"
        assert refused(period_in, s, "RPJMD 1990", 1990, 1995).field == "starts_year"
        assert refused(period_in, s, "RPJMD x", 2027, None).field == "ends_year"
        assert refused(period_in, s, "RPJMD x", 2031, 2027).field == "ends_year"
        overlap = refused(period_in, s, "RPJMD 2025-2030", 2025, 2030)
        assert overlap.field == "starts_year" and "RPJMD 2021-2026" in overlap.message
        assert refused(period_in, s, "rpjmd 2021-2026", 2030, 2034).field == "title"
        second = period_in(s, "RPJMD 2026-2030", 2026, 2030)  # the boundary year is shared
        assert refused(ops.save_period, s, first, title="RPJMD 2021-2027", starts_year=2021,
                       ends_year=2027, regulation=None, actor_id=None).field == "starts_year"
        ops.save_period(s, first, title="RPJMD 2021-2026", starts_year=2021, ends_year=2026,
                        regulation="Perda Nomor 2 Tahun 2021", actor_id=7)
        s.commit()
        from datetime import date
        assert queries.current_period(s, date(2026, 5, 1)).id == second.id  # the later one
        assert queries.current_period(s, date(2023, 5, 1)).id == first.id
        assert queries.current_period(s, date(2040, 1, 1)).id == second.id  # else the latest
        actions = s.scalars(sa.select(LabAuditEntry.action).order_by(LabAuditEntry.id)).all()
        assert actions == ["rpjmd.period_created", "rpjmd.period_created",
                           "rpjmd.period_changed"]


def test_a_period_in_use_cannot_be_deleted_and_an_unused_one_goes_whole(lab_a, world):
    s, x = lab_a
    idea = idea_in(s, world.unit_ids["a"], "Si Kepho", indicator_id=x["i211"].id)
    s.commit()
    assert "1 idea is linked" in refused(ops.delete_period, s, x["period"],
                                           actor_id=None).message
    idea.indicator_id = None
    s.commit()
    ops.delete_period(s, x["period"], actor_id=None)
    s.commit()
    assert s.scalar(sa.select(sa.func.count()).select_from(RpjmdPriority)) == 0
    assert s.scalar(sa.select(sa.func.count()).select_from(RpjmdIndicator)) == 0


# --- priorities and indicators ----------------------------------------------------------------

def test_priority_refusals(lab_a):
    s, x = lab_a
    period = x["period"]

    def add(**kw):
        values = dict(kind="sasaran", code="S9.9", text="Teks", parent_id=x["m1"].id)
        return ops.save_priority(s, period, None, actor_id=None, **{**values, **kw})

    duplicate = refused(add, code="s1.1")  # without regard to case
    assert duplicate.field == "code" and "S1.1" in duplicate.message
    assert refused(add, code="  ").field == "code"
    assert refused(add, code="X" * 21).field == "code"
    assert refused(add, text="").field == "text"
    assert refused(add, kind="tujuan").field == "kind"
    orphan = refused(add, parent_id=None)
    assert orphan.field == "parent_id" and "belongs to a misi" in orphan.message
    assert refused(add, parent_id=x["s11"].id).field == "parent_id"  # under a sasaran
    assert refused(add, parent_id=987654).field == "parent_id"
    # What it is can change only when nothing hangs on it.
    assert refused(ops.save_priority, s, period, x["m1"], kind="sasaran", code="M1",
                   text="x", parent_id=x["m2"].id, actor_id=None).field == "kind"
    assert refused(ops.save_priority, s, period, x["s11"], kind="misi", code="S1.1",
                   text="x", parent_id=None, actor_id=None).field == "kind"
    # A sasaran moves to another misi; a misi ignores a parent.
    moved = ops.save_priority(s, period, x["s11"], kind="sasaran", code="S1.1",
                              text="Meningkatnya derajat kesehatan", parent_id=x["m2"].id,
                              actor_id=None)
    misi = ops.save_priority(s, period, None, kind="misi", code="M3", text="Misi ketiga",
                             parent_id=x["m1"].id, actor_id=None)
    assert moved.parent_id == x["m2"].id and misi.parent_id is None
    # The same codes in another period are another period's business.
    other = period_in(s, "RPJMD 2030-2034", 2030, 2034)
    assert ops.save_priority(s, other, None, kind="misi", code="M1", text="Misi",
                             parent_id=None, actor_id=None).code == "M1"


def test_indicator_refusals(lab_a, world):
    s, x = lab_a
    period = x["period"]

    def add(**kw):
        values = dict(priority_id=x["s21"].id, code="IKD 2.1.2", name="Nama", measure=None,
                      baseline=None, target=None)
        return ops.save_indicator(s, period, None, actor_id=None, **{**values, **kw})

    assert refused(add, code="ikd 1.1.1").field == "code"
    assert refused(add, name=" ").field == "name"
    assert refused(add, measure="x" * 61).field == "measure"
    under_misi = refused(add, priority_id=x["m1"].id)
    assert under_misi.field == "priority_id" and "measures a sasaran" in under_misi.message
    assert refused(add, priority_id=None).field == "priority_id"
    other = period_in(s, "RPJMD 2030-2034", 2030, 2034)
    assert refused(ops.save_indicator, s, other, None, priority_id=x["s21"].id, code="I",
                   name="n", measure=None, baseline=None, target=None,
                   actor_id=None).field == "priority_id"  # a sasaran of another period
    # An indicator that ideas link together with its sasaran stays under it.
    idea_in(s, world.unit_ids["a"], "Inol Aja", priority_id=x["s11"].id,
            indicator_id=x["i111"].id)
    moving = refused(ops.save_indicator, s, period, x["i111"], priority_id=x["s21"].id,
                     code="IKD 1.1.1", name="Angka harapan hidup", measure="tahun",
                     baseline="67,2", target="68,5", actor_id=None)
    assert moving.field == "priority_id" and "S1.1" in moving.message
    changed = ops.save_indicator(s, period, x["i111"], priority_id=x["s11"].id,
                                 code="IKD 1.1.1", name="Umur harapan hidup",
                                 measure="tahun", baseline="67,2", target="69",
                                 actor_id=None)
    assert changed.target == "69"


def test_what_ideas_link_to_is_not_deleted(lab_a, world):
    s, x = lab_a
    unit = world.unit_ids["a"]
    assert "has 1 sasaran" in refused(ops.delete_priority, s, x["m1"], actor_id=None).message
    idea_in(s, unit, "Kencan Untukmu", indicator_id=x["i112"].id)
    assert "IKD 1.1.2" in refused(ops.delete_indicator, s, x["i112"], actor_id=None).message
    assert "S1.1" in refused(ops.delete_priority, s, x["s11"], actor_id=None).message
    idea_in(s, unit, "MBS Puser Oriented", priority_id=x["m2"].id)
    ops.delete_indicator(s, x["i211"], actor_id=None)  # nothing links to it
    ops.delete_priority(s, x["s21"], actor_id=None)   # the sasaran itself is not linked
    assert "M2" in refused(ops.delete_priority, s, x["m2"], actor_id=None).message
    s.commit()
    assert s.get(RpjmdPriority, x["m2"].id) is not None
    assert [a for a in s.scalars(sa.select(LabAuditEntry.action))
            if a.endswith("_deleted")] == ["rpjmd.indicator_deleted", "rpjmd.priority_deleted"]


def test_the_tree_counts_the_ideas_linked_to_each_item(lab_a, world):
    s, x = lab_a
    unit = world.unit_ids["a"]
    idea_in(s, unit, "A", priority_id=x["s11"].id, indicator_id=x["i111"].id)
    idea_in(s, unit, "B", priority_id=x["s11"].id, indicator_id=x["i112"].id)
    idea_in(s, unit, "C", indicator_id=x["i111"].id)
    idea_in(s, unit, "D", priority_id=x["m2"].id)
    idea_in(s, unit, "E")  # linked to nothing
    # M10 sorts after M2 although added last; positions keep the order of entry.
    ops.save_priority(s, x["period"], None, kind="misi", code="M10", text="Kesepuluh",
                      parent_id=None, actor_id=None)
    nodes = queries.tree(s, x["period"])
    assert [n.priority.code for n in nodes] == ["M1", "M2", "M10"]
    m1, m2, _m10 = nodes
    assert m1.ideas == 3 and m2.ideas == 1
    [s11] = m1.sasaran
    assert s11.ideas == 3
    assert [(i.indicator.code, i.ideas) for i in s11.indicators] == [
        ("IKD 1.1.1", 2), ("IKD 1.1.2", 1)]
    assert m2.sasaran[0].ideas == 0


def test_choices_for_the_idea_form_are_grouped_and_keep_an_earlier_link(lab_a):
    s, x = lab_a
    old = period_in(s, "RPJMD 2016-2021", 2016, 2021)
    old_misi = ops.save_priority(s, old, None, kind="misi", code="M1", text="Misi lama",
                                 parent_id=None, actor_id=None)
    with force_locale("en"):
        got = queries.choices(s)
        assert got.period.id == x["period"].id
        assert list(got.priorities) == ["M1 — Mewujudkan masyarakat yang sehat",
                                        "M2 — Pelayanan publik yang inovatif"]
        assert got.priorities["M1 — Mewujudkan masyarakat yang sehat"] == [
            (x["m1"].id, "M1 (misi)"), (x["s11"].id, "S1.1 — Meningkatnya derajat kesehatan")]
        assert got.indicators["S1.1 — Meningkatnya derajat kesehatan"] == [
            (x["i111"].id, "IKD 1.1.1 — Angka harapan hidup"),
            (x["i112"].id, "IKD 1.1.2 — Prevalensi stunting")]
        assert got.indicator_priority[x["i211"].id] == x["s21"].id
        kept = queries.choices(s, keep_priority_id=old_misi.id)
        assert kept.priorities["Earlier RPJMD"] == [(old_misi.id, "M1 — Misi lama")]
    assert "Earlier RPJMD" not in queries.choices(s, keep_priority_id=x["m1"].id).priorities


# --- import ---------------------------------------------------------------------------------

HEADER = "jenis,kode,kode induk,uraian,satuan,kondisi awal,target\n"
GOOD = (HEADER
        + "misi,M1,,Mewujudkan masyarakat yang sehat,,,\n"
        + "sasaran,S1.1,M1,Meningkatnya derajat kesehatan masyarakat,,,\n"
        + "indikator,IKD 1.1.1,S1.1,Angka harapan hidup,tahun,\"67,2\",\"68,5\"\n"
        + "indikator,IKD 1.1.2,S1.1,Prevalensi stunting,%,\"24,1\",14\n"
        + "misi,M2,,Pelayanan publik yang inovatif,,,\n"
        + "sasaran,S2.1,M2,Meningkatnya kepuasan masyarakat,,,\n")
BAD_ROWS = [
    ("misi", "M1", "", "Mewujudkan masyarakat yang sehat", "", "", ""),       # line 2: good
    ("tujuan", "T1", "", "Tujuan pertama", "", "", ""),                       # 3: kind
    ("sasaran", "S1.1", "", "Tanpa misi", "", "", ""),                        # 4: parent
    ("sasaran", "S1.2", "M9", "Misi tidak ada", "", "", ""),                  # 5: parent
    ("indikator", "IKD 1", "M1", "Di bawah misi", "%", "", ""),               # 6: parent
    ("misi", "M1", "", "Kode ganda", "", "", ""),                             # 7: code
    ("sasaran", "", "M1", "", "", "", ""),                                    # 8: code, text
    ("misi", "M3", "", "Misi dengan target", "", "", "100"),                  # 9: target
]


def csv_of(rows) -> bytes:
    out = io.StringIO()
    out.write(HEADER)
    for row in rows:
        out.write(",".join(f'"{v}"' if "," in v else v for v in row) + "\n")
    return out.getvalue().encode()


def xlsx_of(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def admin_a(client, world):
    english(world.users["bappeda_a"])
    return sign_in(client, world.users["bappeda_a"])


def empty_period(world) -> int:
    with tenant_session(world.a.ref()) as s:
        period = period_in(s)
        s.commit()
        return period.id


def counts(world) -> tuple[int, int]:
    with tenant_session(world.a.ref()) as s:
        return (s.scalar(sa.select(sa.func.count()).select_from(RpjmdPriority)),
                s.scalar(sa.select(sa.func.count()).select_from(RpjmdIndicator)))


def upload(client, period_id, data: bytes, name: str):
    return client.post(f"/kab-probolinggo/rpjmd/periods/{period_id}/import",
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def payload_of(response) -> str:
    match = re.search(r'name="payload" type="hidden" value="([^"]+)"',
                      response.get_data(as_text=True))
    assert match, "no confirmation form in the preview"
    return match.group(1)


def test_a_good_csv_is_previewed_then_written_on_confirmation(admin_a, world):
    period_id = empty_period(world)
    preview = upload(admin_a, period_id, ("\ufeff" + GOOD).encode(), "rpjmd.csv")
    assert preview.status_code == 200
    page = text_of(preview)
    assert "misi: 2 new, 0 changed" in page and "indicators: 2 new, 0 changed" in page
    assert "Import 6 rows" in page
    assert counts(world) == (0, 0)  # a preview writes nothing
    done = admin_a.post(f"/kab-probolinggo/rpjmd/periods/{period_id}/import",
                        data={"payload": payload_of(preview)})
    assert done.status_code == 302
    assert counts(world) == (4, 2)
    with tenant_session(world.a.ref()) as s:
        s11 = s.scalar(sa.select(RpjmdPriority).where(RpjmdPriority.code == "S1.1"))
        assert s.get(RpjmdPriority, s11.parent_id).code == "M1"
        assert [(i.code, i.measure, i.baseline, i.target) for i in s11.indicators] == [
            ("IKD 1.1.1", "tahun", "67,2", "68,5"), ("IKD 1.1.2", "%", "24,1", "14")]
        entry = s.scalar(sa.select(LabAuditEntry).where(
            LabAuditEntry.action == "rpjmd.imported"))
        assert entry.detail == {"created": 6, "changed": 0}
    # The same file again changes nothing; a changed text is a change, not a new row.
    again = upload(admin_a, period_id, GOOD.replace("Angka harapan hidup",
                                                    "Umur harapan hidup").encode(), "r.csv")
    assert "indicators: 0 new, 1 changed" in text_of(again)
    assert "leave 5 rows unchanged" in text_of(again)


@pytest.mark.parametrize("make, name", [(csv_of, "rpjmd.csv"), (xlsx_of, "rpjmd.xlsx")])
def test_a_file_with_bad_lines_names_each_and_writes_nothing(admin_a, world, make, name):
    period_id = empty_period(world)
    response = upload(admin_a, period_id, make(BAD_ROWS), name)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    rows = re.findall(r"<tr><td[^>]*>(\d+)</td><td[^>]*>([^<]+)</td><td>([^<]+)</td></tr>",
                      html)
    found = {(int(line), column) for line, column, _message in rows}
    assert found == {(3, "jenis"), (4, "kode induk"), (5, "kode induk"), (6, "kode induk"),
                     (7, "kode"), (8, "kode"), (8, "uraian"), (9, "target")}
    messages = " ".join(m for _l, _c, m in rows)
    assert "Unknown kind “tujuan”" in messages
    assert "No misi with the code M9" in messages
    assert "M1 is a misi; an indicator measures a sasaran." in messages
    assert "also on line 2" in messages
    assert "Nothing was imported: the file has 8 problems." in text_of(response)
    assert 'name="payload"' not in html  # nothing to confirm
    assert counts(world) == (0, 0)


def test_unreadable_files_are_refused_whole(admin_a, world):
    period_id = empty_period(world)
    latin = GOOD.replace("Mewujudkan", "Mewujudkan sejahtera à").encode("latin-1")
    assert "not in UTF-8" in text_of(upload(admin_a, period_id, latin, "rpjmd.csv"))
    missing = b"jenis,kode,uraian\nmisi,M1,Satu\n"
    assert "The column “kode induk” is missing." in text_of(
        upload(admin_a, period_id, missing, "rpjmd.csv"))
    assert "The file is empty." in text_of(upload(admin_a, period_id, b"", "rpjmd.csv"))
    no_file = admin_a.post(f"/kab-probolinggo/rpjmd/periods/{period_id}/import", data={},
                           content_type="multipart/form-data")
    assert no_file.status_code == 400 and "Choose the file to import." in text_of(no_file)
    assert counts(world) == (0, 0)


def test_an_import_keeps_codes_to_their_kind_and_linked_indicators_in_place(lab_a, world):
    s, x = lab_a
    idea_in(s, world.unit_ids["a"], "Si Kepho", priority_id=x["s11"].id,
            indicator_id=x["i111"].id)
    s.commit()
    rows = [(2, {"kind": "sasaran", "code": "M2", "parent": "M1", "text": "Jadi sasaran"}),
            (3, {"kind": "indikator", "code": "IKD 1.1.1", "parent": "S2.1",
                 "text": "Angka harapan hidup"}),
            (4, {"kind": "indikator", "code": "IKD 1.1.2", "parent": "S2.1",
                 "text": "Prevalensi stunting"})]
    with force_locale("en"), pytest.raises(SheetError) as caught:
        ops.plan_import(s, x["period"], rows)
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, "jenis"),
                                                                   (3, "kode induk")]
    plan = ops.plan_import(s, x["period"], rows[2:])  # an unlinked indicator may move
    ops.apply_import(s, x["period"], plan, actor_id=None)
    s.commit()
    assert s.get(RpjmdIndicator, x["i112"].id).priority_id == x["s21"].id


def test_a_confirmation_must_be_the_signed_preview_of_the_same_person(admin_a, client, world):
    period_id = empty_period(world)
    url = f"/kab-probolinggo/rpjmd/periods/{period_id}/import"
    payload = payload_of(upload(admin_a, period_id, GOOD.encode(), "rpjmd.csv"))
    forged = admin_a.post(url, data={"payload": payload[:-3] + "abc"})
    assert forged.status_code == 302 and counts(world) == (0, 0)
    other = world.users["lan_admin"]
    # A LAN administrator reads the RPJMD but does not import into a lab's plan.
    lan = sign_in(client.application.test_client(), other)
    assert lan.post(url, data={"payload": payload}).status_code == 403
    assert counts(world) == (0, 0)
    assert admin_a.post(url, data={"payload": payload}).status_code == 302
    assert counts(world) == (4, 2)


def test_the_template_is_a_file_the_import_takes(admin_a, world):
    response = admin_a.get("/kab-probolinggo/rpjmd/template.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    period_id = empty_period(world)
    preview = upload(admin_a, period_id, response.data, "rpjmd-template.csv")
    assert preview.status_code == 200 and "Import 7 rows" in text_of(preview)


# --- the pages ------------------------------------------------------------------------------

def test_the_rpjmd_page_shows_the_tree_with_idea_counts_to_every_member(lab_a, client, world):
    s, x = lab_a
    idea_in(s, world.unit_ids["a"], "Si Kepho", priority_id=x["s11"].id,
            indicator_id=x["i111"].id)
    s.commit()
    english(*world.users.values())
    for role in ("innovator_a", "coach_a", "lan_admin", "bappeda_a"):
        browser = sign_in(client.application.test_client(), world.users[role])
        response = browser.get("/kab-probolinggo/rpjmd/")
        assert response.status_code == 200, role
        page = text_of(response)
        assert "RPJMD 2025-2029" in page and "Perda Nomor 4 Tahun 2025" in page
        assert "M1 Mewujudkan masyarakat yang sehat" in page
        assert "IKD 1.1.1 Angka harapan hidup tahun 67,2 68,5 1 idea" in page
        assert "2 misi · 2 sasaran · 3 indicators" in page
        may_edit = "Add a misi" in page
        assert may_edit == (role == "bappeda_a"), role


def test_forms_refuse_beside_the_field_and_keep_what_was_typed(lab_a, admin_a, world):
    s, x = lab_a
    base = "/kab-probolinggo/rpjmd"
    response = admin_a.post(f"{base}/periods/{x['period'].id}/priorities/new", data={
        "kind": "sasaran", "code": "S1.9", "text": "Teks yang diketik", "parent_id": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r'id="parent_id-error"[^>]*>A sasaran belongs to a misi', html)
    assert "Teks yang diketik" in html and 'value="S1.9"' in html
    response = admin_a.post(f"{base}/periods/{x['period'].id}/priorities/new", data={
        "kind": "sasaran", "code": "s1.1", "text": "Teks", "parent_id": str(x["m1"].id)})
    assert re.search(r'id="code-error"[^>]*>S1.1 is already the code', response.get_data(
        as_text=True))
    created = admin_a.post(f"{base}/periods/{x['period'].id}/priorities/new", data={
        "kind": "sasaran", "code": "S1.2", "text": "Menurunnya angka kemiskinan",
        "parent_id": str(x["m1"].id)})
    assert created.status_code == 302 and "#priority-" in created.location
    response = admin_a.post(f"{base}/periods/{x['period'].id}/indicators/new", data={
        "priority_id": str(x["m1"].id), "code": "IKD 9", "name": "Nama"})
    assert re.search(r'id="priority_id-error"[^>]*>M1 is a misi', response.get_data(
        as_text=True))
    added = admin_a.post(f"{base}/periods/{x['period'].id}/indicators/new", data={
        "priority_id": str(x["s11"].id), "code": "IKD 1.1.3", "name": "Persalinan di faskes",
        "measure": "%", "baseline": "90", "target": "100"})
    assert added.status_code == 302
    period = admin_a.post(f"{base}/periods/new", data={"title": "RPJMD 2027",
                                                       "starts_year": "dua ribu",
                                                       "ends_year": "2031"})
    assert "Enter a year such as 2021." in text_of(period)
    s.expire_all()
    assert s.scalar(sa.select(RpjmdIndicator.name).where(
        RpjmdIndicator.code == "IKD 1.1.3")) == "Persalinan di faskes"
    # Deleting: refused with the reason while linked, done when free.
    idea_in(s, world.unit_ids["a"], "Inol Aja", indicator_id=x["i211"].id)
    s.commit()
    refused_delete = admin_a.post(f"{base}/indicators/{x['i211'].id}/delete",
                                  follow_redirects=True)
    assert "1 idea is linked to the indicator IKD 2.1.1" in text_of(refused_delete)
    free_id = x["i112"].id
    assert admin_a.post(f"{base}/indicators/{free_id}/delete").status_code == 302
    s.expire_all()
    assert s.get(RpjmdIndicator, free_id) is None


def test_members_read_and_only_bappeda_edits(lab_a, client, world):
    s, x = lab_a
    urls = [f"/kab-probolinggo/rpjmd/periods/{x['period'].id}/edit",
            f"/kab-probolinggo/rpjmd/priorities/{x['m1'].id}/edit",
            f"/kab-probolinggo/rpjmd/indicators/{x['i111'].id}/edit",
            f"/kab-probolinggo/rpjmd/periods/{x['period'].id}/import"]
    for role in ("innovator_a", "coach_a", "lan_admin"):
        browser = sign_in(client.application.test_client(), world.users[role])
        for url in urls:
            assert browser.get(url).status_code == 403, (role, url)
        assert browser.post(f"/kab-probolinggo/rpjmd/priorities/{x['m1'].id}/delete"
                            ).status_code == 403
    s.expire_all()
    assert s.get(RpjmdPriority, x["m1"].id) is not None


# --- tenant isolation -----------------------------------------------------------------------

def test_lab_b_rpjmd_is_out_of_reach_of_lab_a(lab_a, client, world):
    """B's items get ids that A does not have, so that reaching one would show."""
    s, x = lab_a
    with tenant_session(world.b.ref()) as b:
        b.execute(sa.text("SELECT setval(pg_get_serial_sequence('rpjmd_period', 'id'), 500)"))
        b.execute(sa.text("SELECT setval(pg_get_serial_sequence('rpjmd_priority', 'id'), 500)"))
        b.execute(sa.text("SELECT setval(pg_get_serial_sequence('rpjmd_indicator', 'id'), "
                          "500)"))
        period = period_in(b, "RPJMD Tuban Rahasia", 2021, 2026)
        items = plan_in(b, period)
        b.commit()
        b_ids = dict(period=period.id, priority=items["s11"].id, indicator=items["i111"].id)
    admin = sign_in(client, world.users["bappeda_a"])
    urls = [f"/rpjmd/?period={b_ids['period']}",
            f"/rpjmd/periods/{b_ids['period']}/edit",
            f"/rpjmd/periods/{b_ids['period']}/priorities/new",
            f"/rpjmd/periods/{b_ids['period']}/indicators/new",
            f"/rpjmd/periods/{b_ids['period']}/import",
            f"/rpjmd/priorities/{b_ids['priority']}/edit",
            f"/rpjmd/indicators/{b_ids['indicator']}/edit"]
    posts = [f"/rpjmd/periods/{b_ids['period']}/delete",
             f"/rpjmd/priorities/{b_ids['priority']}/delete",
             f"/rpjmd/indicators/{b_ids['indicator']}/delete"]
    for url in urls:
        for slug in ("kab-probolinggo", "kab-tuban"):
            response = admin.get(f"/{slug}{url}")
            assert response.status_code == 404, (slug, url)
            assert "Tuban Rahasia" not in response.get_data(as_text=True)
    for url in posts:
        for slug in ("kab-probolinggo", "kab-tuban"):
            assert admin.post(f"/{slug}{url}").status_code == 404, (slug, url)
    assert admin.get("/kab-tuban/rpjmd/").status_code == 404
    assert "Tuban Rahasia" not in admin.get("/kab-probolinggo/rpjmd/").get_data(as_text=True)
    with tenant_session(world.b.ref()) as b:
        assert b.scalar(sa.select(sa.func.count()).select_from(RpjmdPriority)) == 4
        assert b.scalar(sa.select(sa.func.count()).select_from(RpjmdIndicator)) == 3
    # And lab A's own plan is untouched by B's.
    assert [n.priority.code for n in queries.tree(s, x["period"])] == ["M1", "M2"]


# --- in the browser ---------------------------------------------------------------------------


@pytest.mark.browser
def test_the_rpjmd_page_in_the_browser(lab_a, world, page, phone_page):
    s, x = lab_a
    for title in ("Si Kepho", "Inol Aja", "Kencan Untukmu"):
        idea_in(s, world.unit_ids["a"], title, priority_id=x["s11"].id,
                indicator_id=x["i111"].id)
    ops.save_priority(s, x["period"], None, kind="sasaran", code="S2.2",
                      text="Meningkatnya kualitas tata kelola pemerintahan daerah yang "
                           "akuntabel, transparan dan berbasis elektronik",
                      parent_id=x["m2"].id, actor_id=None)
    s.commit()
    SHOTS.mkdir(parents=True, exist_ok=True)
    admin = world.users["bappeda_a"]
    for locale in ("id", "en"):
        admin.locale = locale
        db.session.commit()
        for name, p in (("desktop", page), ("phone", phone_page)):
            p.context.clear_cookies()
            browser_sign_in(p, admin.email)
            p.goto("/kab-probolinggo/rpjmd/")
            p.wait_for_selector("h1:has-text('RPJMD')")
            assert p.locator(".rpjmd-misi").count() == 2
            no_sideways_scroll(p)
            p.screenshot(path=str(SHOTS / f"rpjmd-{name}-{locale}.png"), full_page=True)
    assert "3 ideas" in page.inner_text(f"#indicator-{x['i111'].id}")


@pytest.mark.browser
def test_the_rpjmd_forms_and_import_in_the_browser(lab_a, world, page, phone_page, tmp_path):
    _s, x = lab_a
    admin = world.users["bappeda_a"]
    admin.locale = "en"
    db.session.commit()
    bad = tmp_path / "rpjmd-salah.xlsx"
    bad.write_bytes(xlsx_of(BAD_ROWS))
    good = tmp_path / "rpjmd.csv"
    good.write_bytes(GOOD.replace("M1", "M7").replace("S1.1", "S7.1").replace("IKD 1.1", "IKD 7.1")
                     .replace("M2", "M8").replace("S2.1", "S8.1").encode())
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, p in (("desktop", page), ("phone", phone_page)):
        browser_sign_in(p, admin.email)
        p.goto(f"/kab-probolinggo/rpjmd/periods/{x['period'].id}/import")
        p.set_input_files("input[name=file]", str(bad))
        p.click("form[enctype] button[type=submit]")
        p.wait_for_selector("table.problems")
        assert p.locator("table.problems tbody tr").count() == 8
        no_sideways_scroll(p)
        p.screenshot(path=str(SHOTS / f"rpjmd-import-refused-{name}-en.png"), full_page=True)
        p.set_input_files("input[name=file]", str(good))
        p.click("form[enctype] button[type=submit]")
        p.wait_for_selector("#preview")
        no_sideways_scroll(p)
        p.screenshot(path=str(SHOTS / f"rpjmd-import-preview-{name}-en.png"), full_page=True)
        p.goto(f"/kab-probolinggo/rpjmd/periods/{x['period'].id}/indicators/new"
               f"?sasaran={x['s11'].id}")
        p.fill("[name=code]", "IKD 1.1.1")
        p.fill("[name=name]", "Angka kematian ibu")
        p.click("main form button[type=submit]")
        p.wait_for_selector(".field-error")
        no_sideways_scroll(p)
        p.screenshot(path=str(SHOTS / f"rpjmd-indicator-refused-{name}-en.png"), full_page=True)
        p.goto(f"/kab-probolinggo/rpjmd/priorities/{x['m1'].id}/edit")
        no_sideways_scroll(p)
        p.screenshot(path=str(SHOTS / f"rpjmd-priority-edit-{name}-en.png"), full_page=True)
    # The desktop preview, confirmed.
    page.goto(f"/kab-probolinggo/rpjmd/periods/{x['period'].id}/import")
    page.set_input_files("input[name=file]", str(good))
    page.click("form[enctype] button[type=submit]")
    page.click("#preview button[type=submit]")
    page.wait_for_selector(".flash-success")
    assert page.locator(".rpjmd-misi").count() == 4
