"""The tenants: one row per regency's lab in `platform`, its state and history, and the
state changes that the schema follows (provision on activation, drop for good).

    draft --MoU--> mou_signed --PKS--> pks_signed --activate--> provisioning --job--> active
    active <--> suspended; active / suspended --> archived

`tenants.onboarding` walks a tenant through these states and records why; this module only
knows which moves are possible and what they do to the schema.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from tenants.db import PlatformModel, created_at, db, utcnow
from tenants.migrate import tenant_head
from tenants.provisioning import drop_schema, provision_schema
from tenants.scope import TenantRef

if TYPE_CHECKING:
    from tenants.regions.models import Regency


class TenantStatus(enum.StrEnum):
    DRAFT = "draft"
    MOU_SIGNED = "mou_signed"
    PKS_SIGNED = "pks_signed"
    PROVISIONING = "provisioning"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    ARCHIVED = "archived"


# States in which the tenant's schema exists.
PROVISIONED = (TenantStatus.ACTIVE, TenantStatus.SUSPENDED, TenantStatus.ARCHIVED)


class Tenant(PlatformModel):
    __tablename__ = "tenant"

    id: Mapped[int] = mapped_column(primary_key=True)
    regency_code: Mapped[str] = mapped_column(sa.ForeignKey("platform.regency.code"),
                                              nullable=False, unique=True)
    slug: Mapped[str] = mapped_column(sa.String(80), nullable=False, unique=True)
    schema_name: Mapped[str] = mapped_column(sa.String(63), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    status: Mapped[str] = mapped_column(sa.String(20), nullable=False,
                                        default=TenantStatus.DRAFT)
    timezone: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    default_locale: Mapped[str] = mapped_column(sa.String(5), nullable=False, default="id")
    # The Bappeda administrator invited when the tenant is activated.
    admin_name: Mapped[str | None] = mapped_column(sa.String(120))
    admin_email: Mapped[str | None] = mapped_column(sa.String(254))
    admin_locale: Mapped[str | None] = mapped_column(sa.String(5))
    created_at: Mapped[datetime] = created_at()
    provisioned_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # The tenant tree's revision its schema is at, mirrored from the schema's own
    # alembic_version (provisioning, the migration runner), so that readiness is one query.
    schema_version: Mapped[str | None] = mapped_column(sa.String(32))

    # Regions is a feature above the core: the relationship names it, nothing imports it.
    regency: Mapped[Regency] = relationship("Regency", lazy="joined")
    events: Mapped[list[TenantEvent]] = relationship(
        back_populates="tenant", order_by="TenantEvent.at.desc()",
        cascade="all, delete-orphan")

    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('draft', 'mou_signed', 'pks_signed', 'provisioning', 'active', "
            "'suspended', 'archived')", name="status"),
        sa.CheckConstraint("schema_name ~ '^t_[0-9a-z_]{1,40}$'", name="schema_name"),
        sa.CheckConstraint("default_locale IN ('id', 'en')", name="default_locale"),
    )

    @property
    def is_provisioned(self) -> bool:
        return self.status in PROVISIONED

    def ref(self) -> TenantRef:
        return TenantRef(id=self.id, slug=self.slug, schema=self.schema_name, name=self.name,
                         status=self.status, timezone=self.timezone,
                         default_locale=self.default_locale)

    @classmethod
    def for_regency(cls, regency: Regency, **kw) -> Tenant:
        """A new tenant named, keyed and zoned after its regency (a `tenants.regions` row)."""
        return cls(regency_code=regency.code, slug=regency.slug,
                   schema_name=regency.schema_name, name=regency.display_name,
                   timezone=regency.province.timezone, **kw)


class TenantEvent(PlatformModel):
    """One step in a tenant's life: who moved it to which state, when."""

    __tablename__ = "tenant_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(sa.ForeignKey(Tenant.id, ondelete="CASCADE"),
                                           nullable=False, index=True)
    at: Mapped[datetime] = created_at()
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("platform.account.id", ondelete="SET NULL"))  # None: the system
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    note: Mapped[dict] = mapped_column(JSONB, nullable=False, default=dict)

    tenant: Mapped[Tenant] = relationship(back_populates="events")


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


def provisioned(session: Session) -> list[TenantRef]:
    """Every tenant whose schema exists, by schema name."""
    return [t.ref() for t in session.scalars(
        sa.select(Tenant).where(Tenant.status.in_(PROVISIONED)).order_by(Tenant.schema_name))]


def provisioned_schemas(session: Session) -> list[str]:
    return list(session.scalars(
        sa.select(Tenant.schema_name).where(Tenant.status.in_(PROVISIONED))
        .order_by(Tenant.schema_name)))


def record(tenant: Tenant, to_status: str, actor_id: int | None = None, **note) -> None:
    tenant.events.append(TenantEvent(from_status=tenant.status, to_status=to_status,
                                     actor_id=actor_id, note=note))
    tenant.status = to_status


def activate(session: Session, tenant: Tenant, actor_id: int | None = None) -> None:
    """Provision the schema (if not yet there) and make the tenant active."""
    if tenant.status in (TenantStatus.ACTIVE, TenantStatus.ARCHIVED):
        raise LifecycleError(f"{tenant.slug} is {tenant.status}")
    if tenant.provisioned_at is None:
        provision_schema(session.connection(), tenant.schema_name)
        tenant.provisioned_at = utcnow()
        tenant.schema_version = tenant_head()
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
    """Delete the tenant and its schema for good. Refused for an active tenant.

    Its stored files are the caller's to delete once this has committed
    (`tenants.storage.forget_tenant_files`)."""
    if tenant.status == TenantStatus.ACTIVE:
        raise LifecycleError(f"{tenant.slug} is active; suspend or archive it first")
    drop_schema(session.connection(), tenant.schema_name)
    session.delete(tenant)
