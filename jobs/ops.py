"""What LAN's job monitor and /metrics read from RQ, and what the monitor may do.

Each job's tenant is read from what `jobs.tenant` writes on it: the job id `t<id>-...` or the
description `[tenant <id>] ...`. Outcomes are counted in one Redis hash by every worker, so
the counts hold across hosts and restarts (a Prometheus counter that any web process serves).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from redis import Redis
from rq import Queue
from rq.command import send_stop_job_command
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import (
    DeferredJobRegistry,
    FailedJobRegistry,
    ScheduledJobRegistry,
    StartedJobRegistry,
)

from jobs.queues import QUEUES, redis

OUTCOMES_KEY = "labinov:jobs:outcomes"  # hash "<queue>:<outcome>" -> count
SUCCEEDED, FAILED, RETRIED = "succeeded", "failed", "retried"
_TENANT_ID = re.compile(r"^t([0-9]+)-")
_TENANT_DESCRIPTION = re.compile(r"^\[tenant ([0-9]+)\]")
LISTED = 50  # jobs shown per list; the counts say how many there are


class JobGone(LookupError):
    """The job is not (or no longer) in a state the action applies to."""


def count_outcome(connection: Redis, queue: str, outcome: str) -> None:
    connection.hincrby(OUTCOMES_KEY, f"{queue}:{outcome}", 1)


def outcome_counts(connection: Redis) -> dict[tuple[str, str], int]:
    counts = {}
    for field, value in connection.hgetall(OUTCOMES_KEY).items():
        queue, _, outcome = field.decode().partition(":")
        counts[(queue, outcome)] = int(value)
    return counts


@dataclass(frozen=True)
class QueueState:
    name: str
    queued: int
    running: int
    failed: int
    scheduled: int
    deferred: int


def queue_states(connection: Redis | None = None) -> list[QueueState]:
    connection = connection or redis()
    states = []
    for name in QUEUES:
        queue = Queue(name, connection=connection)
        states.append(QueueState(
            name=name, queued=queue.count,
            running=StartedJobRegistry(name, connection=connection).count,
            failed=FailedJobRegistry(name, connection=connection).count,
            scheduled=ScheduledJobRegistry(name, connection=connection).count,
            deferred=DeferredJobRegistry(name, connection=connection).count))
    return states


@dataclass(frozen=True)
class JobView:
    id: str
    queue: str
    name: str
    tenant_id: int | None
    status: str
    enqueued_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    error: str | None  # the exception's last line
    traceback: str | None


def tenant_of(job: Job) -> int | None:
    match = _TENANT_ID.match(job.id) or _TENANT_DESCRIPTION.match(job.description or "")
    return int(match.group(1)) if match else None


def _view(job: Job) -> JobView:
    traceback = None
    if job.get_status(refresh=False) == JobStatus.FAILED:
        result = job.latest_result()
        traceback = (result.exc_string if result is not None else None) or None
    lines = [line for line in (traceback or "").strip().splitlines() if line.strip()]
    return JobView(id=job.id, queue=job.origin, name=job.func_name.rsplit(".", 1)[-1],
                   tenant_id=tenant_of(job), status=str(job.get_status(refresh=False)),
                   enqueued_at=job.enqueued_at, started_at=job.started_at,
                   ended_at=job.ended_at, error=lines[-1][:300] if lines else None,
                   traceback=traceback)


def _latest(job: Job) -> float:
    moment = job.ended_at or job.started_at or job.enqueued_at
    if moment is None:
        return 0.0
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _jobs(registry_class, connection: Redis) -> list[JobView]:
    ids = []
    for name in QUEUES:
        ids += registry_class(name, connection=connection).get_job_ids(0, LISTED - 1,
                                                                       desc=True)
    found = [job for job in Job.fetch_many(ids, connection=connection) if job is not None]
    found.sort(key=_latest, reverse=True)
    return [_view(job) for job in found[:LISTED]]


def running_jobs(connection: Redis | None = None) -> list[JobView]:
    return _jobs(StartedJobRegistry, connection or redis())


def failed_jobs(connection: Redis | None = None) -> list[JobView]:
    return _jobs(FailedJobRegistry, connection or redis())


def waiting_jobs(connection: Redis | None = None) -> list[JobView]:
    """Queued, scheduled (a retry's wait) and deferred jobs, newest first."""
    connection = connection or redis()
    ids = []
    for name in QUEUES:
        ids += Queue(name, connection=connection).get_job_ids(0, LISTED - 1)
        for registry_class in (ScheduledJobRegistry, DeferredJobRegistry):
            ids += registry_class(name, connection=connection).get_job_ids(0, LISTED - 1)
    found = [job for job in Job.fetch_many(ids, connection=connection) if job is not None]
    return [_view(job) for job in found[:LISTED]]


def _fetch(job_id: str, connection: Redis) -> Job:
    try:
        return Job.fetch(job_id, connection=connection)
    except NoSuchJobError as exc:
        raise JobGone(job_id) from exc


def retry(job_id: str, connection: Redis | None = None) -> Job:
    """Put a failed job back on its queue, from the start."""
    connection = connection or redis()
    job = _fetch(job_id, connection)
    registry = FailedJobRegistry(job.origin, connection=connection)
    if job_id not in registry.get_job_ids():
        raise JobGone(job_id)
    return registry.requeue(job)


def cancel(job_id: str, connection: Redis | None = None) -> str:
    """Stop a running job, or take a waiting one off its queue; returns what was done."""
    connection = connection or redis()
    job = _fetch(job_id, connection)
    status = job.get_status()
    if status == JobStatus.STARTED:
        try:
            send_stop_job_command(connection, job_id)
        except InvalidJobOperation as exc:
            raise JobGone(job_id) from exc
        return "stopped"
    if status in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED):
        job.cancel()
        return "canceled"
    raise JobGone(job_id)
