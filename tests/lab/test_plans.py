"""Action plans: milestones added, changed, ordered, removed; progress notes; lateness in
the lab's own time zone; every change in the idea's history, the audit log and the summary."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from jobs.cohorts import refresh_lab_summary
from tenants import zones
from tenants.audit.models import LabAuditEntry
from tenants.cohorts.models import LabSummary
from tenants.cohorts.operations import tenant_today
from tenants.db import db
from tenants.lab.models import IdeaEvent, Milestone, MilestoneNote
from tenants.lab.summary import refresh_lab
from tenants.scope import tenant_session

from .idea_helpers import enrol, in_lab, make_idea, make_milestones, sign_in, text_of

LAB = "/kab-probolinggo/ideas"


@pytest.fixture
def idea(world):
    cohort = enrol(world.a)
    return make_idea(world.a, cohort.id, world.unit_ids["a"])


def plan(tenant, idea_id) -> list[Milestone]:
    with tenant_session(tenant.ref()) as s:
        rows = s.scalars(sa.select(Milestone).where(Milestone.idea_id == idea_id)
                         .order_by(Milestone.position)).all()
        for row in rows:
            s.expunge(row)
        return rows


def test_adding_a_milestone(client, world, idea, run_job):
    sign_in(client, world.users["innovator_a"])
    r = client.post(f"{LAB}/{idea}/plan/milestones", data={
        "title": "Sosialisasi kepada kader", "owner_id": world.person_ids["a"],
        "starts_on": "2026-03-02", "due_on": "2026-03-20"})
    assert r.status_code == 302
    [m] = plan(world.a, idea)
    assert (m.title, m.owner_id, m.status, m.position) == (
        "Sosialisasi kepada kader", world.person_ids["a"], "planned", 1)
    page = text_of(client.get(f"{LAB}/{idea}"))
    assert "Sosialisasi kepada kader" in page and "Penanggung jawab: Ahmad Fauzi" in page
    with tenant_session(world.a.ref()) as s:
        assert s.scalar(sa.select(IdeaEvent.detail).where(
            IdeaEvent.action == "milestone_added")) == {"milestone": "Sosialisasi kepada kader"}
        assert s.scalar(sa.select(LabAuditEntry.action).order_by(
            LabAuditEntry.id.desc())) == "plan.milestone_added"
    run_job(refresh_lab_summary, world.a.id)  # queued by the request (tests/cohorts)
    summary = db.session.scalar(sa.select(LabSummary))
    assert summary.milestones == 1


def test_a_refused_milestone_keeps_what_was_typed(client, world, idea):
    sign_in(client, world.users["innovator_a"])
    r = client.post(f"{LAB}/{idea}/plan/milestones", data={
        "title": "Uji coba aplikasi", "owner_id": world.person_ids["a"],
        "starts_on": "2026-03-20", "due_on": "2026-03-02"})
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "Tenggat tidak dapat mendahului tanggal mulai." in html
    assert 'value="Uji coba aplikasi"' in html and 'value="2026-03-20"' in html
    r = client.post(f"{LAB}/{idea}/plan/milestones", data={"title": "X", "owner_id": "99999"})
    assert r.status_code == 400 and "penanggung jawab dari daftar" in text_of(r)
    assert plan(world.a, idea) == []


def test_changing_ordering_and_removing_milestones(client, world, idea):
    ids = make_milestones(world.a, idea, 3, world.person_ids["a"])
    sign_in(client, world.users["bappeda_a"])
    url = f"{LAB}/{idea}/plan/milestones"
    today = date.today()
    r = client.post(f"{url}/{ids[0]}", data={
        "title": "Langkah 1", "owner_id": world.person_ids["a"], "starts_on": "2026-03-02",
        "due_on": "2026-03-12", "status": "done",
        "done_on": (today + timedelta(days=3)).isoformat()})
    assert r.status_code == 400 and "belum tiba" in text_of(r)
    r = client.post(f"{url}/{ids[0]}", data={
        "title": "Langkah 1", "owner_id": world.person_ids["a"], "starts_on": "2026-03-02",
        "due_on": "2026-03-12", "status": "done", "done_on": ""})
    assert r.status_code == 302
    done = in_lab(world.a, Milestone, ids[0])
    assert done.status == "done" and abs((done.done_on - today).days) <= 1
    assert client.post(f"{url}/{ids[2]}/order", data={"offset": "-1"}).status_code == 302
    assert [m.id for m in plan(world.a, idea)] == [ids[0], ids[2], ids[1]]
    assert client.post(f"{url}/{ids[0]}/order", data={"offset": "-1"}).status_code == 302
    assert [m.id for m in plan(world.a, idea)] == [ids[0], ids[2], ids[1]]  # already first
    assert client.post(f"{url}/{ids[2]}/order", data={"offset": "7"}).status_code == 400
    assert client.post(f"{url}/{ids[2]}/delete").status_code == 302
    assert [(m.id, m.position) for m in plan(world.a, idea)] == [(ids[0], 1), (ids[1], 2)]
    r = client.post(f"{url}/{ids[0]}", data={
        "title": "Langkah 1", "owner_id": world.person_ids["a"], "starts_on": "2026-03-02",
        "due_on": "2026-03-12", "status": "in_progress"})
    assert r.status_code == 302 and in_lab(world.a, Milestone, ids[0]).done_on is None
    with tenant_session(world.a.ref()) as s:
        actions = s.scalars(sa.select(IdeaEvent.action).order_by(IdeaEvent.id)).all()
    assert actions[-4:] == ["milestone_changed", "milestone_moved", "milestone_removed",
                            "milestone_changed"]


def test_a_progress_note_reports_the_status(client, world, idea):
    [m] = make_milestones(world.a, idea, 1, world.person_ids["a"])
    sign_in(client, world.users["innovator_a"])
    url = f"{LAB}/{idea}/plan/milestones/{m}/notes"
    r = client.post(url, data={"status": "in_progress", "note": ""})
    assert r.status_code == 400 and "Silakan tulis perkembangan" in text_of(r)
    r = client.post(url, data={"status": "in_progress", "note": "Aplikasi diuji di dua desa."})
    assert r.status_code == 302
    assert in_lab(world.a, Milestone, m).status == "in_progress"
    with tenant_session(world.a.ref()) as s:
        note = s.scalar(sa.select(MilestoneNote))
        assert (note.author_id, note.status) == (world.users["innovator_a"].id, "in_progress")
    page = text_of(client.get(f"{LAB}/{idea}"))
    assert "Aplikasi diuji di dua desa." in page
    assert "menulis catatan perkembangan pada “Langkah 1” (Direncanakan → Sedang berjalan)" \
        in page


class FrozenClock(datetime):
    """A clock stopped at one instant (the tenant's "today" follows from it)."""

    instant = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)

    @classmethod
    def now(cls, tz=None):
        return cls.instant.astimezone(tz) if tz else cls.instant.replace(tzinfo=None)


def test_late_follows_the_due_date_in_the_labs_time_zone(client, world, make_tenant,
                                                        make_user, monkeypatch):
    """At 15.30 UTC on 10 March it is 22.30 WIB on the 10th and 00.30 WIT on the 11th: a
    milestone due on the 10th is late in Kota Jayapura (WIT) and not yet in Probolinggo."""
    from tenants.accounts.models import Role
    from tenants.units.models import Unit

    jayapura = make_tenant("91.71")
    assert jayapura.timezone == "Asia/Jayapura" and world.a.timezone == "Asia/Jakarta"
    cohort = enrol(world.a, jayapura)
    with tenant_session(jayapura.ref()) as s:
        unit = Unit(name="Puskesmas Hamadi", kind="puskesmas")
        s.add(unit)
        s.flush()
        unit_id = unit.id
        s.commit()
    admin = make_user("bappeda@jayapura.example", "Yohanes Wenda",
                      memberships=[(jayapura, Role.BAPPEDA_ADMIN)])
    due = date(2026, 3, 10)
    ideas = {}
    for tenant, unit in ((world.a, world.unit_ids["a"]), (jayapura, unit_id)):
        ideas[tenant.slug] = make_idea(tenant, cohort.id, unit, title="Ide dengan tenggat")
        with tenant_session(tenant.ref()) as s:
            s.add(Milestone(idea_id=ideas[tenant.slug], title="Rapat koordinasi", position=1,
                            starts_on=due - timedelta(days=5), due_on=due))
            s.commit()
    monkeypatch.setattr(zones, "datetime", FrozenClock)

    for tenant in (world.a, jayapura):
        with tenant_session(tenant.ref()) as s:
            refresh_lab(s)
    results = {}
    for tenant, user in ((world.a, world.users["bappeda_a"]), (jayapura, admin)):
        c = client.application.test_client()
        sign_in(c, user)
        page = c.get(f"/{tenant.slug}/ideas/{ideas[tenant.slug]}").get_data(as_text=True)
        listing = text_of(c.get(f"/{tenant.slug}/ideas/"))
        with tenant_session(tenant.ref()) as s:
            today = tenant_today(s)
        summary = db.session.scalar(sa.select(LabSummary).where(
            LabSummary.tenant_id == tenant.id))
        results[tenant.slug] = (today, "milestone-late" in page, "1 terlambat" in listing,
                                summary.late_milestones)
    assert results == {world.a.slug: (date(2026, 3, 10), False, False, 0),
                       jayapura.slug: (date(2026, 3, 11), True, True, 1)}
    with tenant_session(world.a.ref()) as s:
        assert not s.get(Milestone, 1).is_late(tenant_today(s))
