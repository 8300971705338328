"""The lab's milestones as a whole: each unit's drum-up commitment, the launching of the
innovations and the regent's or mayor's regulation (Perbup / Perwali) that lists them."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import TenantModel, created_at
from tenants.lab.models.ideas import Idea
from tenants.units.models import Unit


class Commitment(TenantModel):
    """A unit's signed commitment to innovate (Deklarasi Tri Sakti Inagara) at drum-up."""

    __tablename__ = "commitment"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)  # platform; no FK
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey(Unit.id, ondelete="CASCADE"),
                                         nullable=False, index=True)
    signed_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    signatory_name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    signatory_title: Mapped[str | None] = mapped_column(sa.String(160))
    document_key: Mapped[str | None] = mapped_column(sa.String(300))
    document_name: Mapped[str | None] = mapped_column(sa.String(200))
    document_size: Mapped[int | None] = mapped_column(sa.BigInteger)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = created_at()

    unit: Mapped[Unit] = relationship(lazy="joined")

    __table_args__ = (sa.UniqueConstraint("cohort_id", "unit_id"),)


launch_idea = sa.Table(
    "launch_idea", TenantModel.metadata,
    sa.Column("launch_id", sa.BigInteger, sa.ForeignKey("tenant.launch.id",
                                                        ondelete="CASCADE"), primary_key=True),
    sa.Column("idea_id", sa.BigInteger, sa.ForeignKey("tenant.idea.id", ondelete="CASCADE"),
              primary_key=True, index=True),
)

regulation_idea = sa.Table(
    "regulation_idea", TenantModel.metadata,
    sa.Column("regulation_id", sa.BigInteger,
              sa.ForeignKey("tenant.regulation.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("idea_id", sa.BigInteger, sa.ForeignKey("tenant.idea.id", ondelete="CASCADE"),
              primary_key=True, index=True),
)


class Launch(TenantModel):
    """The event where innovations are formally started."""

    __tablename__ = "launch"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)  # platform; no FK
    held_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    place: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    title: Mapped[str] = mapped_column(sa.String(250), nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = created_at()

    ideas: Mapped[list[Idea]] = relationship(secondary=launch_idea, order_by=Idea.title)


class Regulation(TenantModel):
    """A Perbup / Perwali listing the lab's innovations; a revision adds innovations to the
    one it revises (`revises_id`)."""

    __tablename__ = "regulation"

    PERBUP = "perbup"
    PERWALI = "perwali"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(8), nullable=False)
    number: Mapped[str] = mapped_column(sa.String(100), nullable=False, unique=True)
    signed_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    title: Mapped[str] = mapped_column(sa.Text, nullable=False)
    launch_id: Mapped[int | None] = mapped_column(sa.ForeignKey(Launch.id,
                                                                ondelete="SET NULL"))
    revises_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("regulation.id", ondelete="SET NULL"))
    document_key: Mapped[str | None] = mapped_column(sa.String(300))
    document_name: Mapped[str | None] = mapped_column(sa.String(200))
    document_size: Mapped[int | None] = mapped_column(sa.BigInteger)
    created_by_id: Mapped[int | None] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = created_at()

    ideas: Mapped[list[Idea]] = relationship(secondary=regulation_idea, order_by=Idea.title)
    revises: Mapped[Regulation | None] = relationship(remote_side=[id])

    __table_args__ = (sa.CheckConstraint("kind IN ('perbup', 'perwali')", name="kind"),)
