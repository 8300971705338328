"""The logs of administrative actions: LAN's platform-wide one, and each lab's own inside
its schema."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from tenants.db import PlatformModel, TenantModel, created_at


class AuditEntry(PlatformModel):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = created_at()
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("platform.account.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(sa.String(60), nullable=False, index=True)
    tenant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("platform.tenant.id", ondelete="SET NULL"), index=True)
    target: Mapped[str | None] = mapped_column(sa.String(200))
    detail: Mapped[dict] = mapped_column(JSONB, nullable=False, default=dict)
    ip: Mapped[str | None] = mapped_column(sa.String(45))

    __table_args__ = (sa.Index("ix_audit_entry_at", at.desc()),)


class LabAuditEntry(TenantModel):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = created_at()
    actor_id: Mapped[int | None] = mapped_column(sa.Integer)  # platform account; no FK
    action: Mapped[str] = mapped_column(sa.String(60), nullable=False)
    target: Mapped[str | None] = mapped_column(sa.String(200))
    detail: Mapped[dict] = mapped_column(JSONB, nullable=False, default=dict)
    ip: Mapped[str | None] = mapped_column(sa.String(45))

    __table_args__ = (sa.Index("ix_audit_entry_at", at.desc()),)
