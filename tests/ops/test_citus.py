"""The tenant tree fits Citus schema-based sharding (infra/citus.md): each tenant schema can
become a distributed schema, placed whole on one worker node, with the platform schema's
tables as reference tables. Checked on a real provisioned tenant schema's catalog; Citus
itself is not installed here, so this is the checklist, not a Citus run."""

from __future__ import annotations

import sqlalchemy as sa

from tenants.db import PLATFORM_SCHEMA, TenantModel, db

# Tables from before the rule "new tables get bigint ids". They are small per tenant
# (units, people, the lab's log); a Citus move would convert them first (infra/citus.md).
INTEGER_IDS = {"audit_entry", "unit", "person"}


def _schema(make_tenant) -> str:
    return make_tenant("35.13").schema_name


def test_no_foreign_key_crosses_a_schema(make_tenant):
    schema = _schema(make_tenant)
    crossing = db.session.execute(sa.text(
        "SELECT c.conname, src.nspname, dst.nspname FROM pg_constraint c "
        "JOIN pg_class s ON s.oid = c.conrelid JOIN pg_namespace src ON src.oid = s.relnamespace "
        "JOIN pg_class d ON d.oid = c.confrelid JOIN pg_namespace dst ON dst.oid = d.relnamespace "
        "WHERE c.contype = 'f' AND src.nspname <> dst.nspname "
        "AND (src.nspname = :s OR dst.nspname = :s)"), {"s": schema}).all()
    assert crossing == [], f"foreign keys between schemas: {crossing}"
    # And in the models: no tenant table names a platform table.
    for table in TenantModel.metadata.sorted_tables:
        for fk in table.foreign_keys:
            assert fk.column.table.schema != PLATFORM_SCHEMA, f"{table.name}: {fk.target_fullname}"


def test_tenant_objects_depend_on_nothing_outside_their_schema(make_tenant):
    """Column types, defaults (sequences) and indexes stay in the schema or pg_catalog, so
    the schema moves to a node whole."""
    schema = _schema(make_tenant)
    foreign_types = db.session.execute(sa.text(
        "SELECT c.relname, a.attname, tn.nspname FROM pg_attribute a "
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace "
        "WHERE n.nspname = :s AND a.attnum > 0 AND NOT a.attisdropped "
        "AND tn.nspname NOT IN (:s, 'pg_catalog')"), {"s": schema}).all()
    assert foreign_types == []
    defaults = db.session.execute(sa.text(
        "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d "
        "JOIN pg_class c ON c.oid = d.adrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = :s"), {"s": schema}).scalars().all()
    for default in defaults:
        assert "platform." not in default and "public." not in default, default


def test_no_inheritance_rules_triggers_or_foreign_tables(make_tenant):
    schema = _schema(make_tenant)
    params = {"s": schema}
    assert db.session.execute(sa.text(
        "SELECT i.inhrelid::regclass FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :s"), params).all() == []
    assert db.session.execute(sa.text(
        "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n "
        "ON n.oid = c.relnamespace WHERE n.nspname = :s AND c.relkind NOT IN "
        "('r', 'i', 'S')"), params).all() == []  # tables, indexes, sequences only
    assert db.session.execute(sa.text(
        "SELECT r.rulename FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :s"), params).all() == []
    assert db.session.execute(sa.text(
        "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :s "
        "AND NOT t.tgisinternal"), params).all() == []
    unlogged = db.session.execute(sa.text(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = :s AND c.relpersistence <> 'p'"), params).all()
    assert unlogged == []


def test_ids_are_big_integers_but_for_the_known_older_tables(make_tenant):
    schema = _schema(make_tenant)
    rows = db.session.execute(sa.text(
        "SELECT c.relname, format_type(a.atttypid, a.atttypmod) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indisprimary AND n.nspname = :s AND a.attname = 'id'"), {"s": schema}).all()
    integer = {table for table, kind in rows if kind != "bigint"}
    assert rows, "no id columns found"
    assert integer <= INTEGER_IDS, (
        f"new tenant tables must use BigInteger ids (Citus sequences): {integer - INTEGER_IDS}")
    # The list only shrinks: a table converted to bigint leaves it.
    assert integer >= INTEGER_IDS, f"now bigint, remove from INTEGER_IDS: {INTEGER_IDS - integer}"
