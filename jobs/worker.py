"""The RQ worker: every job runs inside an application context of its own."""

from __future__ import annotations

import os

from flask import Flask
from rq import Worker
from rq.job import Job

import jobs
from jobs import ops
from tenants.app import create_core_app
from tenants.db import db

_app: Flask | None = None
_pid: int | None = None


def worker_app() -> Flask:
    global _app, _pid
    if _app is None:
        _app = create_core_app(import_name="jobs")
        jobs.init_app(_app)
        _pid = os.getpid()
    return _app


class AppJob(Job):
    def perform(self):
        app = worker_app()
        with app.app_context():
            if os.getpid() != _pid:  # a forked work horse must not share pooled connections
                db.engine.dispose(close=False)
            try:
                return super().perform()
            finally:
                db.session.remove()


class CountingWorker(Worker):
    """Counts each job's outcome by queue for /metrics (`jobs.ops`); a count that cannot be
    written is lost, never the job."""

    def handle_job_success(self, job, queue, *args, **kwargs):
        super().handle_job_success(job, queue, *args, **kwargs)
        self._count(queue.name, ops.SUCCEEDED)

    def handle_job_failure(self, job, queue, *args, **kwargs):
        outcome = ops.RETRIED if job.should_retry else ops.FAILED
        super().handle_job_failure(job, queue, *args, **kwargs)
        self._count(queue.name, outcome)

    def _count(self, queue: str, outcome: str) -> None:
        try:
            ops.count_outcome(self.connection, queue, outcome)
        except Exception:
            self.log.warning("could not count a job outcome", exc_info=True)


def run_worker(queues: list[str], redis_url: str, burst: bool = False) -> bool:
    from redis import Redis

    worker = CountingWorker(queues, connection=Redis.from_url(redis_url), job_class=AppJob)
    return worker.work(burst=burst, with_scheduler=True)
