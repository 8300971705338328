"""Redis connection and queues. Redis only carries work; the database is the source of truth."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import lru_cache

from flask import current_app
from redis import Redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from tenants.config import settings_of

DEFAULT = "default"
MAIL = "mail"
QUEUES = (DEFAULT, MAIL)

# Transient failures (SMTP down, storage blip) are retried before a job is reported failed.
RETRY = Retry(max=3, interval=[10, 60, 300])


@lru_cache(maxsize=4)
def _redis(url: str) -> Redis:
    return Redis.from_url(url)


def redis() -> Redis:
    return _redis(settings_of(current_app).redis_url)


def queue(name: str = DEFAULT) -> Queue:
    return Queue(name, connection=redis())


# A job in one of these states will still run; another copy must not be queued beside it.
PENDING = (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED)


def pending_job(job_id: str) -> Job | None:
    try:
        job = Job.fetch(job_id, connection=redis())
    except NoSuchJobError:
        return None
    return job if job.get_status(refresh=False) in PENDING else None


def enqueue_once(queue_name: str, func: Callable, *, args: tuple, job_id: str,
                 **options) -> Job:
    """Queue `func(*args)` as `job_id` unless a copy is already waiting or running.

    Job ids are derived from what the job does, so the dispatcher and the web tier can both
    ask for the same work without doubling it.
    """
    job = pending_job(job_id)
    if job is not None:
        return job
    # A finished or failed run of the same id would otherwise linger in its registry.
    with contextlib.suppress(NoSuchJobError):
        Job.fetch(job_id, connection=redis()).delete()
    return queue(queue_name).enqueue_call(func, args=args, job_id=job_id, **options)
