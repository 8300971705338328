"""Lab benchmark: the Bappeda's dashboard and the idea list of a lab with 2,000 ideas and
10,000 milestones, while 514 tenant schemas exist, through the real WSGI app.

    .venv/bin/python bench/lab.py [--requests 200] [--reuse] [--keep]

Makes the database `labinov_bench_lab` on the server in DATABASE_URL (default
127.0.0.1:5432, user postgres): 514 tenants, every one enrolled in a cohort that is in
deliver today, and in Kabupaten Probolinggo (35.13) 300 units, 600 people, 2,000 ideas
(about 300 words of design each), 10,000 milestones and 200 drum-up commitments. Then signs
in as its Bappeda administrator and times N requests of each page (after 10 untimed ones),
printing the median and the 95th percentile beside the target, and the SQL statements one
request sends. Drops the database at the end unless --keep or --reuse.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from datetime import date, timedelta

import sqlalchemy as sa
from fixture import (
    ROLE_BAPPEDA,
    Report,
    core_app,
    open_database,
    signed_in,
    summary,
    time_requests,
    user,
    web_app,
)

from tenants.cohorts.models import STAGES, Cohort
from tenants.db import db
from tenants.lab.models import Commitment, Idea, Milestone
from tenants.registry import Tenant
from tenants.scope import tenant_session
from tenants.units.models import Person, Unit

CODE = "35.13"
IDEAS, MILESTONES_PER_IDEA = 2000, 5
UNITS = {"opd": 60, "puskesmas": 40, "kecamatan": 30, "kelurahan": 70, "desa": 90,
         "rsud": 3, "bumd": 7}
TARGET_MS = 100
WORDS = ["inovasi", "layanan", "publik", "kader", "desa", "puskesmas", "data", "warga",
         "pendampingan", "aplikasi", "jadwal", "kunjungan", "laporan", "kinerja", "rencana",
         "aksi", "pemantauan", "evaluasi", "sosialisasi"]


def build_lab(tenant: Tenant, cohort_id: int) -> int:
    """The big lab (once); returns the id of one unit (for the Bappeda's account)."""
    rng = random.Random(3513)
    today = date.today()
    with tenant_session(tenant.ref()) as s:
        have = s.scalar(sa.select(sa.func.count()).select_from(Idea))
        if have >= IDEAS:
            return s.scalar(sa.select(sa.func.min(Unit.id)))
        units = [{"name": f"{kind.upper() if kind in ('opd', 'rsud', 'bumd') else kind.title()}"
                          f" {n + 1:03d}", "kind": kind}
                 for kind, count in UNITS.items() for n in range(count)]
        s.execute(sa.insert(Unit), units)
        unit_ids = list(s.scalars(sa.select(Unit.id).order_by(Unit.id)))
        s.execute(sa.insert(Person), [{"unit_id": unit_ids[i % len(unit_ids)],
                                       "name": f"Pegawai {i + 1:04d}"} for i in range(600)])
        people = list(s.scalars(sa.select(Person.id)))
        # Ideas mostly in the design and deliver stages, as a lab in deliver has them.
        stage_weights = [(STAGES[1], 3), (STAGES[2], 6), (STAGES[3], 10), (STAGES[4], 1)]
        stages = [st.value for st, w in stage_weights for _ in range(w)]
        ideas = []
        for i in range(IDEAS):
            design = " ".join(rng.choice(WORDS) for _ in range(300))
            ideas.append({"cohort_id": cohort_id, "unit_id": rng.choice(unit_ids[:260]),
                          "title": f"Inovasi pelayanan nomor {i + 1}",
                          "acronym": f"Si-{i + 1:04d}", "stage": rng.choice(stages),
                          "problem": "Antrean panjang dan data tercecer.",
                          "root_causes": "Pencatatan manual.", "design": design})
        s.execute(sa.insert(Idea), ideas)
        idea_ids = list(s.scalars(sa.select(Idea.id)))
        milestones = []
        for idea_id in idea_ids:
            for k in range(MILESTONES_PER_IDEA):
                due = today + timedelta(days=rng.randint(-150, 150))
                status = rng.choice(["planned", "in_progress", "done", "done"])
                milestones.append({"idea_id": idea_id, "position": k,
                                   "title": f"Tahapan {k + 1}", "owner_id": rng.choice(people),
                                   "starts_on": due - timedelta(days=20), "due_on": due,
                                   "status": status,
                                   "done_on": due if status == "done" else None})
        s.execute(sa.insert(Milestone), milestones)
        s.execute(sa.insert(Commitment), [{"cohort_id": cohort_id, "unit_id": unit_id,
                                           "signed_on": today - timedelta(days=190),
                                           "signatory_name": "Kepala"}
                                          for unit_id in unit_ids[:200]])
        s.commit()
        return unit_ids[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="reuse an earlier run's database")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args = parser.parse_args()
    bench = open_database(args.reuse, args.keep)
    report = Report()
    figures = []
    try:
        app = core_app(bench.database_url)
        with app.app_context():
            tenant = db.session.scalar(sa.select(Tenant).where(Tenant.regency_code == CODE))
            cohort_id = db.session.scalar(sa.select(sa.func.min(Cohort.id)))
            print(f"building the lab of {tenant.name} ...", flush=True)
            unit_id = build_lab(tenant, cohort_id)
            email = "bappeda@bench.example"
            user(email, "Bappeda Bench", memberships=[(tenant.id, ROLE_BAPPEDA, None)])
            with db.engine.begin() as conn:  # ANALYZE's statistics commit with it
                conn.exec_driver_sql(f'ANALYZE "{tenant.schema_name}".idea, '
                                     f'"{tenant.schema_name}".milestone, '
                                     f'"{tenant.schema_name}".unit')
                schemas = conn.execute(sa.text(
                    r"SELECT count(*) FROM pg_namespace WHERE nspname LIKE 't\_%'")).scalar()
            with tenant_session(tenant.ref()) as s:
                counts = {m.__tablename__: s.scalar(sa.select(sa.func.count()).select_from(m))
                          for m in (Unit, Idea, Milestone)}
            db.session.remove()
            db.engine.dispose()
        del unit_id
        print(f"{schemas} tenant schemas; {tenant.name}: {counts['unit']} units, "
              f"{counts['idea']} ideas, {counts['milestone']} milestones", flush=True)

        web = web_app(bench.database_url)
        client = signed_in(web, email)
        statements: list[str] = []
        with web.app_context():
            engine = db.engine

        def count(conn, cursor, statement, *a):
            statements.append(statement)

        lab = f"/{tenant.slug}"
        pages = [("the dashboard", "dashboard", f"{lab}/", True),
                 ("the idea list (page 1)", "idea_list", f"{lab}/ideas/", True),
                 ("  the idea list filtered (deliver, OPD)", None,
                  f"{lab}/ideas/?stage=deliver&kind=opd", False),
                 ("  the idea list, page 40 of 80", None, f"{lab}/ideas/?page=40", False)]
        for label, name, path, target in pages:
            print(f"timing {label}: {args.requests} requests ...", flush=True)
            statements.clear()
            sa.event.listen(engine, "before_cursor_execute", count)
            client.get(path)
            sa.event.remove(engine, "before_cursor_execute", count)
            queries = len(statements)
            wall, cpu = time_requests(client, path, args.requests)
            median, p95 = summary(wall)
            cpu_median, cpu_p95 = summary(cpu)
            report.add(f"{label}: median of {args.requests} ({queries} SQL statements)",
                       f"{median:.1f} ms")
            report.add(f"{label}: the app's CPU time, median / p95",
                       f"{cpu_median:.1f} / {cpu_p95:.1f} ms")
            report.add(f"{label}: p95 of {args.requests}", f"{p95:.1f} ms",
                       f"< {TARGET_MS} ms" if target else "",
                       p95 < TARGET_MS if target else None)
            if name:
                figures.append(f"figure: {name}_p95 {p95:.1f} ms (target < {TARGET_MS} ms)")
        with web.app_context():
            db.engine.dispose()
    finally:
        bench.drop()
    passed = report.print()
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    for line in figures:
        print(line)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
