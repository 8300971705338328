"""What the lab benchmarks share: a database with one tenant schema per regency (514), every
lab enrolled in a cohort that is in deliver today, a signed-in client of the real WSGI app,
and timing.

    python bench/lab.py              # bench/backend_memory.py the same way
    python bench/lab.py --reuse      # keep and reuse the database of an earlier run

The database (`labinov_bench_lab`) lives on the server in DATABASE_URL (default
127.0.0.1:5432, user postgres) and is dropped at the end unless --keep is given.
"""

from __future__ import annotations

import logging
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tenancy import Report, server_url  # noqa: E402

from tenants.accounts.models import Membership, Role, User  # noqa: E402
from tenants.app import create_core_app  # noqa: E402
from tenants.cohorts.models import STAGES, Cohort, CohortStage, Enrolment  # noqa: E402
from tenants.config import Settings  # noqa: E402
from tenants.db import db  # noqa: E402
from tenants.migrate import upgrade_platform  # noqa: E402
from tenants.onboarding.operations import create_active  # noqa: E402
from tenants.regions.models import Regency  # noqa: E402
from tenants.regions.operations import load_regions  # noqa: E402
from tenants.registry import Tenant  # noqa: E402

DATABASE = "labinov_bench_lab"
PASSWORD = "bench-password-2026"
COHORT = "Laboratorium Inovasi (bench) — Angkatan I"

__all__ = ["Report", "percentile"]


@dataclass
class Bench:
    database_url: str
    admin: sa.Engine
    keep: bool

    def drop(self) -> None:
        if not self.keep:
            with self.admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        self.admin.dispose()


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank), as load tests report it."""
    ordered = sorted(values)
    rank = max(1, round(p / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]



def open_database(reuse: bool, keep: bool) -> Bench:
    """The bench database with 514 tenant schemas, all enrolled in one cohort; made anew
    unless `reuse` finds it from an earlier run."""
    logging.getLogger("alembic").setLevel(logging.WARNING)
    server = server_url()
    url = server.set(database=DATABASE)
    database_url = url.render_as_string(hide_password=False)
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.exec_driver_sql(
            f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'").scalar()
        version = conn.exec_driver_sql("SHOW server_version").scalar()
        if exists and not reuse:
            conn.exec_driver_sql(f'DROP DATABASE "{DATABASE}" WITH (FORCE)')
        if not exists or not reuse:
            conn.exec_driver_sql(f'CREATE DATABASE "{DATABASE}"')
    print(f"PostgreSQL {version} at {server.host}:{server.port}, database {DATABASE}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    bench = Bench(database_url, admin, keep or reuse)
    app = core_app(database_url)
    with app.app_context():
        upgrade_platform(db.engine)
        if not db.session.scalar(sa.select(sa.func.count()).select_from(Regency)):
            load_regions(db.session)
            db.session.commit()
        codes = list(db.session.scalars(sa.select(Regency.code).order_by(Regency.code)))
        have = set(db.session.scalars(sa.select(Tenant.regency_code)))
        missing = [c for c in codes if c not in have]
        if missing:
            print(f"creating {len(missing)} tenants ...", flush=True)
            started = time.perf_counter()
            for n, code in enumerate(missing, 1):
                create_active(db.session, code)
                db.session.commit()
                if n % 100 == 0:
                    print(f"  {n} tenants, {time.perf_counter() - started:.0f} s", flush=True)
            print(f"  {len(missing)} tenants in {time.perf_counter() - started:.1f} s",
                  flush=True)
        _enrol_all(date.today())
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return bench


def core_app(database_url: str):
    return create_core_app(Settings(database_url=database_url))


def _enrol_all(today: date) -> Cohort:
    """One cohort in deliver today (five stages of 60 days from 200 days ago), every tenant
    enrolled in it."""
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == COHORT))
    if cohort is None:
        start = today - timedelta(days=200)
        cohort = Cohort(name=COHORT, year=start.year)
        for i, stage in enumerate(STAGES):
            starts = start + timedelta(days=60 * i)
            cohort.stages.append(CohortStage(stage=stage, starts_on=starts,
                                             ends_on=starts + timedelta(days=59),
                                             deliverable_due=starts + timedelta(days=50)))
        db.session.add(cohort)
        db.session.flush()
    enrolled = set(db.session.scalars(sa.select(Enrolment.tenant_id).where(
        Enrolment.cohort_id == cohort.id)))
    for tenant_id in db.session.scalars(sa.select(Tenant.id)):
        if tenant_id not in enrolled:
            db.session.add(Enrolment(cohort_id=cohort.id, tenant_id=tenant_id))
    return cohort


def user(email: str, name: str, *, platform_role=None, memberships=()) -> User:
    """An account with PASSWORD (made once)."""
    found = db.session.scalar(sa.select(User).where(User.email == email))
    if found is not None:
        return found
    account = User(email=email, name=name, platform_role=platform_role, locale="id")
    account.set_password(PASSWORD)
    db.session.add(account)
    for tenant_id, role, unit_id in memberships:
        db.session.add(Membership(user=account, tenant_id=tenant_id, role=role,
                                  unit_id=unit_id))
    db.session.commit()
    return account


def web_app(database_url: str, **settings):
    """The real WSGI app (CSRF on), with the sign-in rate limits off: they need Redis, and
    only the sign-in uses them. `settings` as in tenants.config.Settings."""
    from web import create_app
    from web.extensions import limiter

    app = create_app(Settings(database_url=database_url, **settings))
    limiter.enabled = False
    return app


def signed_in(app, email: str):
    """A test client of `app` (each request through the whole WSGI stack) signed in."""
    client = app.test_client()
    page = client.get("/auth/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'name="csrf_token" value="([^"]+)"', page)
    response = client.post("/auth/sign-in", data={
        "email": email, "password": PASSWORD, "csrf_token": token.group(1)})
    assert response.status_code == 302, f"sign-in failed: {response.status_code}"
    return client


def time_requests(client, path: str, n: int, warm: int = 10) -> tuple[list[float], list[float]]:
    """Wall-clock seconds and this process's CPU seconds for each of `n` GETs of `path`
    (after `warm` untimed ones); every answer must be 200. The CPU time is the app's own
    work, whatever else the machine is busy with (the database server's is not in it)."""
    for _ in range(warm):
        assert client.get(path).status_code == 200, path
    wall, cpu = [], []
    for _ in range(n):
        started, busy = time.perf_counter(), time.process_time()
        response = client.get(path)
        body = response.get_data()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - busy)
        assert response.status_code == 200 and body, path
    return wall, cpu


def summary(spent: list[float]) -> tuple[float, float]:
    """(median, p95) in milliseconds."""
    return statistics.median(spent) * 1000, percentile(spent, 95) * 1000


ROLE_BAPPEDA = Role.BAPPEDA_ADMIN
ROLE_LAN_ADMIN = Role.LAN_ADMIN
