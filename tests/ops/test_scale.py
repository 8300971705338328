"""Horizontal scale: two web processes (gunicorn) and three workers on one Redis and one
database, started here as real processes: a walk-through that alternates between the web
processes, and a batch of jobs (invitation emails) that comes out exactly once each, with
two dispatchers racing over the same round."""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import sqlalchemy as sa

from fixtures.app import PASSWORD
from fixtures.services import LABINOV, ROOT, WorkerProcess, free_port, wait_for_port
from ops.browsing import Browser
from tenants.db import db
from tenants.outbox import LedgerEntry

GUNICORN = Path(LABINOV).with_name("gunicorn")
INVITES = 20


def test_two_web_processes_and_three_workers_neither_double_nor_lose(
        service_env, world, mailbox, fresh_redis, settings, tmp_path):
    webs, workers = [], []
    stack = ExitStack()
    try:
        bases = []
        for _ in range(2):
            port = free_port()
            log = stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115
            env = {**service_env, "HOST": "127.0.0.1", "PORT": str(port), "WEB_WORKERS": "1",
                   "BASE_URL": f"http://127.0.0.1:{port}"}
            webs.append(subprocess.Popen([str(GUNICORN), "--config", "infra/gunicorn.conf.py",
                                          "web:create_app()"], env=env, cwd=ROOT, stdout=log,
                                         stderr=subprocess.STDOUT))
            bases.append(f"http://127.0.0.1:{port}")
        workers = [WorkerProcess(service_env, tmp_path / f"worker-{n}.log") for n in range(3)]
        for port in (int(b.rsplit(":", 1)[1]) for b in bases):
            wait_for_port(port, 30)
        for worker in workers:
            worker.wait_registered(settings.redis_url)

        # The walk-through: signed in on one process, carried on by the other.
        browser = Browser(bases[0])
        browser.get("/auth/sign-in")
        status, page = browser.post("/auth/sign-in", {
            "email": world.users["bappeda_a"].email, "password": PASSWORD})
        assert status == 200 and world.a.name in page
        slug = world.a.slug
        for n in range(INVITES):
            browser.base = bases[n % 2]
            status, _ = browser.get(f"/{slug}/people/")
            assert status == 200
            status, page = browser.post(f"/{slug}/people/invite", {
                "invite-email": f"staf-{n:02d}@bappeda.example", "invite-name": f"Staf {n:02d}",
                "invite-role": "bappeda_admin", "invite-locale": "id"})
            assert status == 200 and f"staf-{n:02d}@bappeda.example" in page

        # Two dispatchers over the same round, while the workers send.
        racing = [subprocess.Popen([str(LABINOV), "dispatch"], env=service_env, cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                  for _ in range(2)]
        for proc in racing:
            assert proc.wait(timeout=60) == 0
        mailbox.wait_for(INVITES, timeout=90)
        time.sleep(3)  # anything doubled would arrive by now
        sent = Counter(rcpt for m in mailbox.messages for rcpt in m.rcpt_tos)
        assert sent == Counter({f"staf-{n:02d}@bappeda.example": 1 for n in range(INVITES)})
        db.session.expire_all()
        pending = db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry)
                                    .where(LedgerEntry.done_at.is_(None)))
        assert pending == 0
        for worker in workers:
            worker.check()
    finally:
        for worker in workers:
            worker.stop()
        for web in webs:
            web.terminate()
            web.wait(timeout=15)
        stack.close()
