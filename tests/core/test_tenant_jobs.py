"""Jobs carry their tenant explicitly and run inside its scope, on a real RQ worker."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from redis import Redis
from rq import Queue, SimpleWorker
from rq.job import Job

import jobs.worker
from jobs.tenant import TenantNotAvailable, enqueue_for_tenant, tenant_job
from tenants import registry
from tenants.db import OutsideTenantScope, db
from tenants.registry import Tenant, TenantStatus
from tenants.scope import current_tenant, tenant_session
from tenants.units.models import Unit, UnitKind


@tenant_job
def rename_units(tenant_id: int, prefix: str) -> list[str]:
    assert current_tenant().id == tenant_id
    for unit in db.session.scalars(sa.select(Unit)):
        unit.name = f"{prefix} {unit.name}"
    db.session.commit()
    return sorted(db.session.scalars(sa.select(Unit.name)))


def count_units_without_tenant() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Unit))


@pytest.fixture
def worker(app, settings, monkeypatch, fresh_redis):
    """A real RQ worker in this process, running jobs in the app's context like `labinov worker`."""
    monkeypatch.setattr(jobs.worker, "_app", app)
    monkeypatch.setattr(jobs.worker, "_pid", os.getpid())
    connection = Redis.from_url(settings.redis_url)

    def work() -> None:
        SimpleWorker(["default"], connection=connection,
                     job_class=jobs.worker.AppJob).work(burst=True)

    return work


@pytest.fixture
def twins(make_tenant):
    """Two tenants whose units have the same ids and different names."""
    tenants = [make_tenant("35.13"), make_tenant("35.74")]
    for tenant, town in zip(tenants, ("Kraksaan", "Mayangan"), strict=True):
        with tenant_session(tenant.ref()) as session:
            session.add_all([Unit(name=f"Kecamatan {town}", kind=UnitKind.KECAMATAN),
                             Unit(name=f"Puskesmas {town}", kind=UnitKind.PUSKESMAS)])
            session.commit()
    return tenants


def names_in(tenant) -> list[str]:
    with tenant_session(tenant.ref()) as session:
        return sorted(session.scalars(sa.select(Unit.name)))


def test_a_job_touches_only_its_own_tenant(ctx, twins, worker):
    a, b = twins
    job = enqueue_for_tenant(rename_units, a.id, "Inovasi", retry=None)
    worker()
    job.refresh()
    assert job.is_finished, job.latest_result().exc_string
    assert job.return_value() == ["Inovasi Kecamatan Kraksaan", "Inovasi Puskesmas Kraksaan"]
    assert names_in(a) == ["Inovasi Kecamatan Kraksaan", "Inovasi Puskesmas Kraksaan"]
    assert names_in(b) == ["Kecamatan Mayangan", "Puskesmas Mayangan"]
    assert job.description.startswith(f"[tenant {a.id}]")


def test_a_job_for_a_suspended_tenant_fails_without_touching_it(ctx, twins, worker):
    a, _b = twins
    registry.transition(db.session.get(Tenant, a.id), TenantStatus.SUSPENDED)
    db.session.commit()
    job = enqueue_for_tenant(rename_units, a.id, "Inovasi", retry=None)
    worker()
    job.refresh()
    assert job.is_failed
    assert TenantNotAvailable.__name__ in job.latest_result().exc_string
    assert names_in(a) == ["Kecamatan Kraksaan", "Puskesmas Kraksaan"]


def test_a_job_without_a_tenant_cannot_reach_tenant_tables(ctx, twins, worker, settings):
    job = Queue("default", connection=Redis.from_url(settings.redis_url)).enqueue(
        count_units_without_tenant)
    worker()
    job.refresh()
    assert job.is_failed
    assert OutsideTenantScope.__name__ in job.latest_result().exc_string


def test_keyed_jobs_are_not_queued_twice_and_plain_functions_are_refused(ctx, twins, worker,
                                                                         settings):
    a, _b = twins
    first = enqueue_for_tenant(rename_units, a.id, "Inovasi", job_key="rename")
    again = enqueue_for_tenant(rename_units, a.id, "Inovasi", job_key="rename")
    assert first.id == again.id == f"t{a.id}-rename"
    assert Queue("default", connection=Redis.from_url(settings.redis_url)).count == 1
    with pytest.raises(TypeError):
        enqueue_for_tenant(count_units_without_tenant, a.id)
    worker()
    assert Job.fetch(first.id, connection=Redis.from_url(settings.redis_url)).is_finished
    assert names_in(a) == ["Inovasi Kecamatan Kraksaan", "Inovasi Puskesmas Kraksaan"]
