"""Operator commands: `labinov db ...` and `labinov tenants ...` (output stays English).

They gather several features (regions, onboarding, storage), so this module sits above
them all, beside `tenants.models`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from tenants import registry
from tenants.config import LOCALES, settings_of
from tenants.db import db
from tenants.migrate import TENANT_SCRIPTS, migrate_tenants, upgrade_platform
from tenants.onboarding import operations as onboarding
from tenants.ops import backup as backups
from tenants.refusal import Refused
from tenants.regions.operations import load_regions
from tenants.registry import Tenant, TenantStatus
from tenants.storage import forget_tenant_files, storage

db_cli = AppGroup("db", help="The platform schema.")
tenants_cli = AppGroup("tenants", help="Tenant schemas and their lifecycle.")


@db_cli.command("upgrade")
def db_upgrade():
    """Apply platform migrations and load the region registry."""
    upgrade_platform(db.engine)
    provinces, regencies = load_regions(db.session)
    db.session.commit()
    click.echo(f"platform schema at head; {provinces} provinces, {regencies} regencies")


def _tenant(slug: str) -> Tenant:
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise click.ClickException(f"no tenant {slug!r}")
    return tenant


@tenants_cli.command("create")
@click.argument("regency_code")
@click.option("--locale", type=click.Choice(LOCALES), default="id")
def tenants_create(regency_code, locale):
    """Register the tenant of REGENCY_CODE (e.g. 35.13) and provision its schema."""
    started = time.perf_counter()
    try:
        tenant = onboarding.create_active(db.session, regency_code, default_locale=locale)
    except registry.LifecycleError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"created {tenant.slug} ({tenant.schema_name}) in "
               f"{(time.perf_counter() - started) * 1000:.0f} ms")


@tenants_cli.command("list")
def tenants_list():
    """Every tenant with its schema and state."""
    for t in db.session.scalars(sa.select(Tenant).order_by(Tenant.regency_code)):
        click.echo(f"{t.regency_code:<6} {t.slug:<32} {t.schema_name:<8} {t.status:<12} "
                   f"{t.timezone}")


def _transition(slug: str, status: TenantStatus):
    tenant = _tenant(slug)
    try:  # the same path as LAN's pages, so the change reaches both audit logs
        command = click.get_current_context().info_name
        onboarding.change_lifecycle(db.session, tenant, status, actor_id=None,
                                    reason=f"labinov tenants {command}")
    except Refused as exc:
        raise click.ClickException(f"{slug} is {tenant.status}; cannot become {status}") from exc
    db.session.commit()
    click.echo(f"{slug} is {status}")


@tenants_cli.command("suspend")
@click.argument("slug")
def tenants_suspend(slug):
    """Suspend a tenant: its URLs show a notice, its data is kept."""
    _transition(slug, TenantStatus.SUSPENDED)


@tenants_cli.command("reactivate")
@click.argument("slug")
def tenants_reactivate(slug):
    """Make a suspended tenant active again."""
    _transition(slug, TenantStatus.ACTIVE)


@tenants_cli.command("archive")
@click.argument("slug")
def tenants_archive(slug):
    """Archive a tenant: closed for good, data kept."""
    _transition(slug, TenantStatus.ARCHIVED)


@tenants_cli.command("drop")
@click.argument("slug")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def tenants_drop(slug, yes):
    """Delete a suspended or archived tenant and its schema, irreversibly."""
    tenant = _tenant(slug)
    if tenant.status == TenantStatus.ACTIVE:
        raise click.ClickException(f"{slug} is active; suspend or archive it first")
    if not yes:
        click.confirm(f"Drop {slug} and every row in {tenant.schema_name}?", abort=True)
    tenant_id = tenant.id
    registry.drop(db.session, tenant)
    db.session.commit()
    forget_tenant_files(tenant_id)  # once the rows are gone for good
    click.echo(f"dropped {slug}")


@tenants_cli.command("migrate")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Schemas upgraded at once.")
@click.option("--quiet", "-q", is_flag=True, help="Print failures and the summary only.")
@click.option("--scripts", "script_location", hidden=True, default=str(TENANT_SCRIPTS),
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Another copy of the tenant migration tree (tests and benchmarks).")
def tenants_migrate(jobs, quiet, script_location):
    """Upgrade every provisioned tenant schema to the head of the tenant tree."""
    schemas = registry.provisioned_schemas(db.session)
    db.session.close()
    started = time.perf_counter()

    def show(result):
        if not quiet or not result.ok:
            click.echo(result.line())

    settings = settings_of(current_app)
    results = migrate_tenants(settings.database_url, schemas, jobs=jobs,
                              script_location=script_location, on_result=show,
                              connect_args=settings.connect_args)
    failed = sum(not r.ok for r in results)
    upgraded = sum(r.changed for r in results)
    click.echo(f"{len(results)} schemas: {upgraded} upgraded, {failed} failed, "
               f"{len(results) - upgraded - failed} already current "
               f"({time.perf_counter() - started:.2f} s)")
    if failed:
        sys.exit(1)


@tenants_cli.command("backup")
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def tenants_backup(slug, file):
    """Write one archive of a tenant: its schema, platform rows and stored files."""
    tenant = _tenant(slug)
    try:
        result = backups.backup_tenant(db.engine, settings_of(current_app).direct_database_url,
                                       storage(), tenant, file)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = sum(result.tables.values())
    click.echo(f"backed up {slug}: {len(result.tables)} tables, {rows} rows, {result.files} "
               f"files, {result.bytes / 1e6:.1f} MB in {result.seconds:.2f} s -> {file}")


@tenants_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def tenants_restore(file):
    """Bring a tenant back from an archive; refused if the tenant exists here."""
    try:
        result = backups.restore_tenant(db.session,
                                        settings_of(current_app).direct_database_url,
                                        storage(), file)
    except backups.BackupError as exc:
        raise click.ClickException(f"nothing restored: {exc}") from exc
    rows = sum(result.tables.values())
    click.echo(f"restored {result.slug} as tenant {result.tenant_id}: {rows} rows, "
               f"{result.files} files, {result.accounts_created} accounts created, "
               f"{result.accounts_remapped} account ids remapped in {result.seconds:.2f} s")
    for name in result.cohorts_created:
        click.echo(f"created cohort {name!r} (without its coaches)")
    if backups.needs_migration({"versions": {"tenant": result.tenant_version}}):
        click.echo("the schema is behind this code: run labinov tenants migrate")
