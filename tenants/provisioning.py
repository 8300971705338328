"""Creating, registering and dropping tenant schemas.

A new schema is built from one cached DDL script compiled from the lab models and stamped
with the tenant tree's head, sent in a single round trip: the cost is the DDL itself.
`tests/core/test_provisioning.py` keeps this honest against a schema built by the migrations.
"""

from __future__ import annotations

import sys
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy import MetaData

from tenants.db import NAMING, TenantModel
from tenants.migrate import TENANT_SCRIPTS, tenant_head
from tenants.scope import checked_schema

VERSION_TABLE = (
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
)


class ProvisioningError(RuntimeError):
    pass


def _no_schema(table, to_schema, constraint, referred_schema):
    return sa.schema.BLANK_SCHEMA


def unqualified_tenant_metadata() -> MetaData:
    """A copy of the tenant tables without a schema, for DDL run under a search_path.

    The tables are the ones `tenants.models` declares; whoever builds the app (or runs the
    tenant migrations) imports it first, and this refuses to work from a partial list.
    """
    if "tenants.models" not in sys.modules:
        raise ProvisioningError("import tenants.models before building tenant DDL")
    md = MetaData(naming_convention=NAMING)
    for table in TenantModel.metadata.sorted_tables:
        table.to_metadata(md, schema=None, referred_schema_fn=_no_schema)
    return md


@lru_cache(maxsize=4)
def tenant_ddl(script_location=TENANT_SCRIPTS) -> str:
    """Every statement that builds an empty tenant schema at head, for the search_path."""
    statements: list[str] = []

    def collect(ddl, *multiparams, **params):
        statements.append(str(ddl.compile(dialect=engine.dialect)).strip())

    # `create_all` on a recording engine emits what the models need in dependency order:
    # enum types, tables, indexes, comments, foreign keys added after a cycle.
    engine = sa.create_mock_engine("postgresql+psycopg://", collect)
    unqualified_tenant_metadata().create_all(engine, checkfirst=False)
    statements.append(VERSION_TABLE)
    statements.append(
        f"INSERT INTO alembic_version (version_num) VALUES ('{tenant_head(script_location)}')")
    return ";\n".join(statements) + ";"


def _checked(schema: str) -> str:
    try:
        return checked_schema(schema)
    except ValueError as exc:
        raise ProvisioningError(str(exc)) from exc


def provision_schema(conn: sa.Connection, schema: str) -> None:
    """Create `schema` with every tenant table, inside the caller's transaction."""
    _checked(schema)
    # The driver reads % as a placeholder marker; DDL may hold one (LIKE 'x%' in a CHECK).
    script = tenant_ddl().replace("%", "%%")
    conn.exec_driver_sql(
        f'CREATE SCHEMA "{schema}"; SET LOCAL search_path TO "{schema}";\n{script}')


def schema_exists(conn: sa.Connection, schema: str) -> bool:
    return conn.execute(sa.text("SELECT 1 FROM pg_namespace WHERE nspname = :s"),
                        {"s": schema}).first() is not None


def drop_schema(conn: sa.Connection, schema: str) -> None:
    conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{_checked(schema)}" CASCADE')
