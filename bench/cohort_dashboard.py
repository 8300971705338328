"""LAN's cohort dashboard over 514 enrolled labs: p95 of the page through the real WSGI app.

    .venv/bin/python bench/cohort_dashboard.py [--tenants N] [--requests 200]

Creates the database `labinov_bench_cohorts` on the server named by DATABASE_URL (default
127.0.0.1:5432, user postgres) with one tenant schema per regency (514), enrols them all in
one cohort, counts each lab once with the real recount (`refresh_lab`, as the daily round
does), then gives every lab believable figures and asks for the dashboard 200 times as a
signed-in LAN administrator, with every sort and province filter in turn: once as the
process is after setting all this up, once as a web worker is after start-up (gc.freeze(),
infra/gunicorn.conf.py), which is the figure. Prints each figure beside its target and
drops the database at the end.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tenants.accounts.models import Role, User  # noqa: E402
from tenants.cohorts import summaries  # noqa: E402
from tenants.cohorts.models import STAGES, Cohort, CohortStage, Enrolment  # noqa: E402
from tenants.cohorts.queries import SORTS  # noqa: E402
from tenants.config import Settings  # noqa: E402
from tenants.db import db, utcnow  # noqa: E402
from tenants.lab.summary import refresh_lab  # noqa: E402
from tenants.migrate import upgrade_platform  # noqa: E402
from tenants.onboarding.operations import create_active  # noqa: E402
from tenants.regions.models import Regency  # noqa: E402
from tenants.regions.operations import load_regions  # noqa: E402
from tenants.registry import Tenant  # noqa: E402
from tenants.scope import for_each_tenant  # noqa: E402

DATABASE = "labinov_bench_cohorts"
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench-password-2026"
TARGET_MS = 300


def server_url() -> sa.URL:
    url = make_url(os.environ.get("DATABASE_URL") or DEFAULT_SERVER)
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def make_cohort() -> Cohort:
    cohort = Cohort(name="Laboratorium Inovasi 2026 — Angkatan I", year=2026)
    start = date(2026, 1, 5)
    for stage, length in zip(STAGES, (28, 42, 42, 182, 91), strict=True):
        ends = start + timedelta(days=length - 1)
        cohort.stages.append(CohortStage(stage=stage, starts_on=start, ends_on=ends,
                                         deliverable_due=ends - timedelta(days=5)))
        start = ends + timedelta(days=1)
    db.session.add(cohort)
    db.session.flush()
    return cohort


def believable(rng: random.Random) -> dict:
    """One lab's figures, in the range the programme's labs report (74, 118, 174 ideas)."""
    ideas = rng.randint(0, 180)
    weights = [rng.random() for _ in STAGES]
    by_stage = {s.value: 0 for s in STAGES}
    for _ in range(ideas):
        by_stage[rng.choices([s.value for s in STAGES], weights)[0]] += 1
    units = rng.randint(20, 90)
    milestones = ideas * rng.randint(2, 6)
    return dict(ideas=ideas, by_stage=by_stage, milestones=milestones,
                late_milestones=rng.randint(0, milestones // 4 if milestones else 0),
                units=units, units_without_ideas=rng.randint(0, units),
                current_stage=rng.choice([s.value for s in STAGES]),
                last_activity_at=utcnow() - timedelta(hours=rng.randint(1, 24 * 60)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tenants", type=int, default=0, help="only the first N regencies")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    logging.getLogger("alembic").setLevel(logging.WARNING)

    server = server_url()
    url = server.set(database=DATABASE)
    database_url = url.render_as_string(hide_password=False)
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{DATABASE}"')
        version = conn.exec_driver_sql("SHOW server_version").scalar()
    print(f"PostgreSQL {version} at {server.host}:{server.port}, database {DATABASE}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    from web import create_app

    ok = True
    try:
        app = create_app(Settings(env="test", database_url=database_url,
                                  secret_key="bench-" + "x" * 40,
                                  redis_url=os.environ.get("REDIS_URL",
                                                           "redis://127.0.0.1:1/0")))
        app.config.update(RATELIMIT_ENABLED=False, WTF_CSRF_ENABLED=False)  # signed in below
        from web.extensions import limiter

        limiter.enabled = False  # no Redis needed: sign-in limits are not what is measured
        with app.app_context():
            upgrade_platform(db.engine)
            load_regions(db.session)
            db.session.commit()
            codes = list(db.session.scalars(sa.select(Regency.code).order_by(Regency.code)))
            if args.tenants:
                codes = codes[:args.tenants]
            print(f"creating {len(codes)} tenants ...", flush=True)
            started = time.perf_counter()
            for code in codes:
                create_active(db.session, code)
                db.session.commit()
            print(f"  {time.perf_counter() - started:.1f} s", flush=True)
            cohort = make_cohort()
            tenants = db.session.scalars(sa.select(Tenant).order_by(Tenant.id)).all()
            for tenant in tenants:
                db.session.add(Enrolment(cohort_id=cohort.id, tenant_id=tenant.id))
            user = User(email="admin@lan.example", name="Rina Marlina",
                        platform_role=Role.LAN_ADMIN, locale="id")
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.commit()
            cohort_id, refs = cohort.id, [t.ref() for t in tenants]
            db.session.close()

            print(f"counting {len(refs)} labs with refresh_lab (the daily round) ...",
                  flush=True)
            each = []
            started = time.perf_counter()
            for _ref, session in for_each_tenant(refs):
                t0 = time.perf_counter()
                refresh_lab(session)
                each.append(time.perf_counter() - t0)
            whole = time.perf_counter() - started
            print(f"  recount of one lab (tenant session + platform upsert), median of "
                  f"{len(each)}: {statistics.median(each) * 1000:.1f} ms; all {len(each)} "
                  f"labs one after another: {whole:.1f} s", flush=True)

            rng = random.Random(514)
            platform = db.session.session_factory()
            counted_at = utcnow()
            for ref in refs:
                summaries.write(platform, cohort_id=cohort_id, tenant_id=ref.id,
                                values=believable(rng), counted_at=counted_at)
            platform.commit()
            platform.close()
            provinces = list(db.session.scalars(
                sa.select(Regency.province_code).distinct().order_by(Regency.province_code)))
            db.session.close()

        client = app.test_client()
        response = client.post("/auth/sign-in", data={"email": "admin@lan.example",
                                                      "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        keys = list(SORTS)
        urls = []
        for n in range(args.requests):
            key = keys[n % len(keys)]
            query = {"sort": key if n % 2 else f"-{key}"}
            if n % 5 == 4:
                query["province"] = provinces[n % len(provinces)]
            urls.append((f"/lan/cohorts/{cohort_id}/dashboard", query))

        statements: list[int] = []
        with app.app_context():
            engine = db.engine

        def count_statements(*_args, **_kw):
            statements[-1] += 1

        def run(label: str) -> tuple[list[float], list[float], list[int]]:
            spent, cpu, sizes = [], [], []
            statements.clear()
            for path, query in urls:
                statements.append(0)
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.get(path, query_string=query)
                body = response.get_data()
                spent.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
                assert response.status_code == 200, response.status_code
                sizes.append(len(body))
            print(f"  {label}: median {statistics.median(spent) * 1000:.1f} ms, p95 "
                  f"{percentile(spent, 95) * 1000:.1f} ms; CPU time per request median "
                  f"{statistics.median(cpu) * 1000:.1f} ms, p95 {percentile(cpu, 95) * 1000:.1f} "
                  f"ms (load average {os.getloadavg()[0]:.1f})", flush=True)
            return spent, cpu, sizes

        sa.event.listen(engine, "before_cursor_execute", count_statements)
        for path, query in urls[:5]:  # warm-up: templates compiled, pool filled
            statements.append(0)
            client.get(path, query_string=query)
        print(f"\ncohort dashboard, {len(refs)} enrolled labs, {len(urls)} requests through "
              f"the WSGI app (every sort, both ways; one in five filtered by province):")
        run("as the process is after setting up (every object in the collector's sight)")
        # A web worker after start-up: infra/gunicorn.conf.py's post_worker_init.
        gc.collect()
        gc.freeze()
        spent, _cpu, sizes = run("as a gunicorn worker after start-up (gc.freeze())")
        sa.event.remove(engine, "before_cursor_execute", count_statements)
        full = [s for (p, q), s in zip(urls, spent, strict=True) if "province" not in q]
        p95 = percentile(spent, 95)
        print(f"  unfiltered pages alone: p95 {percentile(full, 95) * 1000:.1f} ms, "
              f"{max(sizes) // 1024} KiB of HTML")
        print(f"  SQL statements per request: {min(statements)} to {max(statements)} "
              f"(the labs' rows in one of them, whatever the number of labs)")
        ok = p95 * 1000 < TARGET_MS
        print(f"  p95 {p95 * 1000:.1f} ms, target < {TARGET_MS} ms: "
              f"{'pass' if ok else 'FAIL'}")
        print(f"figure: cohort_dashboard_p95 {p95 * 1000:.1f} ms (target < {TARGET_MS} ms)")
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        admin.dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
