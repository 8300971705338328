"""Ideas (gagasan inovasi): the innovation's profile as IID asks for it, its way through the
5D stages, its history and its evidence files."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.cohorts.models import STAGE_CHECK, Stage
from tenants.db import TenantModel, created_at, utcnow
from tenants.lab.models.rpjmd import RpjmdIndicator, RpjmdPriority
from tenants.units.models import Person, Unit

idea_innovator = sa.Table(
    "idea_innovator", TenantModel.metadata,
    sa.Column("idea_id", sa.BigInteger, sa.ForeignKey("tenant.idea.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("person_id", sa.Integer, sa.ForeignKey("tenant.person.id", ondelete="CASCADE"),
              primary_key=True, index=True),
)


class Idea(TenantModel):
    __tablename__ = "idea"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.BigInteger, nullable=False, index=True)  # no FK
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey(Unit.id, ondelete="RESTRICT"),
                                         nullable=False, index=True)
    title: Mapped[str] = mapped_column(sa.String(250), nullable=False)
    acronym: Mapped[str | None] = mapped_column(sa.String(60))  # "Si Kepho", "Inol Aja"
    stage: Mapped[str] = mapped_column(sa.String(10), nullable=False, default=Stage.DIAGNOSE)
    # The IID profile (codes in tenants.lab.profile).
    inisiator: Mapped[str | None] = mapped_column(sa.String(20))
    jenis: Mapped[str | None] = mapped_column(sa.String(12))
    bentuk: Mapped[str | None] = mapped_column(sa.String(20))
    urusan: Mapped[list[str]] = mapped_column(ARRAY(sa.String(30)), nullable=False,
                                              default=list)
    tematik: Mapped[str | None] = mapped_column(sa.String(30))
    tahapan: Mapped[str] = mapped_column(sa.String(12), nullable=False, default="inisiatif")
    trial_on: Mapped[date | None] = mapped_column(sa.Date)
    launched_on: Mapped[date | None] = mapped_column(sa.Date)
    # Diagnose: the problem.
    problem: Mapped[str | None] = mapped_column(sa.Text)
    root_causes: Mapped[str | None] = mapped_column(sa.Text)
    affected: Mapped[str | None] = mapped_column(sa.Text)
    # Design: rancang bangun and what the innovation is to achieve.
    design: Mapped[str | None] = mapped_column(sa.Text)
    solution: Mapped[str | None] = mapped_column(sa.Text)
    beneficiaries: Mapped[str | None] = mapped_column(sa.Text)
    expected_results: Mapped[str | None] = mapped_column(sa.Text)
    results: Mapped[str | None] = mapped_column(sa.Text)  # what it achieved (display)
    # The RPJMD priority and indicator it serves.
    priority_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey(RpjmdPriority.id, ondelete="SET NULL"))
    indicator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey(RpjmdIndicator.id, ondelete="SET NULL"))
    # A save names the version it started from; a stale one is refused (no silent overwrite).
    version: Mapped[int] = mapped_column(nullable=False, default=1)
    created_by_id: Mapped[int | None] = mapped_column(sa.Integer)  # platform account; no FK
    created_at: Mapped[datetime] = created_at()
    updated_by_id: Mapped[int | None] = mapped_column(sa.Integer)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False,
                                                 default=utcnow, onupdate=utcnow)
    stage_changed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True),
                                                       nullable=False, default=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined")
    innovators: Mapped[list[Person]] = relationship(secondary=idea_innovator,
                                                    order_by=Person.name)
    priority: Mapped[RpjmdPriority | None] = relationship()
    indicator: Mapped[RpjmdIndicator | None] = relationship()
    events: Mapped[list[IdeaEvent]] = relationship(
        back_populates="idea", cascade="all, delete-orphan",
        order_by="IdeaEvent.at.desc(), IdeaEvent.id.desc()")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="idea", cascade="all, delete-orphan", order_by="Attachment.id")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint(STAGE_CHECK, name="stage"),
        sa.CheckConstraint("tahapan IN ('inisiatif', 'uji_coba', 'penerapan')",
                           name="tahapan"),
        sa.Index("ix_idea_cohort_stage", "cohort_id", "stage"),
    )


class IdeaEvent(TenantModel):
    """One step in an idea's history: created, edited, moved (or a gate overridden)."""

    __tablename__ = "idea_event"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey(Idea.id, ondelete="CASCADE"),
                                         nullable=False, index=True)
    at: Mapped[datetime] = created_at()
    actor_id: Mapped[int | None] = mapped_column(sa.Integer)  # platform account; no FK
    action: Mapped[str] = mapped_column(sa.String(30), nullable=False)
    from_stage: Mapped[str | None] = mapped_column(sa.String(10))
    to_stage: Mapped[str | None] = mapped_column(sa.String(10))
    reason: Mapped[str | None] = mapped_column(sa.Text)  # an override's recorded reason
    detail: Mapped[dict] = mapped_column(JSONB, nullable=False, default=dict)

    idea: Mapped[Idea] = relationship(back_populates="events")


class Attachment(TenantModel):
    """An evidence file of an idea, stored under the tenant's key prefix."""

    __tablename__ = "attachment"

    EVIDENCE = "evidence"
    LAUNCH = "launch"   # launch evidence: what the display gate asks for
    PHOTO = "photo"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey(Idea.id, ondelete="CASCADE"),
                                         nullable=False, index=True)
    kind: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    key: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    filename: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    content_type: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    size: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)
    description: Mapped[str | None] = mapped_column(sa.String(300))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.Integer)
    uploaded_at: Mapped[datetime] = created_at()

    idea: Mapped[Idea] = relationship(back_populates="attachments")

    __table_args__ = (
        sa.CheckConstraint("kind IN ('evidence', 'launch', 'photo')", name="kind"),
    )
