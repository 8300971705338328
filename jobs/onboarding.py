"""Activating an onboarded tenant in the background.

A LAN administrator's "activate" moves the tenant to `provisioning` and enqueues
`activate_tenant`. The job, in one transaction, provisions the tenant's schema, marks the
tenant active and invites the Bappeda administrator in their language; if anything fails,
nothing of it stays (PostgreSQL DDL is transactional) and RQ retries. The ledger row
`tenant:<id>:activation` keeps the attempts and the last error, so the tenant's page shows
a failure after the last try instead of waiting forever. If Redis loses the job, the
dispatcher finds the tenant still `provisioning` and enqueues it again.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from redis.exceptions import RedisError
from rq import Retry, get_current_job
from rq.job import Job

from jobs import queues
from jobs.queues import DEFAULT, RETRY
from jobs.tenant import tenant_job_id
from tenants.accounts.models import Role
from tenants.accounts.operations import invite
from tenants.db import db
from tenants.onboarding.operations import complete_activation, reset_activation
from tenants.onboarding.queries import activation_entry
from tenants.outbox import LedgerEntry
from tenants.registry import Tenant, TenantEvent, TenantStatus

log = logging.getLogger(__name__)


def job_id(tenant_id: int) -> str:
    return tenant_job_id(tenant_id, "activate")  # RQ ids allow letters, digits, "_", "-"


def pending_job(tenant_id: int) -> Job | None:
    return queues.pending_job(job_id(tenant_id))


def enqueue_activation(tenant_id: int, requested_by_id: int | None,
                       retry: Retry | None = RETRY) -> Job:
    """Queue the activation job unless one is already waiting or running for the tenant."""
    return queues.enqueue_once(
        DEFAULT, activate_tenant, args=(tenant_id, requested_by_id), job_id=job_id(tenant_id),
        retry=retry, timeout=300, result_ttl=24 * 3600, failure_ttl=7 * 24 * 3600,
        description=f"[tenant {tenant_id}] activate")


def activate_tenant(tenant_id: int, requested_by_id: int | None) -> str:
    """Provision the schema, activate the tenant, invite its Bappeda administrator.

    A platform job with the tenant first and a tenant-keyed id, but not a `tenant_job`:
    the tenant is not active until it commits. Its one write into the new schema (the
    lab's first log row) goes with the platform transaction (`record_lab_in`)."""
    try:
        # The row lock makes a second copy of this job wait, then find the tenant active.
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.id == tenant_id)
                                   .with_for_update(of=Tenant))
        if tenant is None or tenant.status != TenantStatus.PROVISIONING:
            db.session.rollback()
            return f"nothing to do: tenant {tenant_id} is {tenant.status if tenant else 'gone'}"
        complete_activation(db.session, tenant, requested_by_id=requested_by_id)
        invite(email=tenant.admin_email, name=tenant.admin_name or tenant.admin_email,
               role=Role.BAPPEDA_ADMIN, tenant_id=tenant.id,
               locale=tenant.admin_locale or tenant.default_locale,
               invited_by_id=requested_by_id)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        _record_failure(tenant_id, exc)
        raise
    log.info("tenant %s active; invitation for its Bappeda administrator queued", tenant_id)
    return "active"


def _record_failure(tenant_id: int, exc: Exception) -> None:
    job = get_current_job()
    last_try = job is None or not job.should_retry
    try:
        entry = activation_entry(db.session, tenant_id) or reset_activation(db.session,
                                                                              tenant_id)
        entry.attempts += 1
        entry.error = f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:1000]
        entry.status = LedgerEntry.FAILED if last_try else LedgerEntry.CLAIMED
        db.session.commit()
    except Exception:  # the database itself may be what failed
        db.session.rollback()
        log.exception("could not record the activation failure of tenant %s", tenant_id)


def requested_by(tenant_id: int) -> int | None:
    """Who asked for the activation: the actor of the latest move to provisioning."""
    return db.session.scalar(
        sa.select(TenantEvent.actor_id).where(
            TenantEvent.tenant_id == tenant_id,
            TenantEvent.to_status == TenantStatus.PROVISIONING)
        .order_by(TenantEvent.at.desc(), TenantEvent.id.desc()).limit(1))


def resume_activations() -> int:
    """Re-enqueue tenants left in `provisioning` with no job waiting or running.

    One whose last try failed waits for a person to press "retry" on its page.
    """
    failed = sa.select(LedgerEntry.tenant_id).where(
        LedgerEntry.key.like("tenant:%:activation"), LedgerEntry.status == LedgerEntry.FAILED,
        LedgerEntry.tenant_id.is_not(None))
    ids = db.session.scalars(sa.select(Tenant.id).where(
        Tenant.status == TenantStatus.PROVISIONING, Tenant.id.not_in(failed))
        .order_by(Tenant.id)).all()
    enqueued = 0
    for tenant_id in ids:
        try:
            if pending_job(tenant_id) is None:
                enqueue_activation(tenant_id, requested_by(tenant_id))
                enqueued += 1
        except RedisError:
            log.exception("could not enqueue the activation of tenant %s", tenant_id)
    db.session.rollback()
    return enqueued
