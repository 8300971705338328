"""Tenancy benchmark: provisioning, creating 514 tenants, and migration runs across them.

    .venv/bin/python bench/tenancy.py

Creates the database `labinov_bench` on the server named by DATABASE_URL (default
127.0.0.1:5432, user postgres), one tenant schema per regency in tenants/regions/data,
prints each figure beside its target, and drops the database at the end.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tenants import registry  # noqa: E402
from tenants.app import create_core_app  # noqa: E402
from tenants.config import Settings  # noqa: E402
from tenants.db import db  # noqa: E402
from tenants.migrate import (  # noqa: E402
    TENANT_SCRIPTS,
    migrate_tenants,
    tenant_head,
    upgrade_platform,
)
from tenants.onboarding.operations import create_active  # noqa: E402
from tenants.provisioning import drop_schema, provision_schema, tenant_ddl  # noqa: E402
from tenants.regions.models import Regency  # noqa: E402
from tenants.regions.operations import load_regions  # noqa: E402

DATABASE = "labinov_bench"
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
JOBS = 2

EXTRA_REVISION = '''"""unit code (benchmark only)

Revision ID: b001
Revises: {head}
"""
from alembic import op
import sqlalchemy as sa

revision = "b001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("unit", sa.Column("code", sa.String(20)))
    op.create_index("ix_unit_code", "unit", ["code"])


def downgrade():
    op.drop_index("ix_unit_code", table_name="unit")
    op.drop_column("unit", "code")
'''


class Report:
    def __init__(self):
        self.rows: list[tuple[str, str, str, bool | None]] = []

    def add(self, figure: str, value: str, target: str = "", ok: bool | None = None):
        self.rows.append((figure, value, target, ok))
        print(f"  {figure}: {value}", flush=True)

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
        return all(ok is not False for *_, ok in self.rows)


def server_url() -> sa.URL:
    url = make_url(os.environ.get("DATABASE_URL") or DEFAULT_SERVER)
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def extra_tree(workdir: Path) -> Path:
    tree = workdir / "tenant"
    shutil.copytree(TENANT_SCRIPTS, tree, ignore=shutil.ignore_patterns("__pycache__"))
    (tree / "versions" / "b001_unit_code.py").write_text(EXTRA_REVISION.format(head=tenant_head()))
    return tree


def bench_provisioning(engine: sa.Engine, dsn: str, samples: int, report: Report) -> None:
    """provision_schema in its own transaction vs. the same DDL sent raw through psycopg."""
    ddl = tenant_ddl()
    raw = psycopg.connect(dsn)
    ours: list[float] = []
    floor: list[float] = []

    def with_provision(schema):
        with engine.begin() as conn:
            provision_schema(conn, schema)

    def with_psycopg(schema):
        with raw.transaction():
            raw.execute(f'CREATE SCHEMA "{schema}"; SET LOCAL search_path TO "{schema}";\n{ddl}')

    pair = [(with_provision, ours, "p"), (with_psycopg, floor, "f")]
    for i in range(samples + 3):  # three rounds of warm-up
        pair.reverse()  # alternate who goes first, so that both share any drift
        for fn, bucket, tag in pair:
            spent, _ = timed(fn, f"t_bench_{tag}{i}")
            if i >= 3:
                bucket.append(spent)
    raw.close()
    with engine.begin() as conn:
        for i in range(samples + 3):
            for tag in "pf":
                drop_schema(conn, f"t_bench_{tag}{i}")
    median, base = statistics.median(ours), statistics.median(floor)
    report.add(f"provision one tenant (provision_schema in a transaction, median of {samples})",
               ms(median))
    report.add("  floor: the same DDL raw in one transaction via psycopg (median)", ms(base))
    ratio = median / base
    report.add("  provision / floor", f"{ratio:.2f}x", "< 1.3x", ratio < 1.3)
    FIGURES.append(f"figure: provision_vs_floor {ratio:.2f} x (target < 1.3)")


def create_tenants(codes: list[str], pause_at: int, on_pause) -> list[float]:
    """Register and provision a tenant per code (one commit each); seconds for each."""
    spent = []
    for n, code in enumerate(codes, 1):
        started = time.perf_counter()
        create_active(db.session, code)
        db.session.commit()
        spent.append(time.perf_counter() - started)
        if n == pause_at:
            on_pause()
    return spent


def noop_run(database_url: str, rounds: int = 5) -> tuple[float, int]:
    """The `labinov tenants migrate` path with nothing to apply: list schemas, runner."""
    spent = []
    for _ in range(rounds):
        started = time.perf_counter()
        schemas = registry.provisioned_schemas(db.session)
        db.session.close()
        results = migrate_tenants(database_url, schemas, jobs=JOBS)
        spent.append(time.perf_counter() - started)
        assert all(r.ok and not r.changed for r in results), "expected nothing to apply"
    return statistics.median(spent), len(results)


FIGURES: list[str] = []  # the summary lines, `figure: NAME VALUE UNIT (target OP VALUE)`


def schema_shape(engine: sa.Engine) -> tuple[int, int]:
    """(tables, indexes) of one tenant schema, as provisioning builds it."""
    with engine.begin() as conn:
        provision_schema(conn, "t_bench_shape")
        tables, indexes = conn.execute(sa.text(
            "SELECT count(*) FILTER (WHERE c.relkind IN ('r', 'p')), "
            "count(*) FILTER (WHERE c.relkind = 'i') FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 't_bench_shape'"
        )).one()
        drop_schema(conn, "t_bench_shape")
    return tables, indexes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tenants", type=int, default=0, help="only the first N regencies")
    parser.add_argument("--samples", type=int, default=40, help="provisioning samples")
    args = parser.parse_args()
    logging.getLogger("alembic").setLevel(logging.WARNING)

    server = server_url()
    url = server.set(database=DATABASE)
    database_url = url.render_as_string(hide_password=False)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{DATABASE}"')
        version = conn.exec_driver_sql("SHOW server_version").scalar()
    print(f"PostgreSQL {version} at {server.host}:{server.port}, database {DATABASE}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start; "
          f"runner --jobs {JOBS}", flush=True)
    report = Report()
    shape = "(not measured)"
    workdir = Path(tempfile.mkdtemp(prefix="labinov-bench-"))
    try:
        app = create_core_app(Settings(database_url=database_url))
        with app.app_context():
            upgrade_platform(db.engine)
            load_regions(db.session)
            db.session.commit()
            codes = list(db.session.scalars(sa.select(Regency.code).order_by(Regency.code)))
            if args.tenants:
                codes = codes[:args.tenants]
            total = len(codes)
            small = min(100, total)

            tables, indexes = schema_shape(db.engine)
            shape = f"{tables} tables and {indexes} indexes per tenant schema"
            print(f"the tenant tree: {shape}", flush=True)
            report.add("the tenant tree", shape)

            print("provisioning ...", flush=True)
            bench_provisioning(db.engine, dsn, args.samples, report)

            print(f"creating {total} tenants with the registry ...", flush=True)
            at_small: dict[str, float] = {}

            def pause():
                at_small["noop"], _n = noop_run(database_url)

            each = create_tenants(codes, small, pause)
            created = sum(each)
            migrated, results = timed(migrate_tenants, database_url,
                                      registry.provisioned_schemas(db.session), jobs=JOBS)
            db.session.close()
            assert len(results) == total and all(r.ok for r in results)
            report.add("  registry create of one tenant (row, event, provision_schema, commit), "
                       f"median of {total}", ms(statistics.median(each)))
            report.add(f"create {total} tenants (registry: platform row + provision_schema)",
                       f"{created:.1f} s")
            report.add("  then migrate them all (nothing to apply)", f"{migrated:.2f} s")
            both = created + migrated
            report.add(f"create and migrate {total} tenant schemas", f"{both:.1f} s",
                       "< 150 s", both < 150)
            FIGURES.append(f"figure: create_and_migrate_{total}_tenants {both:.1f} s "
                           "(target < 150)")

            noop_big, count = noop_run(database_url)
            report.add(f"migrate run, nothing to apply, {small} schemas (median of 5)",
                       f"{at_small['noop']:.3f} s")
            report.add(f"migrate run, nothing to apply, {count} schemas (median of 5)",
                       f"{noop_big:.3f} s", "< 2 s", noop_big < 2)
            FIGURES.append(f"figure: noop_migrate_{count}_schemas {noop_big:.3f} s (target < 2)")
            per_small = at_small["noop"] / small
            per_big = noop_big / count
            report.add(f"  per schema at {small} / at {count}",
                       f"{per_small * 1e6:.0f} / {per_big * 1e6:.0f} us",
                       "no faster than linear", per_big <= per_small * 1.1)
            env = dict(os.environ, DATABASE_URL=database_url)
            command, _ = timed(subprocess.run, [str(Path(sys.executable).parent / "labinov"),
                                                "tenants", "migrate", "--quiet"],
                               env=env, check=True, capture_output=True)
            report.add(f"  the whole `labinov tenants migrate -q` command, {count} schemas",
                       f"{command:.2f} s")

            print(f"applying one migration to {total} schemas ...", flush=True)
            tree = extra_tree(workdir)
            applied, results = timed(migrate_tenants, database_url,
                                     registry.provisioned_schemas(db.session), jobs=JOBS,
                                     script_location=tree)
            db.session.close()
            assert all(r.ok and r.after == "b001" for r in results), [
                r.line() for r in results if not r.ok][:3]
            report.add(f"apply one migration (column + index on unit) to {total} schemas, "
                       f"--jobs {JOBS}", f"{applied:.1f} s", "< 15 s", applied < 15)
            FIGURES.append(f"figure: apply_one_migration_{total}_schemas {applied:.1f} s "
                           "(target < 15)")

            print(f"building {total} schemas from base with the migrations ...", flush=True)
            base_schemas = [f"t_base_{c.replace('.', '')}" for c in codes]
            with db.engine.begin() as conn:
                for schema in base_schemas:
                    conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
            built, results = timed(migrate_tenants, database_url, base_schemas, jobs=JOBS)
            assert all(r.ok and r.before is None for r in results)
            report.add(f"  for comparison: {total} schemas built by running the migrations "
                       f"from base, --jobs {JOBS}", f"{built:.1f} s")
            db.session.remove()
            db.engine.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        admin.dispose()
    passed = report.print()
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    print(f"tenant tree: {shape}")
    for line in FIGURES:
        print(line)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
