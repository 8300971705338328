"""Alembic for two version trees, and the runner that upgrades every tenant schema.

The runner reads every schema's version in a few round trips, so a run with nothing to
apply costs one catalog query plus one UNION per few hundred schemas, whatever the tenant
count. Pending schemas are upgraded in worker processes (Alembic's `op` proxy is
process-global, so threads would trample each other), one transaction per schema.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
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
        union = " UNION ALL ".join(
            f"SELECT '{s}', version_num FROM \"{s}\".alembic_version"
            for s in present[i:i + VERSION_CHUNK])
        for schema, version in conn.exec_driver_sql(union):
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
    after = conn.exec_driver_sql(f'SELECT version_num FROM "{schema}".alembic_version').scalar()
    return seen.get("before"), after


def _upgrade_in_own_transaction(engine: sa.Engine, schema: str, target: str,
                                script_location: Path) -> SchemaResult:
    started = time.perf_counter()
    try:
        with engine.connect() as conn, conn.begin():
            conn.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
            before, after = upgrade_schema(conn, schema, target, script_location)
        return SchemaResult(schema, True, before, after, time.perf_counter() - started)
    except Exception as exc:  # one tenant's failure must not stop the others
        message = " ".join(str(exc).split())[:300]
        return SchemaResult(schema, False, None, None, time.perf_counter() - started, message)


_worker: dict = {}


def _init_worker(database_url: str, script_location: Path) -> None:
    logging.getLogger("alembic").setLevel(logging.WARNING)
    _worker["engine"] = sa.create_engine(database_url, pool_size=1, max_overflow=0)
    _worker["scripts"] = script_location


def _work(schema: str, target: str) -> SchemaResult:
    return _upgrade_in_own_transaction(_worker["engine"], schema, target, _worker["scripts"])


def migrate_tenants(
    database_url: str,
    schemas: Iterable[str],
    jobs: int = 2,
    target: str = "head",
    script_location: Path = TENANT_SCRIPTS,
    on_result: Callable[[SchemaResult], None] | None = None,
) -> list[SchemaResult]:
    """Upgrade every schema to `target`; returns one result per schema, in completion order."""
    schemas = list(schemas)
    goal = script_directory(script_location).get_revision(target).revision
    engine = sa.create_engine(database_url, poolclass=sa.NullPool)
    with engine.connect() as conn:
        versions = current_versions(conn, schemas)
    results: list[SchemaResult] = []

    def report(result: SchemaResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    pending = [s for s in schemas if versions[s] != goal]
    for schema in schemas:
        if versions[schema] == goal:
            report(SchemaResult(schema, True, goal, goal, 0.0))
    if len(pending) <= 1 or jobs <= 1:
        logging.getLogger("alembic").setLevel(logging.WARNING)
        for schema in pending:
            report(_upgrade_in_own_transaction(engine, schema, target, script_location))
        engine.dispose()
        return results
    engine.dispose()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(pending)), mp_context=context,
                             initializer=_init_worker,
                             initargs=(database_url, script_location)) as pool:
        futures = [pool.submit(_work, schema, target) for schema in pending]
        for future in as_completed(futures):
            report(future.result())
    return results
