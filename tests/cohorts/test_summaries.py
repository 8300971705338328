"""LAN's summary of each enrolled lab: what it counts (late milestones by the lab's own time
zone, the current stage by the lab's own dates), the tenant job that recounts it after a
lab's write, and the dispatcher's daily round."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from lab.idea_helpers import enrol, make_idea
from redis import Redis
from rq import Queue
from rq.job import Job, JobStatus

from fixtures.app import sign_in
from jobs.cohorts import enqueue_refresh, refresh_lab_summary, stale_summaries
from tenants import zones
from tenants.cohorts import summaries
from tenants.cohorts.models import STAGES, LabSummary, StageShift
from tenants.db import db, utcnow
from tenants.lab.models import Idea, Milestone
from tenants.scope import tenant_session
from tenants.units.models import Unit


class FrozenClock(datetime):
    """15.30 UTC on 10 March 2026: 22.30 WIB on the 10th, 00.30 WIT on the 11th."""

    instant = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)

    @classmethod
    def now(cls, tz=None):
        return cls.instant.astimezone(tz) if tz else cls.instant.replace(tzinfo=None)


def _unit(tenant, name, kind="puskesmas", retired=False) -> int:
    with tenant_session(tenant.ref()) as s:
        unit = Unit(name=name, kind=kind, retired_at=utcnow() if retired else None)
        s.add(unit)
        s.commit()
        return unit.id


def _stage(tenant, idea_id: int, stage: str) -> None:
    with tenant_session(tenant.ref()) as s:
        s.execute(sa.update(Idea).where(Idea.id == idea_id).values(stage=stage))
        s.commit()


def _milestones(tenant, idea_id: int, rows) -> None:
    with tenant_session(tenant.ref()) as s:
        for n, (due, status) in enumerate(rows, 1):
            s.add(Milestone(idea_id=idea_id, title=f"Langkah {n}", position=n, due_on=due,
                            starts_on=due - timedelta(days=7), status=status))
        s.commit()


def _shift(tenant, cohort, drum_up_ends: date) -> None:
    """The lab's own dates: drum-up until `drum_up_ends`, diagnose from the day after."""
    windows = {s.stage: s for s in cohort.stages}
    with tenant_session(tenant.ref()) as s:
        for stage in STAGES:
            w = windows[stage]
            starts, ends = w.starts_on, w.ends_on
            if stage == "drum_up":
                ends = drum_up_ends
            elif stage == "diagnose":
                starts = drum_up_ends + timedelta(days=1)
            s.add(StageShift(cohort_id=cohort.id, stage=stage, starts_on=starts, ends_on=ends,
                             deliverable_due=ends))
        s.commit()


def _summary(cohort_id: int, tenant_id: int) -> LabSummary:
    db.session.expire_all()
    return db.session.get(LabSummary, (cohort_id, tenant_id))


def test_the_summary_counts_each_lab_in_its_own_time_zone(world, make_tenant, monkeypatch,
                                                          run_job):
    jayapura = make_tenant("91.71")
    assert jayapura.timezone == "Asia/Jayapura" and world.a.timezone == "Asia/Jakarta"
    cohort = enrol(world.a, jayapura)
    other = enrol(world.a, name="Laboratorium Inovasi 2025 — Angkatan II", year=2025,
                  start=date(2025, 1, 6))
    for tenant, unit_a in ((world.a, world.unit_ids["a"]),
                           (jayapura, _unit(jayapura, "Puskesmas Hamadi"))):
        if tenant is jayapura:
            _unit(jayapura, "Kecamatan Abepura", "kecamatan")  # no idea there
        _unit(tenant, "Puskesmas Lama", retired=True)        # retired: not counted
        first = make_idea(tenant, cohort.id, unit_a, title="Si Kepho")
        second = make_idea(tenant, cohort.id, unit_a, title="Inol Aja")
        make_idea(tenant, cohort.id, unit_a, title="Kencan Untukmu")
        _stage(tenant, second, "design")
        _milestones(tenant, first, [
            (date(2026, 3, 10), Milestone.PLANNED),      # due today in WIB, yesterday in WIT
            (date(2026, 3, 9), Milestone.IN_PROGRESS),   # late in both
            (date(2026, 3, 9), Milestone.DONE),          # done: never late
            (date(2026, 3, 20), Milestone.PLANNED),
        ])
        _shift(tenant, cohort, drum_up_ends=date(2026, 3, 10))
    make_idea(world.a, other.id, world.unit_ids["a"], title="Ide angkatan lalu")
    monkeypatch.setattr(zones, "datetime", FrozenClock)

    assert run_job(refresh_lab_summary, world.a.id) == 2   # both of its cohorts
    assert run_job(refresh_lab_summary, jayapura.id) == 1

    a, j = _summary(cohort.id, world.a.id), _summary(cohort.id, jayapura.id)
    figures = lambda s: (s.ideas, s.by_stage, s.milestones, s.late_milestones, s.units,  # noqa: E731
                         s.units_without_ideas, s.current_stage)
    by_stage = {"drum_up": 0, "diagnose": 2, "design": 1, "deliver": 0, "display": 0}
    # Probolinggo (WIB, 22.30 on the 10th): one milestone late, still in its drum-up.
    # Kecamatan Paiton has no idea; the retired Puskesmas is not counted.
    assert figures(a) == (3, by_stage, 4, 1, 2, 1, "drum_up")
    # Jayapura (WIT, 00.30 on the 11th): the milestone due on the 10th is late too, and
    # its own dates put it in diagnose since midnight.
    assert figures(j) == (3, by_stage, 4, 2, 2, 1, "diagnose")
    with tenant_session(world.a.ref()) as s:
        latest = max(s.scalar(sa.select(sa.func.max(Idea.updated_at))
                              .where(Idea.cohort_id == cohort.id)),
                     s.scalar(sa.select(sa.func.max(Milestone.updated_at))))
    assert a.last_activity_at == latest
    # The lab's idea of the other cohort counts there only.
    assert _summary(other.id, world.a.id).ideas == 1
    # A lab enrolled nowhere has nothing to count.
    lone = make_tenant("35.74")
    assert run_job(refresh_lab_summary, lone.id) == 0


def test_an_earlier_count_never_overwrites_a_later_one(world):
    cohort = enrol(world.a)
    values = dict(ideas=5, by_stage={}, milestones=0, late_milestones=0, units=2,
                  units_without_ideas=0, current_stage=None, last_activity_at=None)
    later = utcnow()
    summaries.write(db.session, cohort_id=cohort.id, tenant_id=world.a.id, values=values,
                    counted_at=later)
    summaries.write(db.session, cohort_id=cohort.id, tenant_id=world.a.id,
                    values={**values, "ideas": 4}, counted_at=later - timedelta(seconds=1))
    db.session.commit()
    assert _summary(cohort.id, world.a.id).ideas == 5


# --- The job, queued after a lab's write ---------------------------------------------------------

@pytest.fixture
def queue(settings, fresh_redis) -> Queue:
    return Queue("default", connection=Redis.from_url(settings.redis_url))


def _ids(queue: Queue) -> list[str]:
    return [job.id for job in queue.jobs]


def test_a_lab_write_queues_one_recount_and_the_worker_runs_it(client, world, queue,
                                                                run_worker_burst):
    cohort = enrol(world.a)
    world.users["bappeda_a"].locale = "en"
    db.session.commit()
    sign_in(client, world.users["bappeda_a"])
    units = f"/{world.a.slug}/units"
    assert client.get(f"{units}/").status_code == 200
    assert _ids(queue) == []                              # reading queues nothing
    assert client.post(f"{units}/new", data={"name": "", "kind": "opd"}).status_code == 400
    assert _ids(queue) == []                              # refused: nothing written
    for name in ("Dinas Sosial", "Dinas Pendidikan", "Dinas Perikanan"):
        assert client.post(f"{units}/new", data={"name": name, "kind": "opd"}).status_code == 302
    assert _ids(queue) == [f"t{world.a.id}-lab-summary"]  # a burst of writes, one job
    [job] = queue.jobs
    assert job.func_name == "jobs.cohorts.refresh_lab_summary" and job.args == (world.a.id,)
    assert _summary(cohort.id, world.a.id) is None
    run_worker_burst("default")
    summary = _summary(cohort.id, world.a.id)
    assert (summary.units, summary.units_without_ideas, summary.ideas) == (5, 5, 0)
    # The lab's next write queues the next recount.
    idea = client.post(f"/{world.a.slug}/ideas/new", data={
        "title": "Sistem Informasi Kelompok Peduli HIV/ODHA", "acronym": "Si Kepho",
        "unit_id": world.unit_ids["a"]})
    assert idea.status_code in (302, 400)
    client.post(f"{units}/{world.unit_ids['a']}/retire")
    assert _ids(queue) == [f"t{world.a.id}-lab-summary"]
    run_worker_burst("default")
    assert _summary(cohort.id, world.a.id).units == 4


def test_a_write_while_the_recount_runs_queues_one_more(ctx, world, queue):
    enrol(world.a)
    first = enqueue_refresh(world.a.id)
    assert enqueue_refresh(world.a.id).id == first.id     # still waiting: the same job
    first.set_status(JobStatus.STARTED)                    # a worker has begun counting
    second = enqueue_refresh(world.a.id)
    assert second.id == f"t{world.a.id}-lab-summary-next"
    assert enqueue_refresh(world.a.id).id == second.id
    assert f"t{world.a.id}-lab-summary-next" in _ids(queue)
    assert Job.fetch(first.id, connection=queue.connection).get_status() == JobStatus.STARTED


def test_the_daily_round_recounts_labs_not_counted_since_their_midnight(ctx, world, queue,
                                                                        make_tenant):
    from jobs.dispatcher import dispatch_once

    cohort = enrol(world.a, world.b)
    make_tenant("35.74")                                   # enrolled nowhere
    values = dict(ideas=0, by_stage={}, milestones=0, late_milestones=0, units=0,
                  units_without_ideas=0, current_stage=None, last_activity_at=None)
    summaries.write(db.session, cohort_id=cohort.id, tenant_id=world.a.id, values=values,
                    counted_at=utcnow())
    summaries.write(db.session, cohort_id=cohort.id, tenant_id=world.b.id, values=values,
                    counted_at=utcnow() - timedelta(days=1))
    db.session.commit()
    assert summaries.due_for_recount(db.session) == [world.b.id]
    assert stale_summaries() == 1
    assert _ids(queue) == [f"t{world.b.id}-lab-summary"]
    # A lab never counted (just enrolled, its job lost) is due as well; a second round
    # does not queue what is already waiting.
    a, b = world.a.id, world.b.id
    db.session.execute(sa.delete(LabSummary).where(LabSummary.tenant_id == a))
    db.session.commit()
    counts = dispatch_once()
    assert counts["stale_summaries"] == 2
    assert sorted(_ids(queue)) == sorted([f"t{a}-lab-summary", f"t{b}-lab-summary"])


def test_a_bulk_update_in_a_lab_request_queues_the_recount_too(app, world, queue):
    """Statements that bypass the flush (UPDATE ... WHERE) count as writes as well; a
    platform write outside any lab does not, nor does a lab write rolled back."""
    from tenants.registry import Tenant
    from tenants.scope import tenant_scope

    ref, unit_id = world.a.ref(), world.unit_ids["a"]
    with app.test_request_context(f"/{ref.slug}/units/"):
        db.session.execute(sa.update(Tenant).where(Tenant.id == ref.id)
                           .values(admin_name="Dwi Hartono"))
        db.session.commit()
        db.session.close()
    assert _ids(queue) == []
    with app.test_request_context(f"/{ref.slug}/units/"), tenant_scope(ref) as session:
        session.execute(sa.update(Unit).values(short_name="PKM"))
        session.rollback()
    assert _ids(queue) == []
    with app.test_request_context(f"/{ref.slug}/units/"), tenant_scope(ref) as session:
        session.execute(sa.update(Unit).where(Unit.id == unit_id)
                        .values(short_name="PKM Kraksaan"))
        session.commit()
    assert _ids(queue) == [f"t{ref.id}-lab-summary"]
