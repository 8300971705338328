"""The RQ worker: every job runs inside an application context of its own."""

from __future__ import annotations

import os

from flask import Flask
from rq import SimpleWorker, Worker
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


def warm(app: Flask) -> None:
    """Configure the ORM's mappers, compile the mail templates and read the catalogs once,
    in the worker itself, so that each forked work horse inherits them instead of doing it
    again for every job."""
    from flask_babel import force_locale, get_translations
    from sqlalchemy.orm import configure_mappers

    import tenants.models  # noqa: F401 - every mapper, configured before the fork
    from tenants.config import LOCALES

    configure_mappers()
    with app.test_request_context():
        for name in app.jinja_env.list_templates(filter_func=lambda n: n.startswith("mail/")):
            app.jinja_env.get_template(name)
        for locale in LOCALES:
            with force_locale(locale):
                get_translations()


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


class _Counting:
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


class CountingWorker(_Counting, Worker):
    """RQ's worker: each job in a forked work horse."""


class CountingSimpleWorker(_Counting, SimpleWorker):
    """Each job in the worker's own process (see run_worker)."""


def run_worker(queues: list[str], redis_url: str, burst: bool = False,
               fork: bool = True) -> bool:
    """`fork=False` runs each job in the worker's own process (RQ's SimpleWorker): no fork
    per job, the app, its connection pool and compiled statements kept warm; for queues of
    short jobs such as mail, several times the throughput (a crash takes the worker with
    it, and the process manager starts it again)."""
    from redis import Redis

    warm(worker_app())  # built once here, so that each forked work horse inherits it
    kind = CountingWorker if fork else CountingSimpleWorker
    worker = kind(queues, connection=Redis.from_url(redis_url), job_class=AppJob)
    return worker.work(burst=burst, with_scheduler=True)
