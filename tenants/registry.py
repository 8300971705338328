"""Finding tenants and changing their state, outside any request."""

from __future__ import annotations

import sqlalchemy as sa
from blinker import Namespace
from sqlalchemy.orm import Session

from tenants.db import db
from tenants.platform.regions import Regency
from tenants.platform.tenancy import PROVISIONED, Tenant, TenantEvent, TenantStatus
from tenants.provisioning import drop_schema, provision_schema
from tenants.scope import TenantRef

# Sent once a dropped tenant's rows and schema are committed away, with `tenant_id`:
# what lives outside the database (stored files) goes too.
tenant_dropped = Namespace().signal("tenant-dropped")


class LifecycleError(ValueError):
    """A state change that the tenant's current state does not allow."""


def resolve(slug: str) -> TenantRef | None:
    """Look a tenant up on a connection of its own, leaving the request Session untouched."""
    with db.engine.connect() as conn:
        row = conn.execute(
            sa.select(Tenant.id, Tenant.slug, Tenant.schema_name, Tenant.name, Tenant.status,
                      Tenant.timezone, Tenant.default_locale).where(Tenant.slug == slug)
        ).first()
    if row is None:
        return None
    return TenantRef(id=row.id, slug=row.slug, schema=row.schema_name, name=row.name,
                     status=row.status, timezone=row.timezone, default_locale=row.default_locale)


def provisioned_schemas(session: Session) -> list[str]:
    return list(session.scalars(
        sa.select(Tenant.schema_name).where(Tenant.status.in_(PROVISIONED))
        .order_by(Tenant.schema_name)))


def record(tenant: Tenant, to_status: str, actor_id: int | None = None, **note) -> None:
    tenant.events.append(TenantEvent(from_status=tenant.status, to_status=to_status,
                                     actor_id=actor_id, note=note))
    tenant.status = to_status


def create_active(session: Session, regency_code: str, actor_id: int | None = None,
                  **fields) -> Tenant:
    """Register a tenant for a regency and provision its schema, in the caller's transaction."""
    regency = session.get(Regency, regency_code)
    if regency is None:
        raise LifecycleError(f"unknown regency code {regency_code}")
    if session.scalar(sa.select(Tenant.id).where(Tenant.regency_code == regency_code)):
        raise LifecycleError(f"{regency.display_name} already has a tenant")
    tenant = Tenant.for_regency(regency, **fields)
    session.add(tenant)
    session.flush()
    activate(session, tenant, actor_id)
    return tenant


def activate(session: Session, tenant: Tenant, actor_id: int | None = None) -> None:
    """Provision the schema (if not yet there) and make the tenant active."""
    from tenants.platform.timestamps import utcnow

    if tenant.status in (TenantStatus.ACTIVE, TenantStatus.ARCHIVED):
        raise LifecycleError(f"{tenant.slug} is {tenant.status}")
    if tenant.provisioned_at is None:
        provision_schema(session.connection(), tenant.schema_name)
        tenant.provisioned_at = utcnow()
    record(tenant, TenantStatus.ACTIVE, actor_id)


# Target state: the states it may be reached from.
ALLOWED_FROM = {
    TenantStatus.SUSPENDED: (TenantStatus.ACTIVE,),
    TenantStatus.ACTIVE: (TenantStatus.SUSPENDED,),
    TenantStatus.ARCHIVED: (TenantStatus.ACTIVE, TenantStatus.SUSPENDED),
}


def transition(tenant: Tenant, to_status: TenantStatus, actor_id: int | None = None,
               **note) -> None:
    if tenant.status not in ALLOWED_FROM[to_status]:
        raise LifecycleError(f"{tenant.slug} is {tenant.status}; cannot become {to_status}")
    record(tenant, to_status, actor_id, **note)


def drop(session: Session, tenant: Tenant) -> None:
    """Delete the tenant and its schema for good. Refused for an active tenant."""
    if tenant.status == TenantStatus.ACTIVE:
        raise LifecycleError(f"{tenant.slug} is active; suspend or archive it first")
    drop_schema(session.connection(), tenant.schema_name)
    session.delete(tenant)
