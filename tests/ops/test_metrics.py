"""/metrics: Prometheus text for the bearer of METRICS_TOKEN only; requests by endpoint and
status, jobs by queue and outcome, queue depth, failed jobs, tenants by state; no label per
tenant or person; summed over gunicorn's worker processes in multi-process mode."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue, Retry

from fixtures.services import LABINOV, ROOT, free_port
from tenants.db import db
from web import create_app

TOKEN = "metrics-" + "x" * 32
GUNICORN = Path(LABINOV).with_name("gunicorn")


@pytest.fixture
def metrics_app(settings, ctx):
    app = create_app(replace(settings, metrics_token=TOKEN))
    app.config.update(TESTING=True)
    return app


def scrape(client, token=TOKEN):
    return client.get("/metrics", headers={"Authorization": f"Bearer {token}"})


def sample(text: str, name: str, **labels) -> float | None:
    """The value of one series in the text format (labels in any order)."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
        if found == {k: str(v) for k, v in labels.items()}:
            return float(line.rsplit(" ", 1)[1])
    return None


def test_metrics_are_not_there_without_the_token(metrics_app, settings, ctx):
    client = metrics_app.test_client()
    assert client.get("/metrics").status_code == 404
    assert scrape(client, "wrong-" + "x" * 32).status_code == 404
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 404
    # Without a configured token there is no /metrics at all, even for an empty bearer.
    unset = create_app(settings).test_client()
    assert unset.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


def test_requests_tenants_and_queues_are_counted_without_tenant_labels(
        metrics_app, make_tenant, fresh_redis, settings):
    make_tenant("35.13")
    suspended = make_tenant("35.23")
    suspended.status = "suspended"
    db.session.commit()
    client = metrics_app.test_client()
    before = sample(scrape(client).get_data(as_text=True),
                    "labinov_http_request_duration_seconds_count",
                    endpoint="public.index", status="200") or 0
    for _ in range(3):
        assert client.get("/").status_code == 200
    client.get("/kab-probolinggo/")  # a tenant page (sign-in redirect): endpoint, not slug
    client.get("/no/such/page")
    Queue("mail", connection=Redis.from_url(settings.redis_url)).enqueue(
        "tests.ops.sample_jobs.succeed")
    response = scrape(client)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    text = response.get_data(as_text=True)
    assert sample(text, "labinov_http_request_duration_seconds_count",
                  endpoint="public.index", status="200") == before + 3
    assert sample(text, "labinov_http_request_duration_seconds_count",
                  endpoint="lab.home", status="302") >= 1
    assert sample(text, "labinov_http_request_duration_seconds_count",
                  endpoint="none", status="404") >= 1
    assert sample(text, "labinov_tenants", state="active") == 1
    assert sample(text, "labinov_tenants", state="suspended") == 1
    assert sample(text, "labinov_queue_depth", queue="mail") == 1
    assert sample(text, "labinov_queue_depth", queue="default") == 0
    assert sample(text, "labinov_source_up", source="redis") == 1
    assert sample(text, "labinov_source_up", source="database") == 1
    # Never a label per tenant or per person.
    labels = set(re.findall(r'[{,](\w+)="', text))
    assert labels <= {"endpoint", "status", "queue", "state", "outcome", "source", "le",
                      "generation", "implementation", "major", "minor", "patchlevel",
                      "version"}  # the last ones: prometheus_client's Python collectors
    assert "kab-probolinggo" not in text and "t_3513" not in text


def test_job_outcomes_are_counted_by_real_workers(metrics_app, settings, fresh_redis,
                                                 service_env):
    connection = Redis.from_url(settings.redis_url)
    default = Queue("default", connection=connection)
    for _ in range(2):
        default.enqueue("tests.ops.sample_jobs.succeed")
    default.enqueue("tests.ops.sample_jobs.fail")
    default.enqueue("tests.ops.sample_jobs.fail", retry=Retry(max=1))  # retried at once
    env = {**service_env, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([str(LABINOV), "worker", "--burst", "default"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    text = scrape(metrics_app.test_client()).get_data(as_text=True)

    def outcome(name):
        return sample(text, "labinov_jobs_finished_total", queue="default", outcome=name)

    assert (outcome("succeeded"), outcome("failed"), outcome("retried")) == (2, 2, 1)
    assert sample(text, "labinov_failed_jobs", queue="default") == 2
    assert sample(text, "labinov_jobs", queue="default", state="failed") == 2


def test_metrics_say_when_redis_cannot_be_read(settings, ctx):
    app = create_app(replace(settings, metrics_token=TOKEN,
                             redis_url=f"redis://127.0.0.1:{free_port()}/0"))
    text = scrape(app.test_client()).get_data(as_text=True)
    assert sample(text, "labinov_source_up", source="redis") == 0
    assert sample(text, "labinov_source_up", source="database") == 1
    assert sample(text, "labinov_queue_depth", queue="default") is None


def _wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start")


def test_gunicorn_workers_add_up_in_multiprocess_mode(service_env, ctx):
    """The Procfile's gunicorn with two workers and PROMETHEUS_MULTIPROC_DIR: a scrape,
    whichever worker answers it, counts the requests every worker served."""
    port = free_port()
    directory = Path(tempfile.mkdtemp(prefix="labinov-metrics-"))
    (directory / "stale.db").write_bytes(b"left over from a previous run")
    env = {**service_env, "HOST": "127.0.0.1", "PORT": str(port), "WEB_WORKERS": "2",
           "METRICS_TOKEN": TOKEN, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    proc = subprocess.Popen([str(GUNICORN), "--config", "infra/gunicorn.conf.py",
                             "web:create_app()"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port)
        base = f"http://127.0.0.1:{port}"
        for _ in range(40):  # a new connection each: the two workers share them out
            with urllib.request.urlopen(f"{base}/", timeout=10) as response:
                assert response.status == 200
        pids = {p.name.split("_")[-1] for p in directory.glob("*.db")}
        assert len(pids) >= 2, sorted(p.name for p in directory.iterdir())
        assert not (directory / "stale.db").exists()  # emptied at start
        counts = set()
        for _ in range(6):
            request = urllib.request.Request(f"{base}/metrics",
                                             headers={"Authorization": f"Bearer {TOKEN}"})
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read().decode()
            counts.add(sample(text, "labinov_http_request_duration_seconds_count",
                              endpoint="public.index", status="200"))
        assert counts == {40.0}
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        for entry in directory.glob("*"):
            entry.unlink()
        os.rmdir(directory)
