"""Labinov behind a real PgBouncer (Debian's package) in transaction mode, configured from
infra/pgbouncer/pgbouncer.ini with a small server pool so that clients share server
connections: the tenancy isolation under many threads, pooled connections checked clean,
the migration runner, and a walk through the real gunicorn app."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from fixtures.app import PASSWORD
from fixtures.services import LABINOV, ROOT, free_port, wait_for_port
from ops.browsing import Browser
from tenants.db import db
from tenants.migrate import migrate_tenants, tenant_head
from tenants.scope import tenant_scope, tenant_session
from tenants.units.models import Person, Unit
from web import create_app

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
SERVER_POOL = 3  # server connections: far fewer than the clients below
GUNICORN = Path(LABINOV).with_name("gunicorn")
UNITS = ("Dinas Kesehatan", "Puskesmas Kraksaan", "Kecamatan Paiton")


@pytest.fixture(scope="module")
def bouncer(database_url):
    """pgbouncer on a free port in front of the test database; its SQLAlchemy URL."""
    if not Path(PGBOUNCER).exists():
        pytest.fail("pgbouncer is not installed (infra/bootstrap.sh --dev installs it)")
    server = make_url(database_url)
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="labinov-pgbouncer-"))
    work.chmod(0o777)  # pgbouncer refuses to run as root: it runs as nobody when we are
    ini = (ROOT / "infra" / "pgbouncer" / "pgbouncer.ini").read_text()
    ini = re.sub(r"(?m)^labinov = .*$", f"labinov = host={server.host} port={server.port} "
                 f"dbname={server.database}", ini)
    for key, value in {"listen_port": port, "unix_socket_dir": "", "auth_type": "trust",
                       "auth_file": work / "users.txt", "logfile": work / "pgbouncer.log",
                       "pidfile": work / "pgbouncer.pid", "default_pool_size": SERVER_POOL,
                       "min_pool_size": 0, "reserve_pool_size": 0,
                       "max_db_connections": SERVER_POOL}.items():
        ini, found = re.subn(rf"(?m)^{key} =.*$", f"{key} = {value}", ini)
        assert found == 1, key
    assert "pool_mode = transaction" in ini
    (work / "pgbouncer.ini").write_text(ini)
    (work / "users.txt").write_text(f'"{server.username}" ""\n')
    for path in work.iterdir():
        path.chmod(0o644)
    command = [PGBOUNCER, str(work / "pgbouncer.ini")]
    if os.geteuid() == 0:
        command[1:1] = ["-u", "nobody"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port)
    yield server.set(port=port, database="labinov").render_as_string(hide_password=False)
    proc.terminate()
    proc.wait(timeout=10)
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture
def bounced_app(settings, bouncer, ctx):
    app = create_app(replace(settings, database_url=bouncer, db_prepared_statements=False))
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def two_tenants(make_tenant):
    a, b = make_tenant("35.13").ref(), make_tenant("35.74").ref()
    db.session.close()
    for tenant, label in ((a, "A"), (b, "B")):
        with tenant_session(tenant) as session:
            units = [Unit(name=f"{label}: {name}", kind="opd") for name in UNITS]
            session.add_all(units)
            session.flush()
            session.add_all(Person(unit_id=u.id, name=f"{label} {u.id}") for u in units)
            session.commit()
    return a, b


def test_tenants_never_read_each_other_through_pgbouncer(bounced_app, two_tenants):
    a, b = two_tenants
    label = {a.schema: "A: ", b.schema: "B: "}
    threads, iterations = 12, 60
    errors: list[BaseException] = []
    cross = []
    start = threading.Barrier(threads)

    def worker(n: int) -> None:
        rnd = random.Random(n)
        try:
            with bounced_app.app_context():
                start.wait()
                for i in range(iterations):
                    tenant = (a, b)[(n + i) % 2]
                    with tenant_scope(tenant) as session:
                        names = list(session.scalars(sa.select(Unit.name)))
                        time.sleep(rnd.random() / 500)
                        names.append(session.get(Unit, 1).name)
                        session.commit()  # the next transaction may get another server
                        names += session.execute(sa.text("SELECT name FROM unit")).scalars()
                        names += [p.unit.name for p in session.scalars(sa.select(Person))]
                        if session.scalar(sa.text("SELECT current_schema()")) != tenant.schema:
                            cross.append(("schema", tenant.schema))
                        cross.extend(name for name in names
                                     if not name.startswith(label[tenant.schema]))
                db.session.remove()
        except BaseException as exc:
            errors.append(exc)

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == [] and cross == []

    # Every server connection PgBouncer hands out afterwards is clean: no tenant
    # search_path, no prepared statement, no lock or setting left behind.
    with bounced_app.app_context():
        engine = db.engine
        seen = set()
        for _ in range(4 * SERVER_POOL):
            with engine.connect() as conn:
                pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
                seen.add(pid)
                assert "t_" not in conn.exec_driver_sql("SHOW search_path").scalar()
                assert conn.exec_driver_sql(
                    "SELECT count(*) FROM pg_prepared_statements").scalar() == 0
                assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == "0"
                assert conn.exec_driver_sql(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").scalar() == 0
        assert 1 <= len(seen) <= SERVER_POOL


def test_prepared_statements_follow_the_setting(settings, ctx):
    """psycopg prepares a statement run often enough, unless DB_PREPARED_STATEMENTS=0 says
    otherwise: the setting is what keeps a pooled server connection free of them."""
    for prepared, expect_some in ((True, True), (False, False)):
        app = create_app(replace(settings, db_prepared_statements=prepared))
        with app.app_context(), db.engine.connect() as conn:
            for _ in range(10):
                conn.execute(sa.text("SELECT count(*) FROM platform.regency WHERE code > :c"),
                             {"c": "1"})
            count = conn.exec_driver_sql(
                "SELECT count(*) FROM pg_prepared_statements").scalar()
            assert (count > 0) is expect_some, (prepared, count)
        with app.app_context():
            db.engine.dispose()


def test_the_migration_runner_works_through_pgbouncer(bouncer, ctx):
    """A schema built from nothing by every tenant migration, one transaction, pooled."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql('CREATE SCHEMA "t_pooled"')
    results = migrate_tenants(bouncer, ["t_pooled"], jobs=2,
                              connect_args={"prepare_threshold": None})
    assert [r.ok for r in results] == [True], results[0].error
    assert (results[0].before, results[0].after) == (None, tenant_head())


def test_a_walk_through_the_real_app_behind_pgbouncer(bouncer, service_env, world):
    port = free_port()
    env = {**service_env, "DATABASE_URL": bouncer, "DB_PREPARED_STATEMENTS": "0",
           "HOST": "127.0.0.1", "PORT": str(port), "WEB_WORKERS": "2",
           "BASE_URL": f"http://127.0.0.1:{port}"}
    with tempfile.TemporaryFile() as log:
        app = subprocess.Popen([str(GUNICORN), "--config", "infra/gunicorn.conf.py",
                                "web:create_app()"], env=env, cwd=ROOT, stdout=log,
                               stderr=subprocess.STDOUT)
        try:
            wait_for_port(port, 30)
            base = f"http://127.0.0.1:{port}"
            slug = world.a.slug
            admin = Browser(base)
            admin.get("/auth/sign-in")
            status, page = admin.post("/auth/sign-in", {
                "email": world.users["bappeda_a"].email, "password": PASSWORD})
            assert status == 200 and world.a.name in page
            admin.get(f"/{slug}/units/new")
            status, page = admin.post(f"/{slug}/units/new", {
                "name": "Dinas Perikanan", "kind": "opd", "short_name": "Diskan"})
            assert status == 200 and "Dinas Perikanan" in page
            paths = [f"/{slug}/", f"/{slug}/units/", f"/{slug}/ideas/", f"/{slug}/people/",
                     f"/{slug}/audit", "/account/", "/readyz"]
            failures: list[str] = []

            def walk(n: int) -> None:
                for i in range(12):  # past psycopg's prepare threshold, many times over
                    path = paths[(n + i) % len(paths)]
                    try:
                        status, html = admin.get(path)
                        if status != 200 or "Ratna Dewi" in html:  # B's person
                            failures.append(f"{path}: {status}")
                    except Exception as exc:
                        failures.append(f"{path}: {exc}")

            pool = [threading.Thread(target=walk, args=(n,)) for n in range(8)]
            for t in pool:
                t.start()
            for t in pool:
                t.join()
            assert failures == []
        finally:
            app.terminate()
            app.wait(timeout=15)
            log.seek(0)
            output = log.read().decode(errors="replace")
        assert "prepared statement" not in output and "Traceback" not in output, output
