"""Ideas: the list (filters, cohorts, paging, no N+1), the form with every IID field, the
version check that shows a conflict, the idea page, and the 5D gates."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from jobs.cohorts import refresh_lab_summary
from tenants.audit.models import LabAuditEntry
from tenants.cohorts.models import LabSummary
from tenants.db import db
from tenants.lab.models import (
    Attachment,
    Idea,
    IdeaEvent,
    RpjmdIndicator,
    RpjmdPeriod,
    RpjmdPriority,
)
from tenants.lab.operations import ideas as idea_operations
from tenants.scope import tenant_session
from tenants.units.models import Person, Unit

from .idea_helpers import enrol, in_lab, make_idea, make_milestones, sign_in, text_of

LAB = "/kab-probolinggo/ideas"


def _unit(tenant, name, kind="opd") -> int:
    with tenant_session(tenant.ref()) as s:
        unit = Unit(name=name, kind=kind)
        s.add(unit)
        s.flush()
        unit_id = unit.id
        s.commit()
        return unit_id


# --- the list ---------------------------------------------------------------------------------

def test_the_list_filters_by_stage_kind_unit_and_text(client, world):
    cohort = enrol(world.a)
    a, opd = world.unit_ids["a"], _unit(world.a, "Dinas Kesehatan")
    kepho = make_idea(world.a, cohort.id, opd, acronym="Si Kepho",
                      title="Sistem Informasi Kelompok Peduli HIV/ODHA")
    make_idea(world.a, cohort.id, a, acronym="Inol Aja", title="Inovasi Layanan Online Aja")
    make_idea(world.a, cohort.id, a, title="Kencan Untukmu 50%_ diskon")
    with tenant_session(world.a.ref()) as s:
        s.get(Idea, kepho).stage = "design"
        s.commit()
    sign_in(client, world.users["bappeda_a"])

    def titles(query=""):
        r = client.get(f"{LAB}/?{query}")
        assert r.status_code == 200
        return re.findall(r'<a href="/kab-probolinggo/ideas/\d+">(.*?)</a>', r.get_data(True))

    assert len(titles()) == 3
    assert titles("stage=design") == ["<strong>Si Kepho</strong> — Sistem Informasi Kelompok "
                                      "Peduli HIV/ODHA"]
    assert len(titles("kind=puskesmas")) == 2
    assert len(titles(f"unit={opd}")) == 1
    assert len(titles("q=inol")) == 1           # the acronym
    assert len(titles("q=online")) == 1         # the title
    assert len(titles("q=50%25_")) == 1         # % and _ are letters, not wildcards
    assert len(titles("q=5%25")) == 0
    assert titles("sort=title")[0].startswith("<strong>Inol Aja")
    assert titles("sort=title")[1].startswith("Kencan")
    # Nonsense filters are ignored, not errors.
    assert len(titles("stage=nope&kind=x&unit=999&sort=drop")) == 3
    assert "3 gagasan" in text_of(client.get(f"{LAB}/"))


def test_the_list_shows_the_latest_cohort_and_others_on_request(client, world):
    old = enrol(world.a, name="Laboratorium Inovasi 2025", year=2025)
    new = enrol(world.a, name="Laboratorium Inovasi 2026 — Angkatan I", year=2026)
    make_idea(world.a, old.id, world.unit_ids["a"], title="Ide lama angkatan 2025")
    make_idea(world.a, new.id, world.unit_ids["a"], title="Ide baru angkatan 2026")
    sign_in(client, world.users["bappeda_a"])
    body = text_of(client.get(f"{LAB}/"))
    assert "Ide baru angkatan 2026" in body and "Ide lama" not in body
    body = text_of(client.get(f"{LAB}/?cohort={old.id}"))
    assert "Ide lama angkatan 2025" in body and "Ide baru" not in body
    other = enrol(world.b, name="Angkatan lain", year=2026)
    assert client.get(f"{LAB}/?cohort={other.id}").status_code == 404  # not A's cohort


def test_a_lab_without_a_cohort_says_so(client, world):
    sign_in(client, world.users["bappeda_a"])
    assert "belum terdaftar dalam angkatan" in text_of(client.get(f"{LAB}/"))
    r = client.get(f"{LAB}/new")
    assert r.status_code == 302


def test_the_list_pages_and_an_innovator_sees_their_unit_only(client, world):
    cohort = enrol(world.a)
    other = _unit(world.a, "Kecamatan Kraksaan", "kecamatan")
    for i in range(30):
        make_idea(world.a, cohort.id, world.unit_ids["a"], title=f"Ide unit A nomor {i:02d}")
    make_idea(world.a, cohort.id, other, title="Ide kecamatan lain")
    sign_in(client, world.users["innovator_a"])
    first = text_of(client.get(f"{LAB}/?sort=title"))
    assert "30 gagasan" in first and "Ide kecamatan lain" not in first
    assert "Ide unit A nomor 00" in first and "Ide unit A nomor 25" not in first
    second = text_of(client.get(f"{LAB}/?sort=title&page=2"))
    assert "Ide unit A nomor 25" in second and "Ide unit A nomor 00" not in second
    assert "Ide unit A nomor 29" in text_of(client.get(f"{LAB}/?sort=title&page=99"))
    assert "Ide kecamatan lain" not in text_of(client.get(f"{LAB}/?unit={other}"))


def test_the_list_counts_plans_in_two_queries_whatever_the_number_of_ideas(client, world):
    cohort = enrol(world.a)
    sign_in(client, world.users["bappeda_a"])

    def statements_for_list() -> list[str]:
        seen = []

        def count(conn, cursor, statement, *args):
            seen.append(statement)

        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get(f"{LAB}/").status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        return [s for s in seen if "idea" in s or "milestone" in s]

    idea_id = make_idea(world.a, cohort.id, world.unit_ids["a"], title="Satu")
    make_milestones(world.a, idea_id, 2, world.person_ids["a"])
    few = statements_for_list()
    for i in range(12):
        idea_id = make_idea(world.a, cohort.id, world.unit_ids["a"], title=f"Ide {i}")
        make_milestones(world.a, idea_id, 3, world.person_ids["a"])
    many = statements_for_list()
    assert len(many) == len(few) == 2, many


def test_the_list_counts_done_and_late_milestones(client, world):
    cohort = enrol(world.a)
    idea_id = make_idea(world.a, cohort.id, world.unit_ids["a"], title="Ide dengan rencana")
    make_milestones(world.a, idea_id, 3, world.person_ids["a"], start=date(2020, 1, 6))
    sign_in(client, world.users["bappeda_a"])
    body = text_of(client.get(f"{LAB}/"))
    assert "0 dari 3 selesai" in body and "3 terlambat" in body


# --- the form ---------------------------------------------------------------------------------

@pytest.fixture
def rpjmd(world):
    with tenant_session(world.a.ref()) as s:
        period = RpjmdPeriod(title="RPJMD 2025-2029", starts_year=2025, ends_year=2029)
        s.add(period)
        s.flush()
        misi = RpjmdPriority(period_id=period.id, kind="misi", code="M1", text="Misi satu")
        s.add(misi)
        s.flush()
        sasaran = RpjmdPriority(period_id=period.id, parent_id=misi.id, kind="sasaran",
                                code="S1.1", text="Sasaran satu")
        other = RpjmdPriority(period_id=period.id, parent_id=misi.id, kind="sasaran",
                              code="S1.2", text="Sasaran dua")
        s.add_all([sasaran, other])
        s.flush()
        indicator = RpjmdIndicator(priority_id=sasaran.id, code="IKD 1", name="Cakupan")
        s.add(indicator)
        s.flush()
        ids = {"priority": sasaran.id, "other": other.id, "indicator": indicator.id}
        s.commit()
    return ids


def _form(world, rpjmd, **over):
    data = {"title": "Inovasi Layanan Online Aja", "acronym": "Inol Aja",
            "unit_id": str(world.unit_ids["a"]), "innovator_ids": [str(world.person_ids["a"])],
            "inisiator": "asn", "jenis": "digital", "bentuk": "pelayanan_publik",
            "urusan": ["kesehatan", "adminduk"], "tematik": "digitalisasi_layanan",
            "tahapan": "uji_coba", "trial_on": "2026-02-02", "launched_on": "2026-04-01",
            "problem": "Antrean panjang di loket.", "root_causes": "Pendaftaran manual.",
            "affected": "Pasien", "design": "kata " * 120, "solution": "Daftar daring",
            "beneficiaries": "Warga", "expected_results": "Antrean berkurang",
            "results": "Waktu tunggu 40 menit lebih singkat",
            "priority_id": str(rpjmd["priority"]), "indicator_id": str(rpjmd["indicator"])}
    data.update(over)
    return data


def test_creating_an_idea_with_every_iid_field(client, world, rpjmd, run_job):
    cohort = enrol(world.a)
    sign_in(client, world.users["bappeda_a"])
    page = client.get(f"{LAB}/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for group in ("Wajib, pelayanan dasar", "Pilihan", "Penunjang"):
        assert group in html  # urusan grouped as UU 23/2014 groups them
    assert 'data-word-count="design-words"' in html and "wordcount.js" in html
    r = client.post(f"{LAB}/new", data=_form(world, rpjmd))
    assert r.status_code == 302, text_of(r)
    idea = in_lab(world.a, Idea, 1)
    assert (idea.cohort_id, idea.stage, idea.acronym) == (cohort.id, "diagnose", "Inol Aja")
    assert (idea.inisiator, idea.jenis, idea.bentuk, idea.tematik, idea.tahapan) == (
        "asn", "digital", "pelayanan_publik", "digitalisasi_layanan", "uji_coba")
    assert idea.urusan == ["kesehatan", "adminduk"]
    assert (idea.trial_on, idea.launched_on) == (date(2026, 2, 2), date(2026, 4, 1))
    assert (idea.priority_id, idea.indicator_id) == (rpjmd["priority"], rpjmd["indicator"])
    assert idea.results == "Waktu tunggu 40 menit lebih singkat"
    with tenant_session(world.a.ref()) as s:
        assert [p.id for p in s.get(Idea, 1).innovators] == [world.person_ids["a"]]
        assert s.scalar(sa.select(LabAuditEntry.action)) == "idea.created"
    page = text_of(client.get(r.location))
    assert "120 dari 300 kata" in page  # the design's word count, server-side
    run_job(refresh_lab_summary, world.a.id)  # queued by the request (tests/cohorts)
    assert db.session.get(LabSummary, (cohort.id, world.a.id)).ideas == 1


def test_a_refused_idea_keeps_everything_typed(client, world, rpjmd):
    enrol(world.a)
    sign_in(client, world.users["bappeda_a"])
    r = client.post(f"{LAB}/new", data=_form(world, rpjmd, title="",
                                             indicator_id=str(rpjmd["indicator"]),
                                             priority_id=str(rpjmd["other"])))
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert 'id="title-error"' in html
    assert 'value="Inol Aja"' in html and "Antrean panjang di loket." in html
    assert 'value="adminduk" checked' in html
    r = client.post(f"{LAB}/new", data=_form(world, rpjmd, priority_id=str(rpjmd["other"])))
    assert r.status_code == 400
    assert "Indikator ini milik prioritas RPJMD yang lain." in text_of(r)
    r = client.post(f"{LAB}/new", data=_form(world, rpjmd, trial_on="2026-05-01"))
    assert r.status_code == 400 and 'id="launched_on-error"' in r.get_data(as_text=True)
    r = client.post(f"{LAB}/new", data=_form(world, rpjmd, jenis="analog", urusan=["x"]))
    assert r.status_code == 400
    with tenant_session(world.a.ref()) as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Idea)) == 0


def test_an_innovators_idea_is_their_units(client, world, rpjmd):
    enrol(world.a)
    other = _unit(world.a, "Dinas Pendidikan")
    sign_in(client, world.users["innovator_a"])
    html = client.get(f"{LAB}/new").get_data(as_text=True)
    assert 'value="Puskesmas Kraksaan" readonly' in html and "Dinas Pendidikan" not in html
    r = client.post(f"{LAB}/new", data=_form(world, rpjmd, unit_id=str(other)))
    assert r.status_code == 302
    assert in_lab(world.a, Idea, 1).unit_id == world.unit_ids["a"]  # a forged unit is ignored
    r = client.post(f"{LAB}/1/edit", data=_form(world, rpjmd, unit_id=str(other), version="1"))
    assert r.status_code == 302
    assert in_lab(world.a, Idea, 1).unit_id == world.unit_ids["a"]


def test_two_people_editing_at_once_see_the_conflict(client, world, rpjmd):
    cohort = enrol(world.a)
    idea_id = make_idea(world.a, cohort.id, world.unit_ids["a"], title="Judul awal",
                        problem="Masalah awal")
    sign_in(client, world.users["bappeda_a"])
    assert 'name="version" type="hidden" value="1"' in client.get(
        f"{LAB}/{idea_id}/edit").get_data(as_text=True)
    # Meanwhile the innovator saves their version.
    with tenant_session(world.a.ref()) as s:
        idea_operations.update(s, s.get(Idea, idea_id), version=1,
                               values={"title": "Judul dari inovator"}, innovator_ids=None,
                               actor_id=world.users["innovator_a"].id)
        s.commit()
    mine = _form(world, rpjmd, title="Judul dari Bappeda", problem="Masalah awal",
                 version="1")
    r = client.post(f"{LAB}/{idea_id}/edit", data=mine)
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    conflict = html[html.index('id="conflict"'):html.index("</article>")]
    assert "Siti Nurhayati" in conflict                   # who saved in between
    assert "Judul dari inovator" in conflict and "Judul dari Bappeda" in conflict
    assert "Masalah awal" not in conflict                 # only the fields that differ
    assert 'value="Judul dari Bappeda"' in html           # what was typed is kept
    assert 'name="version" type="hidden" value="2"' in html
    assert in_lab(world.a, Idea, idea_id).title == "Judul dari inovator"
    # Saving again, knowingly, replaces theirs.
    r = client.post(f"{LAB}/{idea_id}/edit", data={**mine, "version": "2"})
    assert r.status_code == 302
    assert in_lab(world.a, Idea, idea_id).title == "Judul dari Bappeda"
    with tenant_session(world.a.ref()) as s:
        edits = s.scalars(sa.select(IdeaEvent).where(IdeaEvent.action == "edited")
                          .order_by(IdeaEvent.id)).all()
        assert [e.actor_id for e in edits] == [world.users["innovator_a"].id,
                                               world.users["bappeda_a"].id]
        assert "title" in edits[-1].detail["fields"]


def test_a_stage_move_meanwhile_is_a_conflict_without_differences(client, world, rpjmd):
    cohort = enrol(world.a)
    idea_id = make_idea(world.a, cohort.id, world.unit_ids["a"], problem="P", root_causes="R")
    sign_in(client, world.users["bappeda_a"])
    form = {"title": "Sistem Informasi Kelompok Peduli HIV/ODHA", "unit_id": world.unit_ids["a"],
            "problem": "P", "root_causes": "R", "tahapan": "inisiatif", "version": "1"}
    assert client.post(f"{LAB}/{idea_id}/move", data={"direction": "forward"}).status_code == 302
    r = client.post(f"{LAB}/{idea_id}/edit", data=form)
    assert r.status_code == 409
    assert "tidak menyentuh isian Anda" in text_of(r)


# --- the idea page and the gates --------------------------------------------------------------

def _move(client, idea_id, direction="forward", reason=None):
    data = {"direction": direction}
    if reason is not None:
        data["reason"] = reason
    return client.post(f"{LAB}/{idea_id}/move", data=data)


def test_no_design_without_a_problem_and_its_root_causes(client, world):
    cohort = enrol(world.a)
    idea_id = make_idea(world.a, cohort.id, world.unit_ids["a"])
    sign_in(client, world.users["innovator_a"])
    page = client.get(f"{LAB}/{idea_id}").get_data(as_text=True)
    assert page.count('class="unmet"') == 2
    r = _move(client, idea_id)
    assert r.status_code == 400
    assert "Rumusan masalah" in text_of(r) and "Akar masalah" in text_of(r)
    assert in_lab(world.a, Idea, idea_id).stage == "diagnose"
    with tenant_session(world.a.ref()) as s:
        idea_operations.update(s, s.get(Idea, idea_id), version=1,
                               values={"problem": "Antrean"}, innovator_ids=None, actor_id=None)
        s.commit()
    r = _move(client, idea_id)
    assert r.status_code == 400 and "Akar masalah" in text_of(r)
    assert "Rumusan masalah;" not in text_of(r)  # only what is still missing
    with tenant_session(world.a.ref()) as s:
        idea_operations.update(s, s.get(Idea, idea_id), version=2,
                               values={"root_causes": "Manual"}, innovator_ids=None,
                               actor_id=None)
        s.commit()
    assert _move(client, idea_id).status_code == 302
    assert in_lab(world.a, Idea, idea_id).stage == "design"


def test_no_deliver_without_a_complete_action_plan(client, world):
    cohort = enrol(world.a)
    idea_id = make_idea(world.a, cohort.id, world.unit_ids["a"], problem="P", root_causes="R")
    sign_in(client, world.users["bappeda_a"])
    assert _move(client, idea_id).status_code == 302
    make_milestones(world.a, idea_id, 2, world.person_ids["a"])
    r = _move(client, idea_id)
    assert r.status_code == 400 and "sedikitnya 3 tahapan" in text_of(r)
    make_milestones(world.a, idea_id, 1, None, complete=False)  # no owner, no start
    r = _move(client, idea_id)
    assert r.status_code == 400
    assert "penanggung jawab" in text_of(r)
    assert "sedikitnya 3 tahapan kegiatan;" not in text_of(r)
    with tenant_session(world.a.ref()) as s:
        from tenants.lab.models import Milestone

        for m in s.scalars(sa.select(Milestone)):
            m.owner_id, m.starts_on = world.person_ids["a"], m.starts_on or date(2026, 3, 1)
        s.commit()
    assert _move(client, idea_id).status_code == 302
    assert in_lab(world.a, Idea, idea_id).stage == "deliver"


def test_no_display_without_launch_evidence(client, world):
    cohort = enrol(world.a)
    idea_id = make_idea(world.a, cohort.id, world.unit_ids["a"])
    with tenant_session(world.a.ref()) as s:
        s.get(Idea, idea_id).stage = "deliver"
        s.commit()
    sign_in(client, world.users["bappeda_a"])
    r = _move(client, idea_id)
    assert r.status_code == 400
    assert "Tanggal peluncuran" in text_of(r) and "Bukti peluncuran" in text_of(r)
    with tenant_session(world.a.ref()) as s:
        idea = s.get(Idea, idea_id)
        idea.launched_on = date(2026, 6, 1)
        s.add(Attachment(idea_id=idea_id, kind="evidence", key="t1/ideas/1/a.pdf",
                         filename="a.pdf", content_type="application/pdf", size=10))
        s.commit()
    r = _move(client, idea_id)
    assert r.status_code == 400 and "Bukti peluncuran" in text_of(r)  # evidence, not launch
    with tenant_session(world.a.ref()) as s:
        s.add(Attachment(idea_id=idea_id, kind="launch", key="t1/ideas/1/b.jpg",
                         filename="b.jpg", content_type="image/jpeg", size=10))
        s.commit()
    assert _move(client, idea_id).status_code == 302
    assert in_lab(world.a, Idea, idea_id).stage == "display"


def test_a_bappeda_administrator_overrides_a_gate_with_a_reason(client, world):
    cohort = enrol(world.a)
    idea_id = make_idea(world.a, cohort.id, world.unit_ids["a"])
    sign_in(client, world.users["bappeda_a"])
    assert "Lewati syarat dan pindahkan" in text_of(client.get(f"{LAB}/{idea_id}"))
    r = _move(client, idea_id, reason="   ")  # no reason: refused, naming what is missing
    assert r.status_code == 400 and "Rumusan masalah" in text_of(r)
    r = _move(client, idea_id, reason="Disepakati pada rapat monev 15 Oktober")
    assert r.status_code == 302
    assert in_lab(world.a, Idea, idea_id).stage == "design"
    with tenant_session(world.a.ref()) as s:
        event = s.scalar(sa.select(IdeaEvent).where(IdeaEvent.action == "moved_overridden"))
        assert (event.reason, event.from_stage, event.to_stage, event.actor_id) == (
            "Disepakati pada rapat monev 15 Oktober", "diagnose", "design",
            world.users["bappeda_a"].id)
        entry = s.scalar(sa.select(LabAuditEntry).where(
            LabAuditEntry.action == "idea.moved_overridden"))
        assert entry.detail["reason"] == "Disepakati pada rapat monev 15 Oktober"
    page = text_of(client.get(f"{LAB}/{idea_id}"))
    assert "Disepakati pada rapat monev 15 Oktober" in page and "Dwi Hartono" in page


def test_an_innovator_cannot_override_a_gate(client, world):
    cohort = enrol(world.a)
    idea_id = make_idea(world.a, cohort.id, world.unit_ids["a"])
    sign_in(client, world.users["innovator_a"])
    assert "override-reason" not in client.get(f"{LAB}/{idea_id}").get_data(as_text=True)
    r = _move(client, idea_id, reason="Saya yakin sudah siap")
    assert r.status_code == 400 and "Rumusan masalah" in text_of(r)
    assert in_lab(world.a, Idea, idea_id).stage == "diagnose"


def test_moving_back_needs_a_reason(client, world):
    cohort = enrol(world.a)
    idea_id = make_idea(world.a, cohort.id, world.unit_ids["a"], problem="P", root_causes="R")
    sign_in(client, world.users["innovator_a"])
    assert _move(client, idea_id).status_code == 302
    r = _move(client, idea_id, "back")
    assert r.status_code == 400 and "Sebutkan alasan" in text_of(r)
    assert in_lab(world.a, Idea, idea_id).stage == "design"
    assert _move(client, idea_id, "back", "Akar masalah perlu dikaji ulang").status_code == 302
    assert in_lab(world.a, Idea, idea_id).stage == "diagnose"
    # Diagnose is the first stage an idea has: there is no moving back to drum-up.
    assert _move(client, idea_id, "back", "lagi").status_code == 400


def test_the_history_names_who_did_what_newest_first(client, world):
    cohort = enrol(world.a)
    idea_id = make_idea(world.a, cohort.id, world.unit_ids["a"], problem="P", root_causes="R",
                        actor_id=world.users["innovator_a"].id)
    sign_in(client, world.users["bappeda_a"])
    _move(client, idea_id)
    html = client.get(f"{LAB}/{idea_id}").get_data(as_text=True)
    history = text_of_html(html[html.index('id="history"'):])
    assert history.index("Dwi Hartono memindahkan") < history.index("Siti Nurhayati mencatat")


def text_of_html(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


__all__ = ["Person"]
