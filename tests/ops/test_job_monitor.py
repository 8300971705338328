"""LAN's job monitor: queues, running, waiting and failed jobs with their tenant and error;
retry and cancel; LAN administrators only (the rest is in tests/test_role_matrix.py)."""

from __future__ import annotations

import subprocess
import time

import pytest
from redis import Redis
from rq import Queue
from rq.job import Job, JobStatus

from fixtures.app import sign_in, text_of
from fixtures.services import LABINOV, ROOT, WorkerProcess
from jobs import ops
from jobs.tenant import tenant_job_id

SAMPLE = "tests.ops.sample_jobs"


@pytest.fixture
def connection(settings, fresh_redis):
    return Redis.from_url(settings.redis_url)


@pytest.fixture
def worker_env(service_env):
    return {**service_env, "PYTHONPATH": str(ROOT)}


def _burst(env, *queues):
    result = subprocess.run([str(LABINOV), "worker", "--burst", *queues], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_failed_jobs_show_their_lab_and_error_and_can_be_retried(client, world, connection,
                                                                worker_env):
    default = Queue("default", connection=connection)
    default.enqueue(f"{SAMPLE}.fail", "SMTP relay refused the message",
                    job_id=tenant_job_id(world.a.id, "sample-mail"),
                    description=f"[tenant {world.a.id}] fail")
    default.enqueue(f"{SAMPLE}.fail", "no lab here", job_id="platform-sample")
    _burst(worker_env, "default")
    sign_in(client, world.users["lan_admin"])
    page = client.get("/lan/jobs/")
    assert page.status_code == 200
    text = text_of(page)
    assert "SMTP relay refused the message" in text and "Kabupaten Probolinggo" in text
    assert "no lab here" in text and "Kabupaten Tuban" not in text
    job_id = tenant_job_id(world.a.id, "sample-mail")
    retried = client.post(f"/lan/jobs/{job_id}/retry", follow_redirects=True)
    assert "will run again" in text_of(retried) or "dijalankan lagi" in text_of(retried)
    assert Job.fetch(job_id, connection=connection).get_status() == JobStatus.QUEUED
    # Retried once: a second retry of the same job finds it no longer failed.
    again = client.post(f"/lan/jobs/{job_id}/retry", follow_redirects=True)
    assert Job.fetch(job_id, connection=connection).get_status() == JobStatus.QUEUED
    assert again.status_code == 200
    assert [s.queued for s in ops.queue_states(connection) if s.name == "default"] == [1]


def test_a_waiting_job_is_canceled_and_a_running_one_stopped(client, world, connection,
                                                            worker_env, tmp_path):
    mail = Queue("mail", connection=connection)
    waiting = mail.enqueue(f"{SAMPLE}.succeed", job_id=tenant_job_id(world.b.id, "waits"))
    sign_in(client, world.users["lan_admin"])
    assert "Kabupaten Tuban" in text_of(client.get("/lan/jobs/"))
    assert client.post(f"/lan/jobs/{waiting.id}/cancel").status_code == 302
    assert waiting.get_status() == JobStatus.CANCELED
    assert mail.count == 0

    # A running job: a real worker is asked to stop it.
    long = Queue("default", connection=connection).enqueue(f"{SAMPLE}.sleep", 60,
                                                          job_id="platform-long")
    worker = WorkerProcess(worker_env, tmp_path / "worker.log")
    try:
        deadline = time.monotonic() + 30
        while long.get_status() != JobStatus.STARTED and time.monotonic() < deadline:
            worker.check()
            time.sleep(0.1)
        assert long.get_status() == JobStatus.STARTED
        assert "sleep" in text_of(client.get("/lan/jobs/"))
        assert client.post(f"/lan/jobs/{long.id}/cancel").status_code == 302
        deadline = time.monotonic() + 30
        while long.get_status() == JobStatus.STARTED and time.monotonic() < deadline:
            time.sleep(0.1)
        assert long.get_status() == JobStatus.STOPPED
    finally:
        worker.stop()


def test_unknown_jobs_change_nothing(client, world, connection):
    sign_in(client, world.users["lan_admin"])
    for action in ("retry", "cancel"):
        response = client.post(f"/lan/jobs/t{world.b.id}-nothing/{action}",
                               follow_redirects=True)
        assert response.status_code == 200
        assert "nothing was changed" in text_of(response) or "tidak ada yang diubah" in (
            text_of(response))


def test_the_monitor_says_when_redis_does_not_answer(settings, world):
    from dataclasses import replace

    from fixtures.app import PASSWORD
    from fixtures.services import free_port
    from web import create_app

    app = create_app(replace(settings, redis_url=f"redis://127.0.0.1:{free_port()}/0"))
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    browser = app.test_client()
    signed = browser.post("/auth/sign-in", data={"email": world.users["lan_admin"].email,
                                                 "password": PASSWORD})
    assert signed.status_code in (302, 429, 503)
    if signed.status_code != 302:
        pytest.skip("sign-in needs Redis for its rate limit")
    page = browser.get("/lan/jobs/")
    assert page.status_code == 503 and "Redis" in text_of(page)


def test_only_lan_administrators_see_the_monitor(client, world):
    for role in ("coach_a", "bappeda_a", "lan_coach"):
        browser = client.application.test_client()
        sign_in(browser, world.users[role])
        assert browser.get("/lan/jobs/").status_code == 403
    assert client.get("/lan/jobs/").status_code == 302  # to the sign-in page
