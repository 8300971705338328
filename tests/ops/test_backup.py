"""Per-tenant backup and restore, through the real `labinov` command, pg_dump, pg_restore,
S3 (moto) and a local directory: backup -> drop -> restore gives the same rows and files;
a second deployment gets the lab with its account, cohort and tenant ids remapped; a live
tenant is never overwritten; a corrupt or truncated archive is refused before anything is
written."""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import subprocess
import tarfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from fixtures.app import sign_in
from fixtures.database import APP_ROLE, DEFAULT_PG
from fixtures.services import LABINOV, ROOT
from infra.services import ensure_app_role
from tenants.accounts.models import Membership, User
from tenants.audit.models import AuditEntry
from tenants.cohorts.models import Cohort, Enrolment
from tenants.db import TenantModel, db
from tenants.demo.load import load_demo
from tenants.onboarding.models import Agreement
from tenants.ops import backup as backups
from tenants.ops.backup import account_columns, cohort_columns, key_columns, table_counts
from tenants.registry import Tenant, TenantEvent
from tenants.storage import make_storage, storage, tenant_prefixes

SLUG = "kab-probolinggo"


def labinov(env, *args, ok=True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(LABINOV), *args], env=env, cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    if ok:
        assert result.returncode == 0, f"labinov {' '.join(args)}:\n{result.stderr}"
    return result


def platform_counts(session, tenant_id: int) -> dict[str, int]:
    return {model.__name__: session.scalar(sa.select(sa.func.count()).select_from(model)
                                           .where(model.tenant_id == tenant_id))
            for model in (TenantEvent, Agreement, Membership, Enrolment, AuditEntry)}


def file_sums(backend, tenant_id: int) -> dict[str, str]:
    """key (with the tenant id taken out) -> SHA-256 of its content."""
    sums = {}
    for prefix in tenant_prefixes(tenant_id):
        for key in backend.keys(prefix):
            sums[key.replace(prefix, "<tenant>/", 1)] = hashlib.sha256(
                backend.get(key)).hexdigest()
    return sums


@pytest.fixture
def demo(ctx):
    load_demo()
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == SLUG))
    return tenant


def test_every_tenant_column_that_names_a_platform_row_is_known():
    """A new tenant column holding a platform id must be remapped on restore: name it
    `*_by_id`, `actor_id`, `author_id`, `account_id` (accounts) or `cohort_id`, or teach
    tenants/ops/backup.py about it."""
    known = {(t, c) for t, c, _ in account_columns()} | set(cohort_columns())
    unknown = [f"{t.name}.{c.name}" for t in TenantModel.metadata.sorted_tables
               for c in t.columns if c.name.endswith("_id") and not c.foreign_keys
               and isinstance(c.type, sa.Integer) and (t.name, c.name) not in known]
    assert not unknown, f"tenant columns naming platform rows, not remapped: {unknown}"
    assert ("comment", "mentions", True) in account_columns()
    assert {("attachment", "key"), ("commitment", "document_key")} <= set(key_columns())


def test_backup_drop_restore_gives_back_the_same_rows_and_files(demo, service_env, tmp_path,
                                                               client):
    tenant = demo
    schema, tenant_id = tenant.schema_name, tenant.id
    with db.engine.connect() as conn:
        tables = table_counts(conn, schema)
    platform = platform_counts(db.session, tenant_id)
    files = file_sums(storage(), tenant_id)
    members = sorted((m.user.email, m.role, m.unit_id) for m in db.session.scalars(
        sa.select(Membership).where(Membership.tenant_id == tenant_id)))
    assert sum(tables.values()) > 100 and len(files) >= 2 and platform["Membership"] >= 2
    archive = tmp_path / "probolinggo.tar"

    out = labinov(service_env, "tenants", "backup", SLUG, str(archive)).stdout
    assert f"backed up {SLUG}" in out
    labinov(service_env, "tenants", "suspend", SLUG)
    labinov(service_env, "tenants", "drop", SLUG, "--yes")
    db.session.expire_all()
    assert db.session.get(Tenant, tenant_id) is None
    assert file_sums(storage(), tenant_id) == {}

    out = labinov(service_env, "tenants", "restore", str(archive)).stdout
    assert f"restored {SLUG} as tenant {tenant_id}" in out, out
    db.session.expire_all()
    restored = db.session.get(Tenant, tenant_id)
    assert restored.schema_name == schema and restored.status == "active"
    with db.engine.connect() as conn:
        assert table_counts(conn, schema) == tables
    assert platform_counts(db.session, tenant_id) == platform
    assert file_sums(storage(), tenant_id) == files
    assert sorted((m.user.email, m.role, m.unit_id) for m in db.session.scalars(
        sa.select(Membership).where(Membership.tenant_id == tenant_id))) == members
    # The lab works again for its people, and the deployment is ready.
    bappeda = next(email for email, role, _ in members if role == "bappeda_admin")
    sign_in(client, bappeda, password="labinov-demo-2026")
    assert client.get(f"/{SLUG}/").status_code == 200
    assert client.get("/readyz").status_code == 200

    # Restoring the same archive again is refused: the tenant is live.
    again = labinov(service_env, "tenants", "restore", str(archive), ok=False)
    assert again.returncode != 0 and "never overwrites" in again.stderr


@pytest.fixture
def other_deployment(tmp_path, service_env):
    """A second, empty deployment: its own database (platform at head, regions loaded) and
    a local storage directory."""
    server = make_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_PG))
    name = f"labinov_other_{os.getpid()}_{secrets.token_hex(3)}"
    url = ensure_app_role(server.render_as_string(hide_password=False), APP_ROLE, name)
    env = {**service_env, "DATABASE_URL": url, "S3_BUCKET": "",
           "STORAGE_DIR": str(tmp_path / "other-storage")}
    labinov(env, "db", "upgrade")
    engine = sa.create_engine(url)
    yield env, engine
    engine.dispose()
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def test_restore_into_another_deployment_remaps_accounts_cohorts_and_the_tenant(
        demo, service_env, tmp_path, other_deployment, settings):
    tenant = demo
    archive = tmp_path / "probolinggo.tar"
    labinov(service_env, "tenants", "backup", SLUG, str(archive))
    source_files = file_sums(storage(), tenant.id)
    with db.engine.connect() as conn:
        source_tables = table_counts(conn, tenant.schema_name)
        # Who wrote each comment, by email, as the lab shows it.
        authors = sorted(conn.execute(sa.text(
            f'SELECT c.body, lower(a.email) FROM "{tenant.schema_name}".comment c '
            "JOIN platform.account a ON a.id = c.author_id")).all())
    assert authors, "the demo lab has comments"
    member_email = db.session.scalar(sa.select(User.email).join(Membership).where(
        Membership.tenant_id == tenant.id).order_by(User.id))

    env, engine = other_deployment
    # The other deployment already has people (ids taken, one of them a member of the lab
    # under the same email) and a tenant with the id the lab had.
    with engine.begin() as conn:
        for i in range(7):
            conn.execute(sa.text("INSERT INTO platform.account (email, name, active) "
                                 "VALUES (:e, 'Someone Else', true)"),
                         {"e": f"someone-{i}@elsewhere.example"})
        conn.execute(sa.text("INSERT INTO platform.account (email, name, active) "
                             "VALUES (:e, 'Same Person', true)"), {"e": member_email.upper()})
    labinov(env, "tenants", "create", "35.23")  # takes tenant id 1 there
    out = labinov(env, "tenants", "restore", str(archive)).stdout
    assert "account ids remapped" in out

    with engine.connect() as conn:
        new_id = conn.scalar(sa.text("SELECT id FROM platform.tenant WHERE slug = :s"),
                             {"s": SLUG})
        assert new_id != tenant.id
        assert table_counts(conn, tenant.schema_name) == source_tables
        assert sorted(conn.execute(sa.text(
            f'SELECT c.body, lower(a.email) FROM "{tenant.schema_name}".comment c '
            "JOIN platform.account a ON a.id = c.author_id")).all()) == authors
        # The existing account was reused (matched by email), not doubled.
        assert conn.scalar(sa.text("SELECT count(*) FROM platform.account "
                                   "WHERE lower(email) = lower(:e)"), {"e": member_email}) == 1
        # No LAN role travels with the accounts.
        assert conn.scalar(sa.text("SELECT count(*) FROM platform.account "
                                   "WHERE platform_role IS NOT NULL")) == 0
        # Cohorts matched or created by name; every lab row names one that exists here.
        for table, column in cohort_columns():
            assert conn.scalar(sa.text(
                f'SELECT count(*) FROM "{tenant.schema_name}"."{table}" t WHERE NOT EXISTS '
                f'(SELECT 1 FROM platform.cohort c WHERE c.id = t."{column}")')) == 0
        keys = conn.execute(sa.text(
            f'SELECT document_key FROM "{tenant.schema_name}".commitment '
            "WHERE document_key IS NOT NULL")).scalars().all()
        assert keys and all(k.startswith(f"t{new_id}/") for k in keys)
        agreement_keys = conn.execute(sa.text(
            "SELECT document_key FROM platform.agreement WHERE tenant_id = :t"),
            {"t": new_id}).scalars().all()
        assert agreement_keys and all(f"/{new_id}/" in k or k.startswith(f"t{new_id}/")
                                      for k in agreement_keys)
    local = make_storage(settings.__class__(storage_dir=env["STORAGE_DIR"], s3_bucket=""))
    assert file_sums(local, new_id) == source_files
    assert all(local.exists(k) for k in keys)


def _tar_members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar}


def _write_tar(path: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_a_corrupt_or_truncated_archive_is_refused_before_anything_is_written(
        demo, service_env, tmp_path):
    archive = tmp_path / "probolinggo.tar"
    labinov(service_env, "tenants", "backup", SLUG, str(archive))
    labinov(service_env, "tenants", "suspend", SLUG)
    labinov(service_env, "tenants", "drop", SLUG, "--yes")
    members = _tar_members(archive)
    manifest = json.loads(members["manifest.json"])
    a_file = next(n for n in members if n.startswith("files/"))

    damaged = {}
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    damaged["truncated"] = truncated
    flipped = dict(members)
    flipped["schema.dump"] = members["schema.dump"][:-10] + b"0123456789"
    _write_tar(damaged.setdefault("changed dump", tmp_path / "changed.tar"), flipped)
    missing = {k: v for k, v in members.items() if k != a_file}
    _write_tar(damaged.setdefault("missing file", tmp_path / "missing.tar"), missing)
    extra = {**members, "files/t999/evil.pdf": b"%PDF-1.4"}
    _write_tar(damaged.setdefault("extra file", tmp_path / "extra.tar"), extra)
    no_manifest = {k: v for k, v in members.items() if k != "manifest.json"}
    _write_tar(damaged.setdefault("no manifest", tmp_path / "nomanifest.tar"), no_manifest)
    forged = {**members, "manifest.json": json.dumps({**manifest, "format": "x"}).encode()}
    _write_tar(damaged.setdefault("unknown format", tmp_path / "forged.tar"), forged)
    escaping = {**members, "../outside": b"x"}
    _write_tar(damaged.setdefault("path outside", tmp_path / "escaping.tar"), escaping)

    for what, path in damaged.items():
        result = labinov(service_env, "tenants", "restore", str(path), ok=False)
        assert result.returncode != 0, what
        assert "nothing restored" in result.stderr, (what, result.stderr)
    db.session.expire_all()
    assert db.session.scalar(sa.select(Tenant).where(Tenant.slug == SLUG)) is None
    assert not db.session.scalar(sa.text("SELECT to_regnamespace('t_3513') IS NOT NULL"))
    assert file_sums(storage(), manifest["tenant"]["id"]) == {}
    # The intact archive still restores.
    labinov(service_env, "tenants", "restore", str(archive))


def test_a_failure_after_the_schema_is_in_leaves_nothing_behind(demo, tmp_path, monkeypatch,
                                                               settings):
    from tenants.config import settings_of

    tenant = demo
    archive = tmp_path / "probolinggo.tar"
    backups.backup_tenant(db.engine, settings.database_url, storage(), tenant, archive)
    tenant_id, schema = tenant.id, tenant.schema_name
    from tenants import registry

    registry.transition(tenant, "suspended")
    registry.drop(db.session, tenant)
    db.session.commit()
    from tenants.storage import forget_tenant_files

    forget_tenant_files(tenant_id)

    def broken_put(*args, **kwargs):
        raise OSError("the store is full")

    backend = storage()
    monkeypatch.setattr(backend, "put", broken_put)
    with pytest.raises(OSError):
        backups.restore_tenant(db.session, settings_of().database_url, backend, archive)
    db.session.expire_all()
    assert db.session.get(Tenant, tenant_id) is None
    assert not db.session.scalar(sa.text("SELECT to_regnamespace(:s) IS NOT NULL"),
                                 {"s": schema})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Cohort)) >= 1
