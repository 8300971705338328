"""MoU and PKS: the agreements through which LAN onboards a regency."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import PlatformModel, created_at
from tenants.registry import Tenant


class Agreement(PlatformModel):
    __tablename__ = "agreement"

    MOU = "mou"
    PKS = "pks"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(sa.ForeignKey(Tenant.id, ondelete="CASCADE"),
                                           nullable=False, index=True)
    kind: Mapped[str] = mapped_column(sa.String(3), nullable=False)
    number: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    signed_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    valid_from: Mapped[date] = mapped_column(sa.Date, nullable=False)
    valid_until: Mapped[date] = mapped_column(sa.Date, nullable=False)
    lan_signatory_name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    lan_signatory_title: Mapped[str] = mapped_column(sa.String(160), nullable=False)
    regional_signatory_name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    regional_signatory_title: Mapped[str] = mapped_column(sa.String(160), nullable=False)
    document_key: Mapped[str | None] = mapped_column(sa.String(300))
    document_name: Mapped[str | None] = mapped_column(sa.String(200))
    document_size: Mapped[int | None] = mapped_column(sa.Integer)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("platform.account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at()

    tenant: Mapped[Tenant] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("kind", "number"),
        sa.UniqueConstraint("tenant_id", "kind"),
        sa.CheckConstraint("kind IN ('mou', 'pks')", name="kind"),
        sa.CheckConstraint("valid_until >= valid_from", name="validity"),
    )
