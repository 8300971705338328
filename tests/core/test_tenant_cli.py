"""`labinov tenants create | list | suspend | reactivate | archive | drop`."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tenants.accounts.models import Membership
from tenants.cli import db_cli, tenants_cli
from tenants.db import db
from tenants.registry import Tenant, TenantEvent


@pytest.fixture
def cli(ctx):
    for group in (db_cli, tenants_cli):
        if group.name not in ctx.cli.commands:
            ctx.cli.add_command(group)
    runner = ctx.test_cli_runner()

    def invoke(*args, **kw):
        result = runner.invoke(args=["tenants", *args], **kw)
        db.session.remove()  # read what the command committed, not a stale identity map
        return result

    return invoke


def _schema_exists(name: str) -> bool:
    with db.engine.connect() as conn:
        return conn.execute(sa.text("SELECT to_regnamespace(:s)"), {"s": name}).scalar() \
            is not None


def _status(slug: str) -> str | None:
    return db.session.scalar(sa.select(Tenant.status).where(Tenant.slug == slug))


def test_create_provisions_an_active_tenant(cli):
    result = cli("create", "35.13")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("created kab-probolinggo (t_3513) in ")
    assert _status("kab-probolinggo") == "active"
    assert _schema_exists("t_3513")
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "kab-probolinggo"))
    assert tenant.provisioned_at is not None and tenant.timezone == "Asia/Jakarta"
    assert [e.to_status for e in tenant.events] == ["active"]

    again = cli("create", "35.13")
    assert again.exit_code == 1
    assert "already has a tenant" in again.output
    unknown = cli("create", "99.99")
    assert unknown.exit_code == 1
    assert "unknown regency code 99.99" in unknown.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Tenant)) == 1


def test_create_takes_the_locale_and_province_time_zone(cli):
    result = cli("create", "71.71", "--locale", "en")  # Kota Manado, WITA
    assert result.exit_code == 0, result.output
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.regency_code == "71.71"))
    assert (tenant.default_locale, tenant.timezone) == ("en", "Asia/Makassar")
    assert cli("create", "35.23", "--locale", "fr").exit_code == 2


def test_list_shows_every_tenant_with_schema_and_state(cli):
    assert cli("create", "35.74").exit_code == 0
    assert cli("create", "35.13").exit_code == 0
    assert cli("suspend", "kota-probolinggo").exit_code == 0
    result = cli("list")
    assert result.exit_code == 0
    rows = [line.split() for line in result.output.splitlines()]
    assert rows == [
        ["35.13", "kab-probolinggo", "t_3513", "active", "Asia/Jakarta"],
        ["35.74", "kota-probolinggo", "t_3574", "suspended", "Asia/Jakarta"],
    ]


def test_lifecycle_transitions_and_their_history(cli):
    assert cli("create", "35.23").exit_code == 0
    slug = "kab-tuban"
    assert cli("suspend", slug).output == f"{slug} is suspended\n"
    assert _status(slug) == "suspended"
    refused = cli("suspend", slug)
    assert refused.exit_code == 1 and "cannot become suspended" in refused.output
    assert cli("reactivate", slug).output == f"{slug} is active\n"
    assert cli("archive", slug).exit_code == 0
    assert _status(slug) == "archived"
    stuck = cli("reactivate", slug)
    assert stuck.exit_code == 1 and "is archived; cannot become active" in stuck.output
    assert _schema_exists("t_3523")  # archiving keeps the data
    history = db.session.execute(
        sa.select(TenantEvent.from_status, TenantEvent.to_status).order_by(TenantEvent.id)).all()
    assert history == [("draft", "active"), ("active", "suspended"), ("suspended", "active"),
                       ("active", "archived")]
    assert cli("suspend", "kab-nowhere").exit_code == 1


def test_drop_refuses_an_active_tenant(cli):
    assert cli("create", "35.13").exit_code == 0
    result = cli("drop", "kab-probolinggo", "--yes")
    assert result.exit_code == 1
    assert "is active; suspend or archive it first" in result.output
    assert _schema_exists("t_3513") and _status("kab-probolinggo") == "active"


def test_drop_asks_first_and_keeps_everything_on_no(cli):
    assert cli("create", "35.13").exit_code == 0
    assert cli("suspend", "kab-probolinggo").exit_code == 0
    result = cli("drop", "kab-probolinggo", input="n\n")
    assert "Drop kab-probolinggo and every row in t_3513?" in result.output
    assert result.exit_code == 1  # aborted
    assert _schema_exists("t_3513") and _status("kab-probolinggo") == "suspended"

    result = cli("drop", "kab-probolinggo", input="y\n")
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("dropped kab-probolinggo")
    assert not _schema_exists("t_3513") and _status("kab-probolinggo") is None


def test_drop_with_yes_skips_the_prompt_and_removes_memberships(cli, make_tenant, make_user):
    tuban = make_tenant("35.23")
    make_user(memberships=[(tuban, "bappeda_admin")])
    db.session.close()
    assert cli("archive", "kab-tuban").exit_code == 0
    result = cli("drop", "kab-tuban", "--yes")
    assert result.exit_code == 0, result.output
    assert "?" not in result.output
    assert not _schema_exists("t_3523")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 0
    assert cli("drop", "kab-tuban", "--yes").exit_code == 1  # gone: nothing to drop


def test_drop_deletes_the_tenants_stored_files_and_no_one_elses(cli, make_tenant, s3_server):
    from io import BytesIO

    from tenants.storage import agreement_key, storage, tenant_key

    tuban, purbalingga = make_tenant("35.23"), make_tenant("33.03")
    kept = [agreement_key(purbalingga.id), tenant_key(purbalingga.id, "exports", "units.csv")]
    gone = [agreement_key(tuban.id), tenant_key(tuban.id, "exports", "units.csv")]
    for key in kept + gone:
        storage().put(key, BytesIO(b"%PDF-1.4 signed"), "application/pdf", "MoU.pdf")
    db.session.close()
    assert cli("archive", "kab-tuban").exit_code == 0
    assert cli("drop", "kab-tuban", "--yes").exit_code == 0
    assert s3_server.keys() == sorted(kept)
