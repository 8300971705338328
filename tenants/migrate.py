"""Alembic for two version trees, and the runner that upgrades every tenant schema.

The runner reads every schema's version in a few round trips, so a run with nothing to
apply costs one catalog query plus one UNION per few hundred schemas, whatever the tenant
count. Pending schemas are upgraded one transaction each, by this process and by worker
processes (Alembic's `op` proxy is process-global, so threads would trample each other).
The workers are plain `python -m tenants.migrate_worker` processes fed over a pipe:
multiprocessing's spawned children would first re-import the caller's main module, which
for `labinov` is the whole web application.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory

ROOT = Path(__file__).resolve().parent.parent
PLATFORM_SCRIPTS = ROOT / "migrations" / "platform"
TENANT_SCRIPTS = ROOT / "migrations" / "tenant"
VERSION_CHUNK = 250
UNREADABLE = "?"  # a version table that exists but cannot be read


def alembic_config(script_location: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    return cfg


@lru_cache(maxsize=8)
def script_directory(script_location: Path = TENANT_SCRIPTS) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(script_location))


def tenant_head(script_location: Path = TENANT_SCRIPTS) -> str:
    return script_directory(script_location).get_current_head()


def upgrade_platform(engine: sa.Engine, target: str = "head") -> None:
    cfg = alembic_config(PLATFORM_SCRIPTS)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)


@dataclass(frozen=True)
class SchemaResult:
    schema: str
    ok: bool
    before: str | None
    after: str | None
    seconds: float
    error: str | None = None

    @property
    def changed(self) -> bool:
        return self.ok and self.before != self.after

    def line(self) -> str:
        if not self.ok:
            return f"{self.schema:<10} FAILED   {self.error}"
        if not self.changed:
            return f"{self.schema:<10} current  {self.after}"
        return (f"{self.schema:<10} upgraded {self.before or 'base'} -> {self.after} "
                f"({self.seconds * 1000:.0f} ms)")


def current_versions(conn: sa.Connection, schemas: list[str]) -> dict[str, str | None]:
    """Every schema's alembic version (None where it has no version table)."""
    have_table = set(conn.execute(sa.text(
        "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relname = 'alembic_version' AND n.nspname = ANY(:schemas)"),
        {"schemas": schemas}).scalars())
    versions: dict[str, str | None] = dict.fromkeys(schemas)
    present = [s for s in schemas if s in have_table]
    for i in range(0, len(present), VERSION_CHUNK):
        chunk = present[i:i + VERSION_CHUNK]
        try:
            with conn.begin_nested():
                rows = conn.exec_driver_sql(" UNION ALL ".join(
                    f"SELECT '{s}', version_num FROM \"{s}\".alembic_version"
                    for s in chunk)).all()
        except sa.exc.DBAPIError:
            # One damaged version table must not hide the others: read them one by one
            # and leave the unreadable ones to fail, with their own result, in the upgrade.
            rows = []
            for schema in chunk:
                try:
                    with conn.begin_nested():
                        rows += [(schema, v) for v in conn.exec_driver_sql(
                            f'SELECT version_num FROM "{schema}".alembic_version').scalars()]
                except sa.exc.DBAPIError:
                    versions[schema] = UNREADABLE
        for schema, version in rows:
            versions[schema] = version
    return versions


def upgrade_schema(conn: sa.Connection, schema: str, target: str = "head",
                   script_location: Path = TENANT_SCRIPTS) -> tuple[str | None, str | None]:
    """Upgrade one schema inside the caller's transaction; returns (before, after)."""
    script = script_directory(script_location)
    cfg = alembic_config(script_location)
    cfg.attributes.update(connection=conn, tenant_schema=schema)
    seen: dict[str, str | None] = {}

    def do_upgrade(rev, context):
        seen["before"] = rev[0] if rev else None
        return script._upgrade_revs(target, rev)

    with EnvironmentContext(cfg, script, fn=do_upgrade, destination_rev=target):
        script.run_env()
    return seen.get("before"), script.get_revision(target).revision


def mirror_version(conn: sa.Connection, schema: str, version: str | None) -> None:
    """Keep the tenant's platform row in step with its schema (readiness reads the row)."""
    if conn.scalar(sa.text("SELECT to_regclass('platform.tenant') IS NOT NULL")):
        conn.execute(sa.text("UPDATE platform.tenant SET schema_version = :v "
                             "WHERE schema_name = :s AND schema_version IS DISTINCT FROM :v"),
                     {"v": version, "s": schema})


def heal_mirrors(conn: sa.Connection, versions: dict[str, str | None]) -> None:
    """Set every tenant row's mirror to what its schema says, in one statement (a schema
    upgraded by hand, or restored, is seen at the next `labinov tenants migrate`)."""
    known = {s: v for s, v in versions.items() if v != UNREADABLE}
    if known and conn.scalar(sa.text("SELECT to_regclass('platform.tenant') IS NOT NULL")):
        conn.execute(sa.text(
            "UPDATE platform.tenant t SET schema_version = v.version "
            "FROM unnest(CAST(:schemas AS text[]), CAST(:versions AS text[])) "
            "AS v(schema_name, version) "
            "WHERE t.schema_name = v.schema_name "
            "AND t.schema_version IS DISTINCT FROM v.version"),
            {"schemas": list(known), "versions": list(known.values())})


def upgrade_in_own_transaction(engine: sa.Engine, schema: str, target: str,
                                script_location: Path) -> SchemaResult:
    started = time.perf_counter()
    try:
        with engine.connect() as conn, conn.begin():
            conn.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
            before, after = upgrade_schema(conn, schema, target, script_location)
            mirror_version(conn, schema, after)
        return SchemaResult(schema, True, before, after, time.perf_counter() - started)
    except Exception as exc:  # one tenant's failure must not stop the others
        message = " ".join(str(exc).split())[:300]
        return SchemaResult(schema, False, None, None, time.perf_counter() - started, message)


def _drive_worker(command: list[str], settings: str, todo: queue.SimpleQueue,
                  report: Callable[[SchemaResult], None]) -> None:
    """Feed schemas from `todo` to one worker process and report its answers."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                          env=env) as proc:
        header = settings + "\n"
        while True:
            try:
                schema = todo.get_nowait()
            except queue.Empty:
                break
            try:
                proc.stdin.write(header + schema + "\n")
                proc.stdin.flush()
                header = ""
                answer = proc.stdout.readline()
            except OSError:  # the worker is gone
                answer = ""
            if not answer:
                report(SchemaResult(schema, False, None, None, 0.0,
                                    f"migration worker exited with status {proc.wait()}"))
                return  # the other jobs take the rest
            report(SchemaResult(**json.loads(answer)))
        proc.stdin.close()


def migrate_tenants(
    database_url: str,
    schemas: Iterable[str],
    jobs: int = 2,
    target: str = "head",
    script_location: Path = TENANT_SCRIPTS,
    on_result: Callable[[SchemaResult], None] | None = None,
    connect_args: dict | None = None,
) -> list[SchemaResult]:
    """Upgrade every schema to `target`; returns one result per schema, in completion order.

    Up to `jobs` schemas are upgraded at once: one in this process, the others in worker
    processes (`tenants.migrate_worker`) that take the next pending schema when they are done.
    """
    schemas = list(schemas)
    goal = script_directory(script_location).get_revision(target).revision
    engine = sa.create_engine(database_url, pool_size=1, max_overflow=0,
                              connect_args=connect_args or {})
    with engine.connect() as conn:
        versions = current_versions(conn, schemas)
        heal_mirrors(conn, versions)
        conn.commit()
    results: list[SchemaResult] = []
    lock = threading.Lock()

    def report(result: SchemaResult) -> None:
        with lock:
            results.append(result)
            if on_result:
                on_result(result)

    pending = [s for s in schemas if versions[s] != goal]
    for schema in schemas:
        if versions[schema] == goal:
            report(SchemaResult(schema, True, goal, goal, 0.0))
    todo: queue.SimpleQueue[str] = queue.SimpleQueue()
    for schema in pending:
        todo.put(schema)
    settings = json.dumps({"database_url": database_url, "target": target,
                           "script_location": str(script_location),
                           "connect_args": connect_args or {}})
    command = [sys.executable, "-m", "tenants.migrate_worker"]
    workers = [threading.Thread(target=_drive_worker, args=(command, settings, todo, report),
                                daemon=True)
               for _ in range(min(jobs, len(pending)) - 1)]
    for worker in workers:
        worker.start()
    alembic_log = logging.getLogger("alembic")
    level = alembic_log.level
    alembic_log.setLevel(logging.WARNING)
    try:
        while True:  # this process is one of the jobs; Alembic allows one at a time per process
            try:
                schema = todo.get_nowait()
            except queue.Empty:
                break
            report(upgrade_in_own_transaction(engine, schema, target, script_location))
    finally:
        alembic_log.setLevel(level)
        engine.dispose()
    for worker in workers:
        worker.join()
    return results
