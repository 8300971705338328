"""Perangkat daerah, the regional units taking part in the lab (results are reported by
kind), and the people who work in them."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import TenantModel, created_at


class UnitKind(enum.StrEnum):
    OPD = "opd"
    PUSKESMAS = "puskesmas"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    DESA = "desa"
    RSUD = "rsud"
    BUMD = "bumd"
    SEKOLAH = "sekolah"
    OTHER = "other"


class Unit(TenantModel):
    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    short_name: Mapped[str | None] = mapped_column(sa.String(60))
    created_at: Mapped[datetime] = created_at()
    # A retired unit keeps its history but takes part no more; a merged one also says where
    # its people and ideas went.
    retired_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("unit.id", ondelete="SET NULL"))

    __table_args__ = (
        sa.UniqueConstraint("name"),
        sa.CheckConstraint(
            "kind IN ('opd', 'puskesmas', 'kecamatan', 'kelurahan', 'desa', 'rsud', 'bumd', "
            "'sekolah', 'other')", name="kind"),
        sa.Index("ix_unit_kind", "kind"),
    )


class Person(TenantModel):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey(Unit.id, ondelete="RESTRICT"),
                                         nullable=False, index=True)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    position: Mapped[str | None] = mapped_column(sa.String(160))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    account_id: Mapped[int | None] = mapped_column(sa.Integer)  # platform account; no FK
    created_at: Mapped[datetime] = created_at()

    unit: Mapped[Unit] = relationship(lazy="joined")
