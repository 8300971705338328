"""Prometheus metrics (prometheus_client), served at /metrics to the bearer of METRICS_TOKEN.

Two kinds:
- kept by each web process: request latency by endpoint and status. Under gunicorn's several
  processes, set PROMETHEUS_MULTIPROC_DIR to an empty directory for the web service (before
  it starts; `infra/gunicorn.conf.py` empties it at start and forgets exited workers), and
  every process writes its samples there; a scrape of any process adds them up.
- read at scrape time from the sources of truth, identical whichever process answers: jobs
  by queue and outcome (counted in Redis by every worker, `jobs.ops`), queue depth, running
  and failed jobs, tenants by state (the platform schema).

Labels are endpoints, statuses, queues, outcomes and states: never a tenant or a person, so
the number of series does not grow with the deployment.
"""

from __future__ import annotations

import logging
import os
import time

import sqlalchemy as sa
from flask import Flask, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from jobs import ops as job_ops
from tenants.config import settings_of
from tenants.db import db
from tenants.registry import Tenant, TenantStatus
from web.ops.endpoints import STARTED, _probe_redis

log = logging.getLogger(__name__)

# gunicorn makes (and empties) the directory; a `labinov` command that reads the same
# environment must not fail on a directory that is not there yet.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

REQUEST_SECONDS = Histogram(
    "labinov_http_request_duration_seconds",
    "Time from the request reaching the app to its response, by endpoint and status.",
    ["endpoint", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10))


def _observe(response):
    started = request.environ.get(STARTED)
    if started is not None:
        # Unmatched addresses share one label, so that scanners cannot add series.
        endpoint = request.url_rule.endpoint if request.url_rule is not None else "none"
        REQUEST_SECONDS.labels(endpoint, str(response.status_code)).observe(
            time.perf_counter() - started)
    return response


class SourcesCollector:
    """Metrics read at scrape time from Redis and the platform schema."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self):
        up = GaugeMetricFamily("labinov_source_up",
                               "Whether the scrape could read a source (1) or not (0).",
                               labels=["source"])
        with self.app.app_context():
            try:
                yield from self._jobs()
                up.add_metric(["redis"], 1)
            except Exception:
                log.warning("metrics: Redis could not be read", exc_info=True)
                up.add_metric(["redis"], 0)
            try:
                yield self._tenants()
                up.add_metric(["database"], 1)
            except Exception:
                log.warning("metrics: the database could not be read", exc_info=True)
                up.add_metric(["database"], 0)
            finally:
                db.session.remove()
        yield up

    def _jobs(self):
        connection = _probe_redis(settings_of(self.app).redis_url)
        states = job_ops.queue_states(connection)
        counts = job_ops.outcome_counts(connection)
        depth = GaugeMetricFamily("labinov_queue_depth", "Jobs waiting in a queue.",
                                  labels=["queue"])
        jobs = GaugeMetricFamily("labinov_jobs", "Jobs by queue and state right now.",
                                 labels=["queue", "state"])
        failed = GaugeMetricFamily("labinov_failed_jobs",
                                   "Jobs in a queue's failed registry (retries used up).",
                                   labels=["queue"])
        outcomes = CounterMetricFamily("labinov_jobs_finished",
                                       "Job runs by queue and outcome (succeeded, failed, "
                                       "retried), counted by the workers.",
                                       labels=["queue", "outcome"])
        for state in states:
            depth.add_metric([state.name], state.queued)
            failed.add_metric([state.name], state.failed)
            for name in ("queued", "running", "failed", "scheduled", "deferred"):
                jobs.add_metric([state.name, name], getattr(state, name))
            for outcome in (job_ops.SUCCEEDED, job_ops.FAILED, job_ops.RETRIED):
                outcomes.add_metric([state.name, outcome], counts.get((state.name, outcome), 0))
        return depth, jobs, failed, outcomes

    def _tenants(self):
        rows = dict(db.session.execute(
            sa.select(Tenant.status, sa.func.count()).group_by(Tenant.status)).all())
        family = GaugeMetricFamily("labinov_tenants", "Tenants by state.", labels=["state"])
        for status in TenantStatus:
            family.add_metric([str(status)], rows.get(status, 0))
        return family


def exposition(app: Flask) -> tuple[bytes, str]:
    """The text format: this process's (or, multi-process, every process's) metrics, then
    the ones read from the sources."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        local = generate_latest(registry)
    else:
        local = generate_latest(REGISTRY)
    sources = CollectorRegistry(auto_describe=False)
    sources.register(SourcesCollector(app))
    return local + generate_latest(sources), CONTENT_TYPE_LATEST


def init_app(app: Flask) -> None:
    app.after_request(_observe)


__all__ = ["exposition", "init_app"]
