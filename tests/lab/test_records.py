"""Drum-up commitments with their signed scans, launches, and the Perbup / Perwali with its
revisions: every operation and refusal, the files in S3 under the tenant's prefix, the
cohort switch, roles and tenant isolation, and the pages in the browser."""

from __future__ import annotations

import io
import re
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from pypdf import PdfWriter

from fixtures.app import PASSWORD
from fixtures.browser import browser_sign_in, no_sideways_scroll
from tenants.audit.models import LabAuditEntry
from tenants.cohorts.models import STAGES, Cohort, CohortStage, Enrolment
from tenants.db import db
from tenants.lab.models import Commitment, Idea, IdeaEvent, Launch, Regulation
from tenants.lab.operations import events as ops
from tenants.lab.queries import events as queries
from tenants.onboarding.operations import Document
from tenants.refusal import Refused
from tenants.scope import tenant_session
from tenants.units.models import Unit
from tenants.zones import today_in

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


# --- helpers --------------------------------------------------------------------------------

def make_pdf(pages: int = 1, title: str = "Deklarasi") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sign_in(client, user):
    response = client.post("/auth/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def browser_for(client, user):
    return sign_in(client.application.test_client(), user)


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def english(*users):
    for user in users:
        user.locale = "en"
    db.session.commit()


def make_cohort(name: str, year: int, first_day: date, *tenants) -> Cohort:
    """A cohort whose five stages run 30 days each from `first_day`, with `tenants`."""
    cohort = Cohort(name=name, year=year)
    for n, stage in enumerate(STAGES):
        starts = first_day + timedelta(days=30 * n)
        cohort.stages.append(CohortStage(stage=stage, starts_on=starts,
                                         ends_on=starts + timedelta(days=29),
                                         deliverable_due=starts + timedelta(days=29)))
    db.session.add(cohort)
    db.session.flush()
    for tenant in tenants:
        db.session.add(Enrolment(cohort_id=cohort.id, tenant_id=tenant.id))
    db.session.commit()
    return cohort


def add_unit(session, name, kind="opd", retired=False) -> Unit:
    unit = Unit(name=name, kind=kind)
    if retired:
        unit.retired_at = sa.func.now()
    session.add(unit)
    session.flush()
    return unit


def add_idea(session, cohort_id, unit_id, title, stage="deliver", acronym=None) -> Idea:
    idea = Idea(cohort_id=cohort_id, unit_id=unit_id, title=title, acronym=acronym,
                stage=stage)
    session.add(idea)
    session.flush()
    return idea


def refused(call, *args, **kwargs) -> Refused:
    with force_locale("en"), pytest.raises(Refused) as caught:
        call(*args, **kwargs)
    return caught.value


def doc(name="scan.pdf") -> Document:
    return Document(key=f"t1/commitments/{name}", name=name, size=1234)


@pytest.fixture
def lab(world):
    """Lab A enrolled in a cohort, with units and ideas; yields a namespace of ids."""
    today = today_in(world.a.timezone)
    cohort = make_cohort("Laboratorium Inovasi 2026 — Angkatan I", today.year,
                         today - timedelta(days=100), world.a, world.b)
    other = make_cohort("Laboratorium Inovasi 2025 — Angkatan II", today.year - 1,
                        today - timedelta(days=500), world.a)
    with tenant_session(world.a.ref()) as s:
        dinkes = add_unit(s, "Dinas Kesehatan")
        pdam = add_unit(s, "PDAM Bayuangga", "bumd")
        add_unit(s, "Kecamatan Lama", "kecamatan", retired=True)
        ideas = {
            "kepho": add_idea(s, cohort.id, dinkes.id, "Sistem Informasi Kelompok Peduli "
                              "HIV/ODHA", acronym="Si Kepho"),
            "inol": add_idea(s, cohort.id, dinkes.id, "Inovasi Layanan Online Antar Jemput",
                             acronym="Inol Aja"),
            "siber": add_idea(s, cohort.id, pdam.id, "Sistem Informasi Bersih PAM",
                              acronym="Siber PAM", stage="display"),
            "kencan": add_idea(s, cohort.id, dinkes.id, "Kencan Untukmu", stage="design"),
            "old": add_idea(s, other.id, dinkes.id, "Ide angkatan lalu"),
        }
        s.commit()

        class Lab:
            pass

        lab = Lab()
        lab.cohort, lab.other, lab.today = cohort.id, other.id, today
        lab.units = {"dinkes": dinkes.id, "pdam": pdam.id, "puskesmas": world.unit_ids["a"]}
        lab.ideas = {k: v.id for k, v in ideas.items()}
        lab.session = s
        yield lab
        s.close()


# --- commitments: operations ------------------------------------------------------------------

def test_recording_and_replacing_a_commitment(lab, world):
    s = lab.session

    def record(**kw):
        values = dict(cohort_id=lab.cohort, unit_id=lab.units["dinkes"],
                      signed_on=lab.today - timedelta(days=90), signatory_name="dr. Anang",
                      signatory_title="Kepala Dinas Kesehatan", document=doc())
        return ops.record_commitment(s, actor_id=5, **{**values, **kw})

    assert refused(record, unit_id=None).field == "unit_id"
    retired = s.scalar(sa.select(Unit.id).where(Unit.name == "Kecamatan Lama"))
    assert refused(record, unit_id=retired).field == "unit_id"
    future = refused(record, signed_on=lab.today + timedelta(days=1))
    assert future.field == "signed_on" and "after today" in future.message
    assert refused(record, signed_on=None).field == "signed_on"
    assert refused(record, signatory_name="  ").field == "signatory_name"
    assert refused(record, signatory_name="x" * 121).field == "signatory_name"
    assert refused(record, document=None).field == "document"  # the first needs its scan
    assert "not enrolled" in refused(record, cohort_id=lab.cohort + 99).message
    commitment, unused = record()
    assert unused is None and commitment.document_key == "t1/commitments/scan.pdf"
    # Replacing: new details; the scan stays unless a new one comes.
    same, unused = record(signatory_name="dr. Anang Budi", document=None)
    assert same.id == commitment.id and unused is None
    assert same.document_name == "scan.pdf" and same.signatory_name == "dr. Anang Budi"
    same, unused = record(document=doc("new.pdf"))
    assert unused == "t1/commitments/scan.pdf" and same.document_key.endswith("new.pdf")
    s.commit()
    assert [u.name for u in queries.units_without_commitment(s, lab.cohort)] == [
        "Puskesmas Kraksaan", "Kecamatan Paiton", "PDAM Bayuangga"]
    assert queries.commitment_counts(s, lab.cohort) == (1, 4)
    assert queries.commitment_counts(s, lab.other) == (0, 4)
    actions = s.scalars(sa.select(LabAuditEntry.action).order_by(LabAuditEntry.id)).all()
    assert actions == ["commitment.recorded", "commitment.replaced", "commitment.replaced"]


def test_units_without_commitment_are_the_active_ones_by_kind(lab):
    s = lab.session
    ops.record_commitment(s, cohort_id=lab.cohort, unit_id=lab.units["pdam"],
                          signed_on=lab.today, signatory_name="Ir. Sugeng",
                          signatory_title="Direktur PDAM", document=doc(), actor_id=None)
    s.commit()
    missing = queries.units_without_commitment(s, lab.cohort)
    assert [(u.kind, u.name) for u in missing] == [
        ("opd", "Dinas Kesehatan"), ("puskesmas", "Puskesmas Kraksaan"),
        ("kecamatan", "Kecamatan Paiton")]
    assert [u.name for u in queries.units_without_commitment(s, lab.other)] == [
        "Dinas Kesehatan", "Puskesmas Kraksaan", "Kecamatan Paiton", "PDAM Bayuangga"]


# --- commitments: the pages and the files ---------------------------------------------------

@pytest.fixture
def admin(client, world):
    english(world.users["bappeda_a"])
    return sign_in(client, world.users["bappeda_a"])


def post_commitment(browser, unit_id, data, pdf: bytes | None, name="Deklarasi Dinkes.pdf",
                    query=""):
    form = dict(data)
    if pdf is not None:
        form["document"] = (io.BytesIO(pdf), name)
    return browser.post(f"/kab-probolinggo/commitments/units/{unit_id}{query}", data=form,
                        content_type="multipart/form-data")


def test_a_commitment_scan_goes_to_the_tenant_prefix_and_comes_back_byte_for_byte(
        lab, admin, client, world, s3_server):
    fields = {"signed_on": (lab.today - timedelta(days=80)).isoformat(),
              "signatory_name": "dr. Anang Budi", "signatory_title": "Kepala Dinas Kesehatan"}
    # Checked by content and size: a PNG named .pdf, then a file over the limit.
    png = post_commitment(admin, lab.units["dinkes"], fields,
                          b"\x89PNG\r\n\x1a\n" + b"\0" * 300, name="foto.pdf")
    assert png.status_code == 400
    html = png.get_data(as_text=True)
    assert re.search(r'id="document-error"[^>]*>This file is not a PDF', html)
    assert 'value="dr. Anang Budi"' in html  # what was typed is kept
    limit = client.application.config["LABINOV"].upload_max_bytes
    big = post_commitment(admin, lab.units["dinkes"], fields,
                          b"%PDF-1.4\n" + b"0" * limit)
    assert big.status_code == 400 and "larger than 10 MB" in text_of(big)
    missing = post_commitment(admin, lab.units["dinkes"], fields, None)
    assert "Choose the signed PDF file" in text_of(missing)
    assert s3_server.client().list_objects_v2(Bucket=s3_server.bucket).get("KeyCount") == 0
    # A real scan.
    scan = make_pdf(2)
    done = post_commitment(admin, lab.units["dinkes"], fields, scan)
    assert done.status_code == 302
    keys = [o["Key"] for o in s3_server.client().list_objects_v2(
        Bucket=s3_server.bucket)["Contents"]]
    assert len(keys) == 1 and re.fullmatch(rf"t{world.a.id}/commitments/[0-9a-f]{{32}}\.pdf",
                                           keys[0])
    lab.session.expire_all()
    commitment = queries.commitment_of(lab.session, lab.cohort, lab.units["dinkes"])
    assert (commitment.document_name, commitment.document_size) == (
        "Deklarasi Dinkes.pdf", len(scan))
    # Every member downloads it, after the role check, through a link that expires.
    for role in ("innovator_a", "coach_a", "lan_admin", "bappeda_a"):
        browser = browser_for(client, world.users[role])
        response = browser.get(f"/kab-probolinggo/commitments/{commitment.id}/document")
        assert response.status_code == 302, role
        assert "no-store" in response.headers["Cache-Control"]
        assert "X-Amz-Expires=300" in response.location
        with urllib.request.urlopen(response.location) as fetched:
            assert fetched.read() == scan
            assert "Deklarasi Dinkes.pdf" in fetched.headers["Content-Disposition"]
    assert client.application.test_client().get(
        f"/kab-probolinggo/commitments/{commitment.id}/document").status_code == 302  # sign-in
    # Replacing with a new scan deletes the old file.
    again = make_pdf(1, title="Revisi")
    assert post_commitment(admin, lab.units["dinkes"], fields, again).status_code == 302
    keys_after = [o["Key"] for o in s3_server.client().list_objects_v2(
        Bucket=s3_server.bucket)["Contents"]]
    assert len(keys_after) == 1 and keys_after != keys
    assert s3_server.client().get_object(Bucket=s3_server.bucket, Key=keys_after[0])[
        "Body"].read() == again
    # Replacing the details only keeps the scan.
    fields["signatory_title"] = "Plt. Kepala Dinas Kesehatan"
    assert post_commitment(admin, lab.units["dinkes"], fields, None).status_code == 302
    lab.session.expire_all()
    kept = queries.commitment_of(lab.session, lab.cohort, lab.units["dinkes"])
    assert kept.document_key == keys_after[0] and kept.signatory_title.startswith("Plt.")


def test_the_commitments_page_lists_every_active_unit_and_filters(lab, admin, world):
    ops.record_commitment(lab.session, cohort_id=lab.cohort, unit_id=lab.units["pdam"],
                          signed_on=lab.today - timedelta(days=70), signatory_name="Ir. Sugeng",
                          signatory_title="Direktur PDAM", document=doc(), actor_id=None)
    lab.session.commit()
    page = text_of(admin.get("/kab-probolinggo/commitments/"))
    assert "1 units signed 3 not signed yet 4 active units" in page
    assert "PDAM Bayuangga BUMD Signed" in page and "Ir. Sugeng Direktur PDAM" in page
    assert "Dinas Kesehatan OPD Not signed" in page and "Kecamatan Lama" not in page
    unsigned = text_of(admin.get("/kab-probolinggo/commitments/?state=unsigned"))
    assert "PDAM Bayuangga" not in unsigned and "Dinas Kesehatan" in unsigned
    signed = text_of(admin.get("/kab-probolinggo/commitments/?state=signed"))
    assert "PDAM Bayuangga" in signed and "Dinas Kesehatan" not in signed
    by_kind = text_of(admin.get("/kab-probolinggo/commitments/?kind=puskesmas"))
    assert "Puskesmas Kraksaan" in by_kind and "Dinas Kesehatan" not in by_kind
    found = text_of(admin.get("/kab-probolinggo/commitments/?q=kesehat"))
    assert "Dinas Kesehatan" in found and "PDAM" not in found.split("Commitment")[-1]
    nothing = text_of(admin.get("/kab-probolinggo/commitments/?q=%25_zzz"))
    assert "No unit matches the filter." in nothing
    # Another cohort of the lab: nobody signed there.
    other = text_of(admin.get(f"/kab-probolinggo/commitments/?cohort={lab.other}"))
    assert "0 units signed" in other and "Angkatan II" in other


def test_the_cohort_is_one_the_lab_is_enrolled_in(lab, admin, world):
    newest = text_of(admin.get("/kab-probolinggo/launches/"))
    assert "Angkatan I" in newest  # the latest cohort by default
    foreign = make_cohort("Angkatan Tuban saja", lab.today.year, lab.today, world.b)
    for url in ("/commitments/", "/launches/", "/regulations/", "/launches/new",
                "/regulations/new", f"/commitments/units/{lab.units['dinkes']}"):
        assert admin.get(f"/kab-probolinggo{url}?cohort={foreign.id}").status_code == 404
        assert admin.get(f"/kab-probolinggo{url}?cohort=abc").status_code == 404
        assert admin.get(f"/kab-probolinggo{url}?cohort={lab.other}").status_code == 200
    switch = admin.get("/kab-probolinggo/commitments/").get_data(as_text=True)
    assert f'<option value="{lab.other}">' in switch


def test_a_lab_in_no_cohort_says_so(client, world):
    english(world.users["bappeda_a"])
    browser = sign_in(client, world.users["bappeda_a"])
    for url in ("/commitments/", "/launches/", "/regulations/"):
        response = browser.get(f"/kab-probolinggo{url}")
        assert response.status_code == 200 and "Not in a cohort yet" in text_of(response)
    assert browser.get(f"/kab-probolinggo/commitments/units/{world.unit_ids['a']}"
                       ).status_code == 404


# --- launches -------------------------------------------------------------------------------

def test_a_launch_marks_its_innovations_launched_in_their_history(lab, world):
    s = lab.session
    held = lab.today - timedelta(days=20)

    def launch(**kw):
        values = dict(cohort_id=lab.cohort, held_on=held, place="Pendopo Kabupaten",
                      title="Launching Inovasi Daerah 2026",
                      idea_ids=[lab.ideas["kepho"], lab.ideas["siber"]])
        return ops.record_launch(s, actor_id=9, **{**values, **kw})

    assert refused(launch, title="").field == "title"
    assert refused(launch, place="").field == "place"
    assert refused(launch, held_on=lab.today + timedelta(days=3)).field == "held_on"
    assert refused(launch, idea_ids=[]).field == "idea_ids"
    design = refused(launch, idea_ids=[lab.ideas["kencan"]])
    assert "still in Design" in design.message and design.field == "idea_ids"
    assert refused(launch, idea_ids=[lab.ideas["old"]]).field == "idea_ids"  # other cohort
    assert refused(launch, idea_ids=[424242]).field == "idea_ids"
    done = launch()
    s.commit()
    for key in ("kepho", "siber"):
        idea = s.get(Idea, lab.ideas[key])
        assert idea.launched_on == held and idea.tahapan == "penerapan"
        [event] = [e for e in idea.events if e.action == "launched"]
        assert event.actor_id == 9 and event.detail["launch_id"] == done.id
        assert event.detail["place"] == "Pendopo Kabupaten"
    assert s.get(Idea, lab.ideas["inol"]).launched_on is None
    again = refused(launch, idea_ids=[lab.ideas["kepho"]])
    assert "already launched at “Launching Inovasi Daerah 2026”" in again.message
    # Adding an innovation and moving the date.
    moved = held - timedelta(days=2)
    added = ops.change_launch(s, done, held_on=moved, place="Alun-alun Kraksaan",
                              title="Launching Inovasi Daerah 2026",
                              add_idea_ids=[lab.ideas["inol"]], actor_id=9)
    s.commit()
    assert [i.id for i in added] == [lab.ideas["inol"]]
    assert {i.id for i in done.ideas} == {lab.ideas[k] for k in ("kepho", "siber", "inol")}
    assert {s.get(Idea, lab.ideas[k]).launched_on for k in ("kepho", "siber", "inol")} == {
        moved}
    assert s.scalar(sa.select(sa.func.count()).select_from(IdeaEvent).where(
        IdeaEvent.action == "launched")) == 3
    assert [c.id for c in queries.launch_candidates(s, lab.cohort)] == []
    actions = s.scalars(sa.select(LabAuditEntry.action).order_by(LabAuditEntry.id)).all()
    assert actions == ["launch.recorded", "launch.changed"]


def test_launch_pages(lab, admin, client, world):
    response = admin.post("/kab-probolinggo/launches/new", data={
        "title": "Launching Inovasi", "held_on": lab.today.isoformat(), "place": "",
        "idea_ids": [str(lab.ideas["kepho"])]})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r'id="place-error"[^>]*>Enter where the launch was held', html)
    assert re.search(rf'value="{lab.ideas["kepho"]}" checked', html)  # the choice is kept
    assert "Kencan Untukmu" not in html  # in design: not offered
    response = admin.post("/kab-probolinggo/launches/new", data={
        "title": "Launching Inovasi", "held_on": lab.today.isoformat(),
        "place": "Pendopo", "idea_ids": [str(lab.ideas["kepho"]), str(lab.ideas["inol"])]})
    assert response.status_code == 302
    launch_id = int(response.location.rsplit("/", 1)[-1])
    for role in ("innovator_a", "coach_a", "lan_admin"):
        browser = browser_for(client, world.users[role])
        english(world.users[role])
        page = text_of(browser.get(f"/kab-probolinggo/launches/{launch_id}"))
        assert "Si Kepho" in page and "Inol Aja" in page and "Pendopo" in page, role
        assert "Edit or add innovations" not in page
        assert browser.get(f"/kab-probolinggo/launches/{launch_id}/edit").status_code == 403
        assert browser.post("/kab-probolinggo/launches/new").status_code == 403
    listing = text_of(admin.get("/kab-probolinggo/launches/"))
    assert "Launching Inovasi" in listing and "2 innovations" in listing
    edit = admin.post(f"/kab-probolinggo/launches/{launch_id}/edit", data={
        "title": "Launching Inovasi Daerah", "held_on": lab.today.isoformat(),
        "place": "Pendopo", "idea_ids": [str(lab.ideas["siber"])]})
    assert edit.status_code == 302
    lab.session.expire_all()
    assert len(lab.session.get(Launch, launch_id).ideas) == 3


# --- regulations ----------------------------------------------------------------------------

def test_a_regulation_and_its_revisions(lab, world):
    s = lab.session
    signed = lab.today - timedelta(days=10)
    assert ops.regulation_kind(s) == "perbup"

    def record(**kw):
        values = dict(cohort_id=lab.cohort, number="12 Tahun 2026", signed_on=signed,
                      title="Inovasi Daerah Kabupaten Probolinggo",
                      idea_ids=[lab.ideas["kepho"], lab.ideas["siber"]], launch_id=None,
                      document=doc("perbup.pdf"))
        return ops.record_regulation(s, actor_id=3, **{**values, **kw})

    assert refused(record, number=" ").field == "number"
    assert refused(record, title="").field == "title"
    assert refused(record, signed_on=lab.today + timedelta(days=1)).field == "signed_on"
    assert refused(record, document=None).field == "document"
    assert refused(record, idea_ids=[]).field == "idea_ids"
    assert "still in Design" in refused(record, idea_ids=[lab.ideas["kencan"]]).message
    assert refused(record, idea_ids=[lab.ideas["old"]]).field == "idea_ids"
    assert refused(record, launch_id=4242).field == "launch_id"
    first = record()
    assert first.kind == "perbup" and len(first.ideas) == 2
    assert refused(record, number="12 tahun 2026").field == "number"

    def revise(regulation, **kw):
        values = dict(cohort_id=lab.cohort, number="20 Tahun 2026", signed_on=lab.today,
                      title="Perubahan atas Peraturan Bupati Nomor 12 Tahun 2026",
                      idea_ids=[lab.ideas["inol"]], document=doc("perubahan.pdf"))
        return ops.revise_regulation(s, regulation, actor_id=3, **{**values, **kw})

    early = refused(revise, first, signed_on=signed - timedelta(days=1))
    assert early.field == "signed_on" and "on or after" in early.message
    assert refused(revise, first, idea_ids=[]).field == "idea_ids"
    listed = refused(revise, first, idea_ids=[lab.ideas["kepho"]])
    assert "already listed" in listed.message
    second = revise(first)
    assert second.revises_id == first.id and second.kind == "perbup"
    assert {i.id for i in second.ideas} == {lab.ideas[k] for k in ("kepho", "siber", "inol")}
    assert ops.added_by(s, second) == {lab.ideas["inol"]}
    old = refused(revise, first, number="21 Tahun 2026")
    assert "already revised by 20 Tahun 2026" in old.message
    s.commit()
    assert [r.number for r in queries.chain(s, first)] == ["12 Tahun 2026", "20 Tahun 2026"]
    assert [r.number for r in queries.chain(s, second)] == ["12 Tahun 2026", "20 Tahun 2026"]
    assert [[r.id for r in c] for c in queries.regulations(s, lab.cohort)] == [
        [first.id, second.id]]
    assert queries.regulations(s, lab.other) == []
    actions = s.scalars(sa.select(LabAuditEntry.action).order_by(LabAuditEntry.id)).all()
    assert actions == ["regulation.recorded", "regulation.revised"]


def test_a_kota_records_a_perwali(make_tenant, ctx):
    kota = make_tenant("35.74")  # Kota Probolinggo
    with tenant_session(kota.ref()) as s:
        assert ops.regulation_kind(s) == "perwali"


def post_regulation(browser, url, data, pdf):
    form = dict(data)
    if pdf is not None:
        form["document"] = (io.BytesIO(pdf), "Perbup 12 2026.pdf")
    return browser.post(url, data=form, content_type="multipart/form-data")


def test_the_regulation_pages_show_the_chain_and_the_ideas_each_lists(
        lab, admin, client, world, s3_server):
    base = "/kab-probolinggo/regulations"
    fields = {"number": "12 Tahun 2026", "signed_on": (lab.today - timedelta(days=5))
              .isoformat(), "title": "Inovasi Daerah Kabupaten Probolinggo",
              "idea_ids": [str(lab.ideas["kepho"]), str(lab.ideas["siber"])]}
    form = admin.get(f"{base}/new")
    assert "Record a Perbup" in text_of(form) and "Kencan Untukmu" not in text_of(form)
    bad = post_regulation(admin, f"{base}/new", fields, b"not a pdf at all")
    assert bad.status_code == 400 and "This file is not a PDF" in text_of(bad)
    pdf = make_pdf(3, title="Perbup")
    done = post_regulation(admin, f"{base}/new", fields, pdf)
    assert done.status_code == 302
    first_id = int(done.location.rsplit("/", 1)[-1])
    duplicate = post_regulation(admin, f"{base}/new", fields, pdf)
    assert re.search(r'id="number-error"[^>]*>Perbup number 12 Tahun 2026 is already',
                     duplicate.get_data(as_text=True))
    keys = [o["Key"] for o in s3_server.client().list_objects_v2(
        Bucket=s3_server.bucket)["Contents"]]
    assert len(keys) == 1 and keys[0].startswith(f"t{world.a.id}/regulations/")  # undone
    revision = post_regulation(admin, f"{base}/{first_id}/revise", {
        "number": "20 Tahun 2026", "signed_on": lab.today.isoformat(),
        "title": "Perubahan atas Perbup 12 Tahun 2026",
        "idea_ids": [str(lab.ideas["inol"])]}, make_pdf(1))
    assert revision.status_code == 302
    second_id = int(revision.location.rsplit("/", 1)[-1])
    # Revising the older one leads to the latest.
    assert admin.get(f"{base}/{first_id}/revise").location.endswith(f"/{second_id}")
    english(*world.users.values())
    for role in ("innovator_a", "coach_a", "lan_admin", "bappeda_a"):
        browser = browser_for(client, world.users[role])
        page = text_of(browser.get(f"{base}/{second_id}"))
        assert "Perbup 20 Tahun 2026" in page and "Perbup 12 Tahun 2026" in page, role
        assert "lists 2 innovations" in page and "lists 3 innovations" in page
        assert page.count("added by this revision") == 1
        older = text_of(browser.get(f"{base}/{first_id}"))
        assert "This regulation was revised. The latest is Perbup 20 Tahun 2026" in older
        download = browser.get(f"{base}/{first_id}/document")
        with urllib.request.urlopen(download.location) as fetched:
            assert fetched.read() == pdf
        listing = text_of(browser.get(f"{base}/"))
        assert "Perbup 20 Tahun 2026" in listing and "1 revision" in listing
        can_revise = "Record a revision that adds innovations" in page
        assert can_revise == (role == "bappeda_a"), role


# --- roles and tenant isolation ---------------------------------------------------------------

def test_readers_do_not_record(lab, client, world):
    for role in ("innovator_a", "coach_a", "lan_admin"):
        browser = browser_for(client, world.users[role])
        assert browser.get("/kab-probolinggo/commitments/").status_code == 200
        for url in (f"/commitments/units/{lab.units['dinkes']}", "/launches/new",
                    "/regulations/new"):
            assert browser.get(f"/kab-probolinggo{url}").status_code == 403, (role, url)
            assert browser.post(f"/kab-probolinggo{url}").status_code == 403, (role, url)
    lab.session.expire_all()
    assert lab.session.scalar(sa.select(sa.func.count()).select_from(Commitment)) == 0


def test_lab_b_records_are_out_of_reach_of_lab_a(lab, client, world, s3_server):
    """B's rows get ids A does not have, so that reaching one would show."""
    with tenant_session(world.b.ref()) as b:
        for table in ("unit", "commitment", "launch", "regulation", "idea"):
            b.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 700)"))
        unit = add_unit(b, "Dinas Rahasia Tuban")
        idea = add_idea(b, lab.cohort, unit.id, "Inovasi Rahasia Tuban")
        commitment = Commitment(cohort_id=lab.cohort, unit_id=unit.id,
                                signed_on=lab.today, signatory_name="Rahasia Tuban",
                                document_key=f"t{world.b.id}/commitments/x.pdf",
                                document_name="x.pdf", document_size=3)
        launch = Launch(cohort_id=lab.cohort, held_on=lab.today, place="Tuban",
                        title="Launching Rahasia Tuban")
        launch.ideas = [idea]
        regulation = Regulation(kind="perbup", number="99 Rahasia Tuban", signed_on=lab.today,
                                title="Perbup Rahasia Tuban", document_key=f"t{world.b.id}/"
                                "regulations/x.pdf", document_name="x.pdf", document_size=3)
        regulation.ideas = [idea]
        b.add_all([commitment, launch, regulation])
        b.commit()
        ids = dict(unit=unit.id, commitment=commitment.id, launch=launch.id,
                   regulation=regulation.id, idea=idea.id)
    s3_server.client().put_object(Bucket=s3_server.bucket, Key=f"t{world.b.id}/commitments/"
                                  "x.pdf", Body=b"%PDF-rahasia")
    reads = [f"/commitments/{ids['commitment']}/document", f"/launches/{ids['launch']}",
             f"/regulations/{ids['regulation']}", f"/regulations/{ids['regulation']}/document"]
    edits = [f"/commitments/units/{ids['unit']}", f"/launches/{ids['launch']}/edit",
             f"/regulations/{ids['regulation']}/revise"]
    form = {"signed_on": lab.today.isoformat(), "signatory_name": "Penyusup", "title": "x",
            "place": "x", "held_on": lab.today.isoformat(), "number": "1",
            "idea_ids": [str(ids["idea"])]}
    for role in ("bappeda_a", "innovator_a", "coach_a"):
        browser = browser_for(client, world.users[role])
        for slug in ("kab-probolinggo", "kab-tuban"):
            for url in reads + edits:
                # In A, a reader is refused an editor's page before any id is looked up.
                expected = 403 if (slug == "kab-probolinggo" and role != "bappeda_a"
                                   and url in edits) else 404
                response = browser.get(f"/{slug}{url}")
                assert response.status_code == expected, (role, slug, url)
                assert "Rahasia" not in response.get_data(as_text=True)
                if url in edits:
                    assert browser.post(f"/{slug}{url}", data=form).status_code == expected
        for url in ("/commitments/", "/launches/", "/regulations/"):
            assert browser.get(f"/kab-tuban{url}").status_code == 404
            assert "Rahasia" not in browser.get(f"/kab-probolinggo{url}").get_data(
                as_text=True)
    # Nothing of A's own lists reaches B's ideas either.
    assert queries.launch_candidates(lab.session, lab.cohort)
    assert all("Rahasia" not in i.title for i in queries.launch_candidates(
        lab.session, lab.cohort))
    with tenant_session(world.b.ref()) as b:
        kept = b.get(Commitment, ids["commitment"])
        assert kept.signatory_name == "Rahasia Tuban"
        assert b.scalar(sa.select(sa.func.count()).select_from(Launch)) == 1
        assert b.get(Launch, ids["launch"]).title == "Launching Rahasia Tuban"


# --- in the browser ---------------------------------------------------------------------------


@pytest.mark.browser
def test_commitments_and_a_regulation_in_the_browser(lab, world, page, phone_page, tmp_path):
    s = lab.session
    ops.record_commitment(s, cohort_id=lab.cohort, unit_id=lab.units["pdam"],
                          signed_on=lab.today - timedelta(days=75),
                          signatory_name="Ir. Sugeng Hariyadi",
                          signatory_title="Direktur Utama PDAM Bayuangga", document=doc(),
                          actor_id=None)
    launch = ops.record_launch(s, cohort_id=lab.cohort, held_on=lab.today - timedelta(days=30),
                               place="Pendopo Kabupaten Probolinggo",
                               title="Launching Inovasi Daerah 2026",
                               idea_ids=[lab.ideas["kepho"], lab.ideas["siber"]], actor_id=None)
    first = ops.record_regulation(s, cohort_id=lab.cohort, number="12 Tahun 2026",
                                  signed_on=lab.today - timedelta(days=25),
                                  title="Penetapan Inovasi Daerah Kabupaten Probolinggo "
                                        "Tahun 2026",
                                  idea_ids=[lab.ideas["kepho"], lab.ideas["siber"]],
                                  launch_id=launch.id, document=doc("p.pdf"), actor_id=None)
    second = ops.revise_regulation(s, first, cohort_id=lab.cohort, number="20 Tahun 2026",
                                   signed_on=lab.today - timedelta(days=3),
                                   title="Perubahan atas Peraturan Bupati Probolinggo Nomor "
                                         "12 Tahun 2026 tentang Penetapan Inovasi Daerah",
                                   idea_ids=[lab.ideas["inol"]], document=doc("r.pdf"),
                                   actor_id=None)
    s.commit()
    SHOTS.mkdir(parents=True, exist_ok=True)
    admin = world.users["bappeda_a"]
    scan = tmp_path / "Deklarasi Dinas Kesehatan.pdf"
    scan.write_bytes(make_pdf(1))
    for locale in ("id", "en"):
        admin.locale = locale
        db.session.commit()
        for name, p in (("desktop", page), ("phone", phone_page)):
            browser_sign_in(p, admin.email)
            p.goto("/kab-probolinggo/commitments/")
            p.wait_for_selector("table.commitments")
            no_sideways_scroll(p)
            p.screenshot(path=str(SHOTS / f"commitments-{name}-{locale}.png"), full_page=True)
            p.goto(f"/kab-probolinggo/regulations/{second.id}")
            p.wait_for_selector("ol.chain")
            p.click("ol.chain li.current summary")
            no_sideways_scroll(p)
            p.screenshot(path=str(SHOTS / f"regulation-{name}-{locale}.png"), full_page=True)
    # Recording a commitment through the form, with the filter of unsigned units.
    page.goto("/kab-probolinggo/commitments/?state=unsigned")
    page.click(f"#unit-{lab.units['dinkes']} a:has-text('Record')")
    page.fill("[name=signed_on]", (lab.today - timedelta(days=60)).isoformat())
    page.fill("[name=signatory_name]", "dr. Anang Budi Yoelijanto")
    page.fill("[name=signatory_title]", "Kepala Dinas Kesehatan")
    page.set_input_files("input[name=document]", str(scan))
    page.screenshot(path=str(SHOTS / "commitment-form-desktop-en.png"), full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_selector(f"#unit-{lab.units['dinkes']} .badge-active")
    s.expire_all()
    assert queries.commitment_of(s, lab.cohort, lab.units["dinkes"]).signatory_name == (
        "dr. Anang Budi Yoelijanto")


@pytest.mark.browser
def test_launch_and_regulation_forms_in_the_browser(lab, world, page, phone_page, tmp_path):
    s = lab.session
    launch = ops.record_launch(s, cohort_id=lab.cohort, held_on=lab.today - timedelta(days=30),
                               place="Pendopo Kabupaten Probolinggo",
                               title="Launching Inovasi Daerah 2026",
                               idea_ids=[lab.ideas["kepho"]], actor_id=None)
    s.commit()
    admin = world.users["bappeda_a"]
    admin.locale = "en"
    db.session.commit()
    scan = tmp_path / "Perbup 12 Tahun 2026.pdf"
    scan.write_bytes(make_pdf(2))
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, p in (("desktop", page), ("phone", phone_page)):
        browser_sign_in(p, admin.email)
        p.goto("/kab-probolinggo/launches/")
        p.wait_for_selector(".launch-card")
        no_sideways_scroll(p)
        p.screenshot(path=str(SHOTS / f"launches-{name}-en.png"), full_page=True)
        p.goto("/kab-probolinggo/launches/new")
        p.fill("[name=title]", "Launching tahap kedua")
        p.fill("[name=held_on]", lab.today.isoformat())
        p.click("main form button[type=submit]")
        p.wait_for_selector(".field-error")
        no_sideways_scroll(p)
        p.screenshot(path=str(SHOTS / f"launch-refused-{name}-en.png"), full_page=True)
        p.goto(f"/kab-probolinggo/launches/{launch.id}")
        no_sideways_scroll(p)
        p.screenshot(path=str(SHOTS / f"launch-{name}-en.png"), full_page=True)
        p.goto(f"/kab-probolinggo/regulations/new?launch={launch.id}")
        assert p.is_checked(f"input[name=idea_ids][value='{lab.ideas['kepho']}']")
        no_sideways_scroll(p)
        p.screenshot(path=str(SHOTS / f"regulation-form-{name}-en.png"), full_page=True)
    page.fill("[name=number]", "12 Tahun 2026")
    page.fill("[name=signed_on]", lab.today.isoformat())
    page.fill("[name=title]", "Penetapan Inovasi Daerah Kabupaten Probolinggo Tahun 2026")
    page.set_input_files("input[name=document]", str(scan))
    page.click("main form button[type=submit]")
    page.wait_for_selector("ol.chain")
    assert "Perbup 12 Tahun 2026" in page.inner_text("h1")
