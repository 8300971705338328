"""PostgreSQL backend memory: one pooled connection that serves a request in every one of
the 514 tenants.

    .venv/bin/python bench/backend_memory.py [--reuse] [--keep] [--max-tenants N]

Schema-per-tenant fills each backend's relation and catalog caches with the tables and
indexes of every schema it has served, and a pooled connection lives long. This signs in as
a LAN administrator (a member of every lab) and opens each lab's dashboard through the real
WSGI app, one request after another, so that one pooled connection serves them all; it
reads that backend's resident memory from /proc/<pid>/status (VmRSS, and RssAnon: its own
memory, without the shared buffers it has touched) after the first lab and after the last.

With `--max-tenants N` the app runs with DB_CONNECTION_MAX_TENANTS=N (else the
configuration's default), the cap in tenants/config.py: a pooled connection that has served
N tenants is replaced at its next checkout. The server must run on this machine (it reads
/proc). Uses the database of bench/fixture.py (`labinov_bench_lab`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from fixture import (
    ROLE_LAN_ADMIN,
    Report,
    open_database,
    signed_in,
    user,
    web_app,
)

from tenants.db import db
from tenants.registry import Tenant

LIMIT_MB = 100


def memory(pid: int) -> dict[str, float]:
    """VmRSS and its parts RssAnon (the process's own) and RssShmem (shared buffers it has
    touched, shared with every backend) of a process, in MB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "RssAnon", "RssShmem"):
            found[key] = int(value.split()[0]) / 1024
    return found


def backends(engine: sa.Engine, database: str) -> list[int]:
    """The pids of the app's connections to the bench database (not ours, the monitor's)."""
    with engine.connect() as conn:
        return list(conn.execute(sa.text(
            "SELECT pid FROM pg_stat_activity WHERE datname = :db AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"), {"db": database}).scalars())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reuse", action="store_true", help="reuse an earlier run's database")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--max-tenants", type=int, default=None,
                        help="DB_CONNECTION_MAX_TENANTS for the app (0: no limit)")
    args = parser.parse_args()
    bench = open_database(args.reuse, args.keep)
    report = Report()
    figures = []
    monitor = sa.create_engine(bench.database_url, poolclass=sa.pool.NullPool)
    database = sa.engine.make_url(bench.database_url).database
    try:
        cap = {} if args.max_tenants is None else {"db_connection_max_tenants": args.max_tenants}
        web = web_app(bench.database_url, **cap)
        with web.app_context():
            slugs = list(db.session.scalars(sa.select(Tenant.slug).order_by(Tenant.slug)))
            user("admin@bench.example", "LAN Bench", platform_role=ROLE_LAN_ADMIN)
            cap = web.config["LABINOV"].db_connection_max_tenants
            db.session.remove()
        client = signed_in(web, "admin@bench.example")
        first = slugs[0]
        assert client.get(f"/{first}/").status_code == 200
        pids = backends(monitor, database)
        assert len(pids) == 1, f"expected one pooled connection, found {pids}"
        pid = pids[0]
        before = memory(pid)
        print(f"one pooled connection, backend pid {pid}; after the first lab: "
              f"VmRSS {before['VmRSS']:.1f} MB, RssAnon {before['RssAnon']:.1f} MB "
              f"(connection cap: {cap or 'none'} tenants)", flush=True)
        started = time.perf_counter()
        peak = dict(before)
        seen_pids = {pid}
        for n, slug in enumerate(slugs, 1):
            response = client.get(f"/{slug}/")
            assert response.status_code == 200, (slug, response.status_code)
            now = backends(monitor, database)
            for p in now:
                seen_pids.add(p)
                m = memory(p)
                peak = {k: max(peak[k], m[k]) for k in m}
            if n % 100 == 0:
                m = memory(now[0])
                print(f"  {n} labs: backend {now[0]} VmRSS {m['VmRSS']:.1f} MB, "
                      f"RssAnon {m['RssAnon']:.1f} MB", flush=True)
        spent = time.perf_counter() - started
        last = backends(monitor, database)
        assert len(last) == 1, f"expected one pooled connection, found {last}"
        after = memory(last[0])
        growth_rss = peak["VmRSS"] - before["VmRSS"]
        growth_anon = peak["RssAnon"] - before["RssAnon"]
        report.add(f"requests: one dashboard in each of {len(slugs)} labs", f"{spent:.1f} s")
        report.add("backend connections the app used (one at a time)", f"{len(seen_pids)}")
        report.add("backend VmRSS after the first lab / at its largest / at the end",
                   f"{before['VmRSS']:.1f} / {peak['VmRSS']:.1f} / {after['VmRSS']:.1f} MB")
        report.add("backend RssAnon after the first lab / at its largest / at the end",
                   f"{before['RssAnon']:.1f} / {peak['RssAnon']:.1f} / {after['RssAnon']:.1f} MB")
        report.add("backend RssShmem (shared buffers touched) after the first lab / largest",
                   f"{before['RssShmem']:.1f} / {peak['RssShmem']:.1f} MB")
        report.add("  growth of VmRSS over the labs (with the shared buffers touched)",
                   f"{growth_rss:.1f} MB")
        report.add("  growth of RssAnon over the labs (the backend's own caches)",
                   f"{growth_anon:.1f} MB", f"< {LIMIT_MB} MB", growth_anon < LIMIT_MB)
        figures.append(f"figure: backend_rss_anon_growth {growth_anon:.1f} MB "
                       f"(target < {LIMIT_MB} MB)")
        figures.append(f"figure: backend_vmrss_growth {growth_rss:.1f} MB (target < {LIMIT_MB} MB)")
        with web.app_context():
            db.engine.dispose()
    finally:
        monitor.dispose()
        bench.drop()
    passed = report.print()
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    for line in figures:
        print(line)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
