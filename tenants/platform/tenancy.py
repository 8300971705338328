"""A tenant: one regency's lab, with its own schema, and the history of its state."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import PlatformModel
from tenants.platform.regions import Regency
from tenants.platform.timestamps import created_at
from tenants.scope import TenantRef


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
    regency_code: Mapped[str] = mapped_column(sa.ForeignKey(Regency.code), nullable=False,
                                              unique=True)
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

    regency: Mapped[Regency] = relationship(lazy="joined")
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
