"""The regency's medium-term plan (RPJMD): its period, priorities and indicators (IKD).
Ideas link to the priority and indicator they serve."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import TenantModel, created_at


class RpjmdPeriod(TenantModel):
    __tablename__ = "rpjmd_period"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    starts_year: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False)
    ends_year: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False)
    regulation: Mapped[str | None] = mapped_column(sa.String(200))  # the Perda that set it
    created_at: Mapped[datetime] = created_at()

    priorities: Mapped[list[RpjmdPriority]] = relationship(
        back_populates="period", cascade="all, delete-orphan",
        order_by="RpjmdPriority.position")

    __table_args__ = (sa.CheckConstraint("ends_year >= starts_year", name="years"),)


class RpjmdPriority(TenantModel):
    """A misi, or a sasaran under a misi."""

    __tablename__ = "rpjmd_priority"

    MISI = "misi"
    SASARAN = "sasaran"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey(RpjmdPeriod.id, ondelete="CASCADE"),
                                           nullable=False, index=True)
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("rpjmd_priority.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    code: Mapped[str] = mapped_column(sa.String(20), nullable=False)  # "M2", "S2.3"
    text: Mapped[str] = mapped_column(sa.Text, nullable=False)
    position: Mapped[int] = mapped_column(nullable=False, default=0)

    period: Mapped[RpjmdPeriod] = relationship(back_populates="priorities")
    indicators: Mapped[list[RpjmdIndicator]] = relationship(
        back_populates="priority", cascade="all, delete-orphan",
        order_by="RpjmdIndicator.code")

    __table_args__ = (
        sa.UniqueConstraint("period_id", "code"),
        sa.CheckConstraint("kind IN ('misi', 'sasaran')", name="kind"),
    )


class RpjmdIndicator(TenantModel):
    """A performance indicator (IKD) of a sasaran, with its baseline and target."""

    __tablename__ = "rpjmd_indicator"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    priority_id: Mapped[int] = mapped_column(
        sa.ForeignKey(RpjmdPriority.id, ondelete="CASCADE"), nullable=False, index=True)
    code: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    name: Mapped[str] = mapped_column(sa.Text, nullable=False)
    measure: Mapped[str | None] = mapped_column(sa.String(60))  # "%", "hari", "orang"
    baseline: Mapped[str | None] = mapped_column(sa.String(60))
    target: Mapped[str | None] = mapped_column(sa.String(60))

    priority: Mapped[RpjmdPriority] = relationship(back_populates="indicators")
