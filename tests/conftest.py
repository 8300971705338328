"""Shared fixtures. Everything is real: PostgreSQL, Redis (a private server per run).

`TEST_DATABASE_URL` names a PostgreSQL server (any database on it); each run creates and
drops a database of its own there, so runs may overlap.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tenants.config import Settings
from tenants.db import db

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "correct-horse-battery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


@pytest.fixture(scope="session")
def database_url():
    server = make_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_PG))
    name = f"labinov_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield server.set(database=name).render_as_string(hide_password=False)
    db.session.remove()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A private redis-server, so that parallel runs never share queues."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed (./test installs it)")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", str(workdir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def settings(database_url, redis_url, tmp_path_factory) -> Settings:
    return Settings(env="test", secret_key="test-" + secrets.token_hex(16),
                    database_url=database_url, redis_url=redis_url,
                    storage_dir=str(tmp_path_factory.mktemp("storage")),
                    base_url="http://localhost")


@pytest.fixture(scope="session")
def app(settings):
    from tenants.migrate import upgrade_platform
    from tenants.platform.regions import load_regions
    from web import create_app

    app = create_app(settings)
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    with app.app_context():
        upgrade_platform(db.engine)
        load_regions(db.session)
        db.session.commit()
    return app


PLATFORM_TABLES = ("tenant_event", "membership", "token", "agreement", "audit_entry",
                   "ledger_entry", "tenant", "account")


def reset_database(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        schemas = conn.exec_driver_sql(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%'").scalars().all()
        for schema in schemas:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        conn.exec_driver_sql("TRUNCATE " + ", ".join(f"platform.{t}" for t in PLATFORM_TABLES)
                             + " RESTART IDENTITY CASCADE")


@pytest.fixture
def ctx(app):
    """An application context on a clean database (regions loaded, no tenants, no accounts)."""
    with app.app_context():
        reset_database(db.engine)
        yield app
        db.session.remove()


@pytest.fixture
def client(ctx):
    return ctx.test_client()


@pytest.fixture
def make_tenant(ctx):
    """make_tenant('35.13') -> an active, provisioned tenant (platform row)."""
    from tenants import registry

    def make(code: str, **fields):
        tenant = registry.create_active(db.session, code, **fields)
        db.session.commit()
        return tenant

    return make


@pytest.fixture
def make_user(ctx):
    """make_user(email, platform_role=None, memberships=[(tenant, role, unit_id)])."""
    from tenants.platform.accounts import Membership, User

    def make(email=None, name="Test Person", platform_role=None, memberships=(),
             password=PASSWORD, locale=None):
        user = User(email=email or f"{uuid.uuid4().hex[:10]}@labinov.example", name=name,
                    platform_role=platform_role, locale=locale)
        user.set_password(password)
        db.session.add(user)
        for tenant, role, *unit in memberships:
            db.session.add(Membership(user=user, tenant_id=tenant.id, role=role,
                                      unit_id=unit[0] if unit else None))
        db.session.commit()
        return user

    return make


def sign_in(client, user_or_email, password=PASSWORD, follow=False):
    email = getattr(user_or_email, "email", user_or_email)
    return client.post("/auth/sign-in", data={"email": email, "password": password},
                       follow_redirects=follow)


def text_of(response) -> str:
    """The visible text of an HTML response, whitespace folded."""
    html = response.get_data(as_text=True)
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
