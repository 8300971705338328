"""Reminders benchmark: the dispatcher over 514 tenants with 100,000 due items, and one
worker's send rate to a local SMTP server.

    .venv/bin/python bench/reminders.py [--tenants N] [--items N] [--emails N]

Creates the database `labinov_bench_reminders` on the server named by DATABASE_URL (default
127.0.0.1:5432, user postgres), starts a private redis-server and an aiosmtpd server that
counts what it receives, provisions one tenant per regency, fills each with action-plan
milestones due so that one of the default offsets (7, 3, 1 days before, the day, 3 days
overdue) falls today, owned by 20 people each; then times

  - the dispatcher's finder (`jobs.reminders.due_reminders`): claim every reminder in each
    tenant's ledger and enqueue one digest job per person, and a second round (nothing new);
  - one `labinov worker --burst mail` sending --emails digests, one email each, forking a
    work horse per job (RQ's default), then the same with `--no-fork`.

Prints each figure beside its target and drops the database at the end.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from rq.job import Job
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobs import init_app as init_jobs  # noqa: E402
from jobs.queues import MAIL, queue  # noqa: E402
from jobs.reminders import due_reminders  # noqa: E402
from tenants.app import create_core_app  # noqa: E402
from tenants.config import Settings  # noqa: E402
from tenants.db import db  # noqa: E402
from tenants.lab.models import Idea, Milestone  # noqa: E402
from tenants.migrate import upgrade_platform  # noqa: E402
from tenants.onboarding.operations import create_active  # noqa: E402
from tenants.regions.models import Regency  # noqa: E402
from tenants.regions.operations import load_regions  # noqa: E402
from tenants.registry import Tenant  # noqa: E402
from tenants.reminders.models import DEFAULT_OFFSETS  # noqa: E402
from tenants.scope import tenant_session  # noqa: E402
from tenants.units.models import Person, Unit  # noqa: E402

DATABASE = "labinov_bench_reminders"
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PEOPLE = 20  # owners per tenant: one digest each


class Report:
    def __init__(self):
        self.rows: list[tuple[str, str, str, bool | None]] = []
        self.figures: list[str] = []

    def add(self, figure: str, value: str, target: str = "", ok: bool | None = None):
        self.rows.append((figure, value, target, ok))
        print(f"  {figure}: {value}" + (f"  (target {target})" if target else ""), flush=True)

    def figure(self, name: str, value: float, unit: str, target: str) -> None:
        self.figures.append(f"figure: {name} {value:.2f} {unit} (target {target})")

    def print(self) -> bool:
        width = max(len(r[0]) for r in self.rows)
        vwidth = max(len(r[1]) for r in self.rows)
        twidth = max(len(r[2]) for r in self.rows)
        print()
        print(f"{'figure':<{width}}  {'measured':>{vwidth}}  {'target':<{twidth}}  result")
        print("-" * (width + vwidth + twidth + 12))
        for figure, value, target, ok in self.rows:
            verdict = "" if ok is None else ("pass" if ok else "FAIL")
            print(f"{figure:<{width}}  {value:>{vwidth}}  {target:<{twidth}}  {verdict}")
        print()
        for line in self.figures:
            print(line)
        return all(ok is not False for *_, ok in self.rows)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


class Counter:
    """An aiosmtpd handler that only counts."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.count, self.first, self.last = 0, None, None

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            self.last = time.perf_counter()
            self.first = self.first or self.last
        return "250 OK"


def fill(tenant: Tenant, items: int, today) -> None:
    """`items` open milestones due on the days the default offsets make due today."""
    offsets = list(DEFAULT_OFFSETS)
    with tenant_session(tenant.ref()) as session:
        unit = Unit(name="Dinas Kesehatan", kind="opd")
        session.add(unit)
        session.flush()
        idea = Idea(cohort_id=1, unit_id=unit.id, title="Inovasi Layanan Online Aja",
                    acronym="Inol Aja")
        session.add(idea)
        session.flush()
        people = [Person(unit_id=unit.id, name=f"Pemilik {n}",
                         email=f"pemilik{n}@{tenant.slug}.example") for n in range(PEOPLE)]
        session.add_all(people)
        session.flush()
        session.execute(sa.insert(Milestone), [
            {"idea_id": idea.id, "position": n, "title": f"Tahap {n}",
             "owner_id": people[n % PEOPLE].id, "status": "planned",
             "due_on": today + timedelta(days=offsets[n % len(offsets)])}
            for n in range(items)])
        session.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tenants", type=int, default=514)
    parser.add_argument("--items", type=int, default=100_000, help="due items in all")
    parser.add_argument("--emails", type=int, default=2000, help="digests the worker sends")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    server = make_url(os.environ.get("DATABASE_URL") or DEFAULT_SERVER)
    if server.drivername in ("postgres", "postgresql"):
        server = server.set(drivername="postgresql+psycopg")
    url = server.set(database=DATABASE)
    database_url = url.render_as_string(hide_password=False)
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{DATABASE}"')

    workdir = Path(tempfile.mkdtemp(prefix="labinov-bench-"))
    redis_port = free_port()
    redis = subprocess.Popen([shutil.which("redis-server"), "--port", str(redis_port),
                              "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                              "--dir", str(workdir)], stdout=subprocess.DEVNULL)
    wait_for_port(redis_port)
    from aiosmtpd.controller import Controller

    counter = Counter()
    smtp_port = free_port()
    smtp = Controller(counter, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    settings = Settings(database_url=database_url, redis_url=f"redis://127.0.0.1:{redis_port}/0",
                        smtp_url=f"smtp://127.0.0.1:{smtp_port}", secret_key="bench-" * 8)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    report = Report()
    try:
        app = create_core_app(settings)
        init_jobs(app)
        with app.app_context():
            upgrade_platform(db.engine)
            load_regions(db.session)
            db.session.commit()
            codes = list(db.session.scalars(sa.select(Regency.code).order_by(Regency.code)))
            codes = codes[:args.tenants]
            # 03:00 UTC: 10:00 WIB, 11:00 WITA, 12:00 WIT, the same date everywhere and past
            # the default send hour (07:00) in every zone.
            now = datetime.now(UTC).replace(hour=3, minute=0, second=0, microsecond=0)
            today = now.date()
            print(f"creating {len(codes)} tenants with {args.items} due items ...", flush=True)
            started = time.perf_counter()
            per = [args.items // len(codes) + (1 if n < args.items % len(codes) else 0)
                   for n in range(len(codes))]
            for code, items in zip(codes, per, strict=True):
                tenant = create_active(db.session, code)
                db.session.commit()
                fill(tenant, items, today)
            print(f"  set up in {time.perf_counter() - started:.0f} s", flush=True)

            started = time.perf_counter()
            enqueued = due_reminders(now)
            first = time.perf_counter() - started
            claimed = 0
            for tenant in db.session.scalars(sa.select(Tenant)).all():
                with tenant_session(tenant.ref()) as s:
                    claimed += s.scalar(sa.text("SELECT count(*) FROM reminder_delivery"))
            report.add(f"dispatch over {len(codes)} tenants: {claimed} reminders claimed, "
                       f"{enqueued} digest jobs queued", f"{first:.1f} s", "< 60 s", first < 60)
            report.figure("dispatch_514_tenants_100k_items", first, "s", "< 60")
            started = time.perf_counter()
            again = due_reminders(now)
            second = time.perf_counter() - started
            report.add(f"  the next round (nothing new; {again} queued)", f"{second:.1f} s")

        env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": settings.redis_url,
               "SMTP_URL": settings.smtp_url, "SECRET_KEY": settings.secret_key,
               "LABINOV_ENV": "development"}
        labinov = str(Path(sys.executable).with_name("labinov"))
        rates = {}
        for options, label in (([], "forking a work horse per job"),
                               (["--no-fork"], "--no-fork")):
            with app.app_context():
                due_reminders(now)  # whatever is still pending is queued again
                mail = queue(MAIL)
                for job in Job.fetch_many(mail.get_job_ids()[args.emails:],
                                          connection=mail.connection):
                    if job is not None:  # one worker, --emails jobs; the rest wait
                        job.delete()
                sending = len(mail)
            counter.reset()
            started = time.perf_counter()
            subprocess.run([labinov, "worker", "--burst", *options, MAIL], env=env, cwd=ROOT,
                           check=True, capture_output=True)
            spent = time.perf_counter() - started
            received = counter.count
            # From the first message to the last: the worker's start-up is not sending.
            rates[label] = (received - 1) / (counter.last - counter.first)
            report.add(f"one worker ({label}), {sending} digests to a local SMTP server "
                       f"({received} received; {spent:.1f} s with the worker's start-up)",
                       f"{rates[label]:.0f} emails/s", ">= 100 emails/s", rates[label] >= 100)
        report.figure("worker_send_rate_forking", rates["forking a work horse per job"],
                      "emails/s", ">= 100")
        report.figure("worker_send_rate", rates["--no-fork"], "emails/s", ">= 100")
        ok = report.print()
    finally:
        smtp.stop()
        redis.terminate()
        redis.wait(timeout=10)
        if "app" in locals():
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
