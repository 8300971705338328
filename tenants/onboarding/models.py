"""MoU and PKS: the agreements through which LAN onboards a regency."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import PlatformModel, created_at
from tenants.registry import Tenant


class Agreement(PlatformModel):
    """A signed MoU or PKS. A renewal is an agreement of its own that names the one it
    renews; a tenant's current agreement of a kind is its latest."""

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
    renews_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("platform.agreement.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("platform.account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at()

    tenant: Mapped[Tenant] = relationship()
    renews: Mapped[Agreement | None] = relationship(remote_side=[id])

    __table_args__ = (
        sa.UniqueConstraint("kind", "number"),
        # Only the first agreement of each kind renews none; every later one renews another.
        sa.Index("uq_agreement_first_of_kind", "tenant_id", "kind", unique=True,
                 postgresql_where=sa.text("renews_id IS NULL")),
        sa.UniqueConstraint("renews_id"),
        sa.CheckConstraint("kind IN ('mou', 'pks')", name="kind"),
        sa.CheckConstraint("valid_until >= valid_from", name="validity"),
    )
