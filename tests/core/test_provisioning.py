"""A provisioned tenant schema must be exactly what the tenant migrations build."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tenants.db import db
from tenants.migrate import tenant_head, upgrade_schema
from tenants.provisioning import ProvisioningError, drop_schema, provision_schema

# Each query yields rows describing one kind of object in schema :s; schema names inside
# definitions are replaced by <schema> so that two schemas can be compared.
CATALOG = {
    "relations": """
        SELECT c.relname, c.relkind, c.relpersistence
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = :s""",
    "columns": """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
               coalesce(co.collname, '')
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_collation co ON co.oid = a.attcollation AND co.collname <> 'default'
        WHERE n.nspname = :s AND a.attnum > 0 AND NOT a.attisdropped
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f')""",
    "constraints": """
        SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid), k.condeferrable
        FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = k.connamespace
        WHERE n.nspname = :s""",
    "indexes": """
        SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = :s""",
    "sequences": """
        SELECT c.relname, format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement,
               q.seqmin, q.seqmax, q.seqcycle,
               coalesce(owner.relname || '.' || a.attname, '')
        FROM pg_sequence q
        JOIN pg_class c ON c.oid = q.seqrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_depend dep ON dep.objid = c.oid AND dep.deptype IN ('a', 'i')
             AND dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
        LEFT JOIN pg_class owner ON owner.oid = dep.refobjid
        LEFT JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
        WHERE n.nspname = :s""",
    "types": """
        SELECT t.typname, t.typtype,
               coalesce((SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                         FROM pg_enum e WHERE e.enumtypid = t.oid), '')
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = :s AND t.typtype IN ('e', 'd', 'c')
          AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid
                          AND c.relkind <> 'c')""",
    "functions": """
        SELECT p.proname, pg_get_function_identity_arguments(p.oid), pg_get_functiondef(p.oid)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = :s""",
    "triggers": """
        SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid)
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = :s AND NOT t.tgisinternal""",
    "views": """
        SELECT viewname, definition FROM pg_views WHERE schemaname = :s""",
    "comments": """
        SELECT c.relname, coalesce(d.objsubid, 0), d.description
        FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE d.classoid = 'pg_class'::regclass AND n.nspname = :s""",
}


def catalog(conn: sa.Connection, schema: str) -> dict[str, set[tuple]]:
    """Everything PostgreSQL knows about the objects in `schema`, schema name normalised."""

    def norm(value):
        return value.replace(f'"{schema}".', "<schema>.").replace(
            f"{schema}.", "<schema>.") if isinstance(value, str) else value

    # Definitions print names unqualified when their schema is on the search_path.
    conn.exec_driver_sql("SET LOCAL search_path TO pg_catalog")
    snapshot = {kind: {tuple(norm(v) for v in row)
                       for row in conn.execute(sa.text(sql), {"s": schema})}
                for kind, sql in CATALOG.items()}
    has_version = ("alembic_version", "r", "p") in snapshot["relations"]
    snapshot["version"] = set(conn.exec_driver_sql(
        f'SELECT version_num FROM "{schema}".alembic_version').all()) if has_version else set()
    return snapshot


def catalog_diff(left: dict, right: dict) -> list[str]:
    """Human-readable differences; empty when both catalogs are the same."""
    lines = []
    for kind in sorted(left.keys() | right.keys()):
        a, b = left.get(kind, set()), right.get(kind, set())
        lines += [f"{kind}: only provisioned: {row}" for row in sorted(a - b, key=repr)]
        lines += [f"{kind}: only migrated: {row}" for row in sorted(b - a, key=repr)]
    return lines


def _build(conn: sa.Connection) -> tuple[dict, dict]:
    provision_schema(conn, "t_9901")
    conn.exec_driver_sql('CREATE SCHEMA "t_9902"')
    before, after = upgrade_schema(conn, "t_9902")  # every migration, from base
    assert (before, after) == (None, tenant_head())
    return catalog(conn, "t_9901"), catalog(conn, "t_9902")


def test_provisioned_schema_equals_migrated_schema(ctx):
    with db.engine.begin() as conn:
        provisioned, migrated = _build(conn)
        conn.rollback()
    assert provisioned["version"] == {(tenant_head(),)}
    assert {row[0] for row in provisioned["relations"]} >= {
        "unit", "person", "audit_entry", "alembic_version"}
    assert sum(len(rows) for rows in provisioned.values()) > 50  # the snapshot sees a lot
    assert catalog_diff(provisioned, migrated) == []


@pytest.mark.parametrize("drift", [
    "ALTER TABLE t_9901.unit ADD COLUMN note text",
    "ALTER TABLE t_9901.person ALTER COLUMN position TYPE varchar(200)",
    "ALTER TABLE t_9901.person ALTER COLUMN email SET NOT NULL",
    "ALTER TABLE t_9901.unit ALTER COLUMN created_at SET DEFAULT statement_timestamp()",
    "ALTER TABLE t_9901.unit DROP CONSTRAINT ck_unit_kind, ADD CONSTRAINT ck_unit_kind "
    "CHECK (kind IN ('opd', 'puskesmas'))",
    "ALTER TABLE t_9901.person DROP CONSTRAINT fk_person_unit_id_unit, ADD CONSTRAINT "
    "fk_person_unit_id_unit FOREIGN KEY (unit_id) REFERENCES t_9901.unit (id) ON DELETE CASCADE",
    "CREATE INDEX ix_unit_short_name ON t_9901.unit (short_name)",
    "DROP INDEX t_9901.ix_unit_kind; CREATE INDEX ix_unit_kind ON t_9901.unit (kind, name)",
    "CREATE TYPE t_9901.stage AS ENUM ('drum-up', 'diagnose')",
    "CREATE VIEW t_9901.opd AS SELECT * FROM t_9901.unit WHERE kind = 'opd'",
    "UPDATE t_9901.alembic_version SET version_num = 'other'",
])
def test_the_comparison_catches_drift(ctx, drift):
    with db.engine.begin() as conn:
        provision_schema(conn, "t_9901")
        conn.exec_driver_sql('CREATE SCHEMA "t_9902"')
        upgrade_schema(conn, "t_9902")
        assert catalog_diff(catalog(conn, "t_9901"), catalog(conn, "t_9902")) == []
        conn.exec_driver_sql(drift)
        diff = catalog_diff(catalog(conn, "t_9901"), catalog(conn, "t_9902"))
        conn.rollback()
    assert diff, drift
    assert all("only provisioned" in line or "only migrated" in line for line in diff)


def test_provisioning_is_one_transaction(ctx):
    with db.engine.begin() as conn:
        provision_schema(conn, "t_9903")
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT to_regclass('t_9903.person')")).scalar()
        # SET LOCAL: the search_path used for the DDL ended with its transaction.
        assert conn.exec_driver_sql("SHOW search_path").scalar() == '"$user", public'
    with db.engine.begin() as conn:
        drop_schema(conn, "t_9903")
    with pytest.raises(sa.exc.ProgrammingError), db.engine.begin() as conn:
        provision_schema(conn, "t_9904")
        provision_schema(conn, "t_9904")  # the schema exists already: all of it rolls back
    with db.engine.connect() as conn:
        for schema in ("t_9903", "t_9904"):
            assert conn.execute(sa.text("SELECT to_regnamespace(:s)"), {"s": schema}).scalar() \
                is None


def test_provisioning_sends_percent_signs_as_they_are(ctx, monkeypatch):
    ddl = "CREATE TABLE note (code text CONSTRAINT ck_note_code CHECK (code LIKE 'N-%'))"
    monkeypatch.setattr("tenants.provisioning.tenant_ddl", lambda: ddl)
    with db.engine.begin() as conn:
        provision_schema(conn, "t_9905")
        definition = conn.execute(sa.text(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'ck_note_code'"
        )).scalar()
        conn.rollback()
    assert definition == "CHECK ((code ~~ 'N-%'::text))"


@pytest.mark.parametrize("name", ["public", "platform", "t_x; DROP SCHEMA platform", "T_3513"])
def test_provisioning_refuses_names_that_are_not_tenant_schemas(ctx, name):
    with db.engine.begin() as conn, pytest.raises(ProvisioningError):
        provision_schema(conn, name)
