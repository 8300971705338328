"""Perangkat daerah: the regional units taking part in the lab. Results are reported by kind."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tenants.db import TenantModel
from tenants.platform.timestamps import created_at


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

    __table_args__ = (
        sa.UniqueConstraint("name"),
        sa.CheckConstraint(
            "kind IN ('opd', 'puskesmas', 'kecamatan', 'kelurahan', 'desa', 'rsud', 'bumd', "
            "'sekolah', 'other')", name="kind"),
        sa.Index("ix_unit_kind", "kind"),
    )
