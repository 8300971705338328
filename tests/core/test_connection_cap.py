"""A pooled connection is replaced once it has served DB_CONNECTION_MAX_TENANTS tenant
schemas: each PostgreSQL backend keeps the catalog of every schema it has served
(bench/backend_memory.py measures it)."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa

from tenants.config import ConfigError, Settings
from tenants.db import SERVED_KEY, db
from tenants.scope import tenant_session
from web import create_app


def _backends(app, tenants) -> list[int]:
    """The backend pid that served each tenant in turn (one request after another)."""
    pids = []
    with app.app_context():
        for tenant in tenants:
            with tenant_session(tenant.ref()) as session:
                pids.append(session.scalar(sa.text("SELECT pg_backend_pid()")))
        db.engine.dispose()
    return pids


def test_a_connection_is_replaced_after_serving_the_cap(world, settings):
    capped = create_app(replace(settings, db_connection_max_tenants=2))
    a, b = world.a, world.b
    pids = _backends(capped, [a, b, a, a, b])
    # a and b on the first backend; it has served two, so the next checkout is a new one.
    assert pids[0] == pids[1] != pids[2]
    assert pids[2] == pids[3] == pids[4]  # the new one has served a and b again only now


def test_no_cap_keeps_the_connection(world, settings):
    free = create_app(replace(settings, db_connection_max_tenants=0))
    assert len(set(_backends(free, [world.a, world.b, world.a, world.b]))) == 1


def test_the_connection_remembers_its_tenants(world, app):
    with app.app_context(), tenant_session(world.a.ref()) as session:
        session.scalar(sa.text("SELECT 1"))
        assert world.a.schema_name in session.connection().info[SERVED_KEY]


def test_the_default_and_the_setting(monkeypatch):
    assert Settings().db_connection_max_tenants == 100
    monkeypatch.setenv("DB_CONNECTION_MAX_TENANTS", "250")
    assert Settings.from_env().db_connection_max_tenants == 250
    monkeypatch.setenv("DB_CONNECTION_MAX_TENANTS", "-1")
    with pytest.raises(ConfigError):
        Settings.from_env()
