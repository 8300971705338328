"""The tenant scope against real PostgreSQL: no cross reads, no leaks, no mixing."""

from __future__ import annotations

import random
import threading
import time

import pytest
import sqlalchemy as sa
from flask import Flask

from tenants.db import OutsideTenantScope, TenantMixError, db
from tenants.scope import current_tenant, tenant_scope, tenant_session
from tenants.units.models import Person, Unit

UNITS = ("Dinas Kesehatan", "Puskesmas Kraksaan", "Kecamatan Paiton", "RSUD Waluyo Jati")


def _seed(tenant, label: str) -> list[int]:
    """The same unit ids in every tenant, with names that say whose they are."""
    with tenant_session(tenant) as session:
        units = [Unit(name=f"{label}: {name}", kind="opd") for name in UNITS]
        session.add_all(units)
        session.flush()
        session.add_all(Person(unit_id=u.id, name=f"{label} person {u.id}") for u in units)
        session.commit()
        return [u.id for u in units]


@pytest.fixture
def two_tenants(make_tenant):
    a, b = make_tenant("35.13").ref(), make_tenant("35.74").ref()
    db.session.close()  # a tenant scope starts on a Session with no transaction yet
    ids_a, ids_b = _seed(a, "A"), _seed(b, "B")
    assert ids_a == ids_b  # identical primary keys, so only the schema tells them apart
    return a, b


def test_threads_interleaving_tenants_never_read_each_other(ctx, two_tenants):
    a, b = two_tenants
    label = {a.schema: "A", b.schema: "B"}
    threads, iterations = 16, 200
    counts = {"reads": 0, "cross": 0}
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def check(tenant, names, reads, cross):
        own = label[tenant.schema] + ": "
        for name in names:
            reads += 1
            if not name.startswith(own):
                cross += 1
        return reads, cross

    def worker(n: int) -> None:
        rnd = random.Random(n)
        reads = cross = 0
        try:
            with ctx.app_context():  # each thread: its own app context, so its own Session
                start.wait()
                for i in range(iterations):
                    tenant = (a, b)[(n + i) % 2]
                    with tenant_scope(tenant) as session:
                        time.sleep(rnd.random() / 1000)
                        names = session.scalars(sa.select(Unit.name)).all()
                        time.sleep(rnd.random() / 1000)
                        # The identity map must not hand out the other tenant's unit 1.
                        names.append(session.get(Unit, 1).name)
                        names += [p.unit.name for p in session.scalars(sa.select(Person))]
                        session.commit()  # a second transaction inside the same scope
                        names += session.execute(sa.text("SELECT name FROM unit")).scalars()
                        if session.scalar(sa.text("SELECT current_schema()")) != tenant.schema:
                            cross += 1
                        reads, cross = check(tenant, names, reads, cross)
                    if current_tenant() is not None:
                        cross += 1
                db.session.remove()
        except BaseException as exc:  # reported below
            errors.append(exc)
        with lock:
            counts["reads"] += reads
            counts["cross"] += cross

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    per_scope = 2 * len(UNITS) + 1  # ORM names, people's units, raw text names, get()
    assert counts["reads"] == threads * iterations * (per_scope + len(UNITS))
    assert counts["cross"] == 0


def test_tenant_model_outside_a_scope_raises(ctx, two_tenants):
    with pytest.raises(OutsideTenantScope):
        db.session.scalars(sa.select(Unit)).all()
    db.session.rollback()
    with pytest.raises(OutsideTenantScope):
        db.session.get(Person, 1)
    db.session.rollback()
    with pytest.raises(OutsideTenantScope):
        db.session.execute(sa.select(sa.func.count()).select_from(Person))
    db.session.rollback()
    with pytest.raises(OutsideTenantScope):
        db.session.execute(sa.select(Unit.__table__.c.name))
    db.session.rollback()
    with pytest.raises(OutsideTenantScope):
        db.session.execute(sa.update(Unit).values(name="x"))
    db.session.rollback()
    db.session.add(Unit(name="orphan", kind="opd"))
    with pytest.raises(OutsideTenantScope):
        db.session.flush()
    db.session.rollback()
    # Below the ORM, the database refuses too: no tenant table exists outside tenant schemas.
    with pytest.raises(sa.exc.ProgrammingError, match='relation "unit" does not exist'):
        db.session.execute(sa.text("SELECT name FROM unit"))
    db.session.rollback()
    with db.engine.connect() as conn, pytest.raises(sa.exc.ProgrammingError):
        conn.execute(sa.select(Unit.__table__))


@pytest.fixture
def one_connection_app(ctx, database_url):
    """An app whose pool holds exactly one connection, so the next checkout is the same one."""
    app = Flask("one_connection")
    app.config.update(SQLALCHEMY_DATABASE_URI=database_url,
                      SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0})
    db.init_app(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _backend(conn) -> tuple[int, int, str]:
    return (conn.exec_driver_sql("SELECT pg_backend_pid()").scalar(),
            id(conn.connection.dbapi_connection),
            conn.exec_driver_sql("SHOW search_path").scalar())


def test_connection_back_in_the_pool_has_no_tenant_search_path(one_connection_app,
                                                               two_tenants):
    a, _b = two_tenants
    with one_connection_app.app_context():
        with db.engine.connect() as conn:
            pid, dbapi_id, default_path = _backend(conn)
        assert "t_" not in default_path

        with tenant_scope(a) as session:
            session.scalars(sa.select(Unit)).all()
            inside = _backend(session.connection())
            session.commit()
            session.scalars(sa.select(Unit)).all()  # a second transaction, same scope
        assert inside == (pid, dbapi_id, a.schema)
        with db.engine.connect() as conn:
            assert _backend(conn) == (pid, dbapi_id, default_path)

        # A scope left by an exception rolls back and leaves the connection clean as well.
        with pytest.raises(ZeroDivisionError), tenant_scope(a) as session:
            session.scalars(sa.select(Unit)).all()
            1 / 0  # noqa: B018
        with db.engine.connect() as conn:
            assert _backend(conn) == (pid, dbapi_id, default_path)

        # Control: the pool does not reset session settings by itself, so the clean state
        # above comes from SET LOCAL, and a committed session-level SET would be caught.
        with db.engine.connect() as conn:
            conn.exec_driver_sql(f'SET search_path TO "{a.schema}"')
            conn.commit()
        with db.engine.connect() as conn:
            assert _backend(conn) == (pid, dbapi_id, a.schema)
            conn.exec_driver_sql("RESET search_path")


def test_mixing_two_tenants_in_one_session_raises(ctx, two_tenants):
    a, b = two_tenants
    with tenant_scope(a) as session:
        assert session.get(Unit, 1).name.startswith("A: ")
        with tenant_scope(a) as same:  # re-entering the same tenant is harmless
            assert same is session
        with pytest.raises(TenantMixError), tenant_scope(b):
            pass
        assert current_tenant(session) == a  # still bound to A, still reading A
        assert session.get(Unit, 2).name.startswith("A: ")
    with tenant_session(a) as session_a, tenant_session(b) as session_b:
        unit = session_a.get(Unit, 1)
        with pytest.raises(sa.exc.InvalidRequestError):
            session_b.add(unit)  # an object belongs to the Session (and tenant) that loaded it


def test_entering_a_scope_after_the_session_began_raises(ctx, two_tenants):
    a, _b = two_tenants
    db.session.execute(sa.text("SELECT 1"))
    with pytest.raises(TenantMixError, match="before the session begins"), tenant_scope(a):
        pass
    assert current_tenant() is None
    db.session.rollback()
    with tenant_scope(a) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Unit)) == len(UNITS)


def test_writes_go_to_the_scope_schema(ctx, two_tenants):
    a, b = two_tenants
    with tenant_scope(b) as session:
        unit = Unit(name="B: Kelurahan Sukabumi", kind="kelurahan")
        session.add(unit)
        session.flush()
        session.add(Person(unit_id=unit.id, name="Ibu Sari"))
        session.commit()
        new_id = unit.id
    with tenant_scope(a) as session:
        session.add(Unit(name="A: Desa Sumberanyar", kind="desa"))
        session.commit()
    with db.engine.connect() as conn:
        names = {s: set(conn.exec_driver_sql(f'SELECT name FROM "{s}".unit').scalars())
                 for s in (a.schema, b.schema)}
        people_b = conn.exec_driver_sql(
            f'SELECT unit_id FROM "{b.schema}".person WHERE name = %s', ("Ibu Sari",)).scalar()
        people_a = conn.exec_driver_sql(
            f'SELECT count(*) FROM "{a.schema}".person WHERE name = %s', ("Ibu Sari",)).scalar()
    assert "B: Kelurahan Sukabumi" in names[b.schema]
    assert "B: Kelurahan Sukabumi" not in names[a.schema]
    assert "A: Desa Sumberanyar" in names[a.schema]
    assert "A: Desa Sumberanyar" not in names[b.schema]
    assert people_b == new_id and people_a == 0
