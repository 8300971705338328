"""/healthz and /readyz: unauthenticated, cheap, nothing but ok / fail per check, answered
before the app's session, sign-in, HTTPS and host-name machinery."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import sqlalchemy as sa

from fixtures.services import free_port
from tenants.db import db
from tenants.migrate import migrate_tenants, tenant_head
from tenants.registry import Tenant
from web import create_app

CHECKS = {"database", "migrations", "redis", "storage"}


def _json(response):
    return json.loads(response.get_data(as_text=True))


def test_healthz_says_alive_and_sets_no_cookie(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and _json(response) == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert client.post("/healthz").status_code == 405


def test_readyz_is_ok_with_every_service_up_and_tenants_at_head(client, make_tenant):
    make_tenant("35.13")
    make_tenant("35.23")
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_data(as_text=True)
    body = _json(response)
    assert body == {"status": "ok", "checks": dict.fromkeys(CHECKS, "ok")}
    assert "Set-Cookie" not in response.headers


def test_readyz_costs_the_same_few_statements_whatever_the_number_of_tenants(
        app, client, make_tenant):
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        client.get("/readyz")
        few = list(statements)
        for code in ("35.13", "35.23", "35.74", "35.07"):
            make_tenant(code)
        statements.clear()
        assert client.get("/readyz").status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == len(few) <= 2, statements
    assert not any('"t_' in s or "t_35" in s for s in statements)  # no tenant schema read


def test_a_tenant_schema_behind_the_head_makes_readyz_fail_and_migrate_heals_it(
        client, make_tenant, settings):
    tenant = make_tenant("35.13")
    tenant.schema_version = "0001"  # as a schema that missed the last migration says
    db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert _json(response) == {"status": "fail", "checks": {
        "database": "ok", "migrations": "fail", "redis": "ok", "storage": "ok"}}
    # The runner reads the schemas' own version tables and puts the mirror right.
    migrate_tenants(settings.database_url, [tenant.schema_name], jobs=1)
    db.session.expire_all()
    assert db.session.get(Tenant, tenant.id).schema_version == tenant_head()
    assert client.get("/readyz").status_code == 200


def _readyz(settings, **changes):
    app = create_app(replace(settings, **changes))
    app.config.update(TESTING=True)
    return app.test_client().get("/readyz")


@pytest.mark.parametrize(("changes", "failing"), [
    ({"redis_url": "redis://127.0.0.1:{port}/0"}, {"redis"}),
    ({"database_url": "postgresql+psycopg://nobody@127.0.0.1:{port}/nothing"},
     {"database", "migrations"}),
    ({"s3_bucket": "no-such-bucket"}, {"storage"}),
])
def test_readyz_names_the_check_that_fails_and_nothing_else(ctx, settings, changes, failing):
    port = free_port()  # nothing listens there
    changes = {k: v.format(port=port) for k, v in changes.items()}
    response = _readyz(settings, **changes)
    assert response.status_code == 503
    body = _json(response)
    assert body["status"] == "fail"
    assert body["checks"] == {c: "fail" if c in failing else "ok" for c in CHECKS}
    text = response.get_data(as_text=True)
    # Nothing about the deployment: no address, port, bucket, error or version.
    assert str(port) not in text and "bucket" not in text and "Error" not in text


def test_probes_need_no_https_and_no_public_host_name_in_production(settings, ctx):
    production = create_app(replace(settings, env="production",
                                    base_url="https://labinov.example",
                                    secret_key="p" * 48))
    probe = production.test_client()
    # A load balancer calls the machine's address over plain HTTP.
    for path in ("/healthz", "/readyz"):
        response = probe.get(path, base_url="http://10.0.0.5:5000")
        assert response.status_code == 200, (path, response.status_code)
        assert "Set-Cookie" not in response.headers
    # Every other address still gets the production treatment.
    assert probe.get("/", base_url="http://10.0.0.5:5000").status_code == 400
    assert probe.get("/", base_url="http://labinov.example").status_code == 302
