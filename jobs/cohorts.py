"""Keeping LAN's cohort dashboard current: a lab's summary is recounted by a tenant job.

A lab request that wrote queues it after its commit (`web.cohorts.freshness`), an
enrolment queues it for the new lab, and the dispatcher queues it once a day for every
enrolled lab after its local midnight (a milestone turns late, a stage begins, without
anyone writing). The job id is keyed by the tenant, so a burst of writes makes one job; a
write that arrives while that job is already counting queues one more after it.
"""

from __future__ import annotations

import logging

from redis.exceptions import RedisError
from rq.job import Job, JobStatus

from jobs.queues import pending_job
from jobs.tenant import enqueue_for_tenant, tenant_job, tenant_job_id
from tenants.cohorts.summaries import due_for_recount
from tenants.db import db
from tenants.lab.summary import refresh_lab

log = logging.getLogger(__name__)

# Two ids take turns: a job waiting in the queue will see every write committed before it
# starts; a write that lands while one is running needs the other one after it.
SLOTS = ("lab-summary", "lab-summary-next")


@tenant_job
def refresh_lab_summary(tenant_id: int) -> int:
    """Recount the lab for every cohort it is enrolled in; returns how many rows it wrote."""
    return len(refresh_lab(db.session))


def enqueue_refresh(tenant_id: int) -> Job:
    """Queue the lab's recount unless one is already waiting (not yet running) for it."""
    jobs = {slot: pending_job(tenant_job_id(tenant_id, slot)) for slot in SLOTS}
    for job in jobs.values():
        if job is not None and job.get_status(refresh=False) != JobStatus.STARTED:
            return job  # still waiting: it will count this write too
    free = next((slot for slot, job in jobs.items() if job is None), None)
    if free is None:
        # Both running (two overlapping bursts): the daily round recounts what they missed.
        return jobs[SLOTS[-1]]
    return enqueue_for_tenant(refresh_lab_summary, tenant_id, job_key=free, result_ttl=600,
                              failure_ttl=7 * 24 * 3600)


def enqueue_refresh_quietly(tenant_id: int) -> None:
    """`enqueue_refresh` where the caller's work is already committed: Redis being away
    must not fail it (the dispatcher's daily round recounts the lab)."""
    try:
        enqueue_refresh(tenant_id)
    except RedisError:
        log.exception("could not queue the summary recount of tenant %s", tenant_id)


def stale_summaries() -> int:
    """Finder: queue the recount of every enrolled lab not counted since its midnight."""
    ids = due_for_recount(db.session)
    db.session.rollback()
    enqueued = 0
    for tenant_id in ids:
        try:
            enqueue_refresh(tenant_id)
            enqueued += 1
        except RedisError:
            log.exception("could not queue the summary recount of tenant %s", tenant_id)
    return enqueued
