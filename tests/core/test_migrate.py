"""The tenant migration runner and `labinov tenants migrate`, against real schemas."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from tenants.cli import db_cli, tenants_cli
from tenants.db import db
from tenants.migrate import TENANT_SCRIPTS, migrate_tenants, tenant_head

EXTRA_REVISION = '''"""unit code

Revision ID: 9001
Revises: {head}
"""
from alembic import op
import sqlalchemy as sa

revision = "9001"
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


@pytest.fixture
def extra_tree(tmp_path) -> Path:
    """A copy of the tenant migrations with one more revision: a column and an index."""
    tree = tmp_path / "tenant"
    shutil.copytree(TENANT_SCRIPTS, tree, ignore=shutil.ignore_patterns("__pycache__"))
    (tree / "versions" / "9001_unit_code.py").write_text(EXTRA_REVISION.format(head=tenant_head()))
    return tree


@pytest.fixture
def cli(ctx):
    """Invoke `labinov ...` with the command groups registered as in `web.cli`."""
    for group in (db_cli, tenants_cli):
        if group.name not in ctx.cli.commands:
            ctx.cli.add_command(group)
    runner = ctx.test_cli_runner()
    return lambda *args, **kw: runner.invoke(args=list(args), **kw)


@pytest.fixture
def tenants(make_tenant):
    schemas = [make_tenant(code).schema_name for code in ("35.13", "35.74", "35.23", "33.03")]
    db.session.close()
    return schemas


def _sql(statement: str, **params):
    with db.engine.begin() as conn:
        result = conn.execute(sa.text(statement), params)
        return result.all() if result.returns_rows else []


def _version(schema: str) -> str | None:
    return _sql(f'SELECT version_num FROM "{schema}".alembic_version')[0][0]


def _has_column(schema: str, table: str, column: str) -> bool:
    return bool(_sql("SELECT 1 FROM information_schema.columns WHERE table_schema = :s "
                     "AND table_name = :t AND column_name = :c", s=schema, t=table, c=column))


def _lines(output: str) -> dict[str, str]:
    """Result lines by schema."""
    return {m.group(1): m.group(2) for m in re.finditer(r"^(t_\w+)\s+(.*)$", output, re.M)}


def test_nothing_to_apply_gives_one_current_result_per_schema(ctx, tenants, database_url):
    seen = []
    results = migrate_tenants(database_url, tenants, jobs=2, on_result=seen.append)
    assert sorted(r.schema for r in results) == sorted(tenants)
    assert seen == results
    assert all(r.ok and not r.changed and r.after == tenant_head() for r in results)
    assert {_version(s) for s in tenants} == {tenant_head()}


def test_cli_with_nothing_to_apply(cli, tenants):
    result = cli("tenants", "migrate")
    assert result.exit_code == 0, result.output
    lines = _lines(result.output)
    assert sorted(lines) == sorted(tenants)
    assert all(line.startswith("current") for line in lines.values())
    assert "4 schemas: 0 upgraded, 0 failed, 4 already current" in result.output


def test_cli_applies_a_real_migration_with_two_jobs(cli, tenants, extra_tree):
    result = cli("tenants", "migrate", "--jobs", "2", "--scripts", str(extra_tree))
    assert result.exit_code == 0, result.output
    lines = _lines(result.output)
    assert sorted(lines) == sorted(tenants)
    assert all(line.startswith(f"upgraded {tenant_head()} -> 9001") for line in lines.values())
    for schema in tenants:
        assert _version(schema) == "9001"
        assert _has_column(schema, "unit", "code")
        assert _sql("SELECT indexdef FROM pg_indexes WHERE schemaname = :s "
                    "AND indexname = 'ix_unit_code'", s=schema)
    again = cli("tenants", "migrate", "--jobs", "2", "--scripts", str(extra_tree))
    assert again.exit_code == 0
    assert "4 schemas: 0 upgraded, 0 failed, 4 already current" in again.output


def test_a_broken_schema_fails_alone_and_the_exit_is_non_zero(cli, tenants, extra_tree):
    ok_a, ok_b, conflicting, damaged = tenants
    # An object the migration wants to create already exists: its schema must roll back
    # entirely (the column added before the failing index goes too).
    _sql(f'CREATE INDEX ix_unit_code ON "{conflicting}".unit (name)')
    # A table the migration alters is gone.
    _sql(f'DROP TABLE "{damaged}".unit CASCADE')

    result = cli("tenants", "migrate", "--jobs", "2", "--scripts", str(extra_tree))
    assert result.exit_code == 1, result.output
    lines = _lines(result.output)
    assert sorted(lines) == sorted(tenants)  # one line per tenant, failures included
    assert lines[ok_a].startswith("upgraded") and lines[ok_b].startswith("upgraded")
    assert lines[conflicting].startswith("FAILED") and "ix_unit_code" in lines[conflicting]
    assert lines[damaged].startswith("FAILED") and '"unit" does not exist' in lines[damaged]
    assert "4 schemas: 2 upgraded, 2 failed, 0 already current" in result.output

    assert [_version(s) for s in tenants] == ["9001", "9001", tenant_head(), tenant_head()]
    assert _has_column(ok_a, "unit", "code") and _has_column(ok_b, "unit", "code")
    assert not _has_column(conflicting, "unit", "code")


CRASHING_REVISION = '''"""exits in worker processes only

Revision ID: 9002
Revises: 9001
"""
import os
import time

revision = "9002"
down_revision = "9001"
branch_labels = None
depends_on = None


def upgrade():
    if str(os.getpid()) != os.environ["LABINOV_TEST_RUNNER_PID"]:
        os._exit(3)
    time.sleep(0.5)  # leave the worker time to start and take a schema


def downgrade():
    pass
'''


def test_a_dying_worker_costs_one_result_not_the_run(ctx, tenants, extra_tree, database_url,
                                                      monkeypatch):
    (extra_tree / "versions" / "9002_crash.py").write_text(CRASHING_REVISION)
    monkeypatch.setenv("LABINOV_TEST_RUNNER_PID", str(os.getpid()))
    results = migrate_tenants(database_url, tenants, jobs=2, script_location=extra_tree)
    assert sorted(r.schema for r in results) == sorted(tenants)
    failed = [r for r in results if not r.ok]
    assert len(failed) == 1
    assert failed[0].error == "migration worker exited with status 3"
    assert _version(failed[0].schema) == tenant_head()  # its transaction died with it
    assert all(_version(r.schema) == "9002" for r in results if r.ok)


def test_serial_run_reports_schemas_that_cannot_be_upgraded(ctx, tenants, database_url):
    current = tenants[0]
    # Half-built by hand, no version table: upgrading from base collides with `unit`.
    _sql('CREATE SCHEMA "t_9950"; CREATE TABLE "t_9950".unit (id int)')
    # A version table that cannot be read must not hide the other schemas' versions.
    _sql(f'ALTER TABLE "{tenants[1]}".alembic_version RENAME COLUMN version_num TO v')
    results = {r.schema: r for r in migrate_tenants(
        database_url, [current, "t_9950", tenants[1], "t_9951"], jobs=1)}
    assert results[current].ok and not results[current].changed
    assert not results["t_9950"].ok and "already exists" in results["t_9950"].error
    assert not results[tenants[1]].ok and "version_num" in results[tenants[1]].error
    assert not results["t_9951"].ok  # no such schema
    # One transaction per schema: the tables created before the collision are gone.
    assert _sql("SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = relnamespace "
                "WHERE nspname = 't_9950' AND relkind = 'r'") == [("unit",)]


def test_jobs_must_be_positive(cli, tenants):
    result = cli("tenants", "migrate", "--jobs", "0")
    assert result.exit_code == 2
    assert "--jobs" in result.output


TIMED_REVISION = '''"""timed

Revision ID: 9003
Revises: 9001
"""
import time

from alembic import op

revision = "9003"
down_revision = "9001"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("INSERT INTO public.migration_probe "
               "VALUES (current_schema(), clock_timestamp(), NULL)")
    time.sleep(0.6)
    op.execute("UPDATE public.migration_probe SET ended = clock_timestamp() "
               "WHERE schema = current_schema()")


def downgrade():
    pass
'''


def _overlaps(jobs: int, tenants, extra_tree, database_url) -> int:
    """How many pairs of schemas were being upgraded at the same moment in a run of `jobs`."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS public.migration_probe")
        conn.exec_driver_sql("CREATE TABLE public.migration_probe "
                             "(schema text, started timestamptz, ended timestamptz)")
    results = migrate_tenants(database_url, tenants, jobs=jobs, script_location=extra_tree)
    assert all(r.ok for r in results), results
    spans = _sql("SELECT started, ended FROM public.migration_probe")
    assert len(spans) == len(tenants)
    return sum(1 for i, (s1, e1) in enumerate(spans) for s2, e2 in spans[i + 1:]
               if s1 < e2 and s2 < e1)


def test_two_jobs_upgrade_two_schemas_at_once_and_one_job_never(ctx, tenants, extra_tree,
                                                               database_url):
    (extra_tree / "versions" / "9003_timed.py").write_text(TIMED_REVISION)
    assert _overlaps(1, tenants, extra_tree, database_url) == 0
    for schema in tenants:  # back to the tree's head, to run the same revisions again
        _sql(f'UPDATE "{schema}".alembic_version SET version_num = :v', v=tenant_head())
        _sql(f'ALTER TABLE "{schema}".unit DROP COLUMN code')
    assert _overlaps(2, tenants, extra_tree, database_url) >= 1
