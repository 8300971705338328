"""Cohorts: LAN runs the labs of several regions together, stage by stage.

A cohort ("Laboratorium Inovasi 2026 — Angkatan I") has the five stages, each with its
window and the deadline of its deliverable, the LAN coaches assigned to it and the tenants
enrolled in it (platform). A tenant's Bappeda may shift its own stage dates inside the
cohort's window (`StageShift`, in the tenant's schema). LAN's cohort dashboard reads one
platform row per enrolled tenant (`LabSummary`), which the tenant's own writes keep
current: no page ever reads 514 schemas.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import PlatformModel, TenantModel, created_at


class Stage(enum.StrEnum):
    """The 5D stages, in their order."""

    DRUM_UP = "drum_up"
    DIAGNOSE = "diagnose"
    DESIGN = "design"
    DELIVER = "deliver"
    DISPLAY = "display"

    @property
    def index(self) -> int:
        return STAGES.index(self)

    @property
    def next(self) -> Stage | None:
        return STAGES[self.index + 1] if self.index + 1 < len(STAGES) else None

    @property
    def previous(self) -> Stage | None:
        return STAGES[self.index - 1] if self.index > 0 else None


STAGES = tuple(Stage)
STAGE_CHECK = "stage IN ('drum_up', 'diagnose', 'design', 'deliver', 'display')"


class Cohort(PlatformModel):
    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), nullable=False, unique=True)
    year: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False)
    description: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("platform.account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at()

    stages: Mapped[list[CohortStage]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan",
        order_by="CohortStage.starts_on")
    coaches: Mapped[list[CohortCoach]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan")
    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan")

    __table_args__ = (sa.CheckConstraint("year BETWEEN 2015 AND 2100", name="year"),)

    @property
    def starts_on(self) -> date | None:
        return min((s.starts_on for s in self.stages), default=None)

    @property
    def ends_on(self) -> date | None:
        return max((s.ends_on for s in self.stages), default=None)


class CohortStage(PlatformModel):
    """One stage's window and the deadline of its deliverable, for the whole cohort."""

    __tablename__ = "cohort_stage"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey(Cohort.id, ondelete="CASCADE"),
                                           nullable=False)
    stage: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    starts_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    deliverable_due: Mapped[date] = mapped_column(sa.Date, nullable=False)

    cohort: Mapped[Cohort] = relationship(back_populates="stages")

    __table_args__ = (
        sa.UniqueConstraint("cohort_id", "stage"),
        sa.CheckConstraint(STAGE_CHECK, name="stage"),
        sa.CheckConstraint("ends_on >= starts_on", name="window"),
        sa.CheckConstraint("deliverable_due BETWEEN starts_on AND ends_on", name="due"),
    )


class CohortCoach(PlatformModel):
    """A LAN coach assigned to the cohort (and so to the labs enrolled in it)."""

    __tablename__ = "cohort_coach"

    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey(Cohort.id, ondelete="CASCADE"),
                                           primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("platform.account.id",
                                                       ondelete="CASCADE"), primary_key=True)

    cohort: Mapped[Cohort] = relationship(back_populates="coaches")


class Enrolment(PlatformModel):
    """A tenant taking part in a cohort."""

    __tablename__ = "enrolment"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey(Cohort.id, ondelete="CASCADE"),
                                           nullable=False)
    tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("platform.tenant.id",
                                                         ondelete="CASCADE"),
                                           nullable=False, index=True)
    enrolled_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("platform.account.id", ondelete="SET NULL"))
    enrolled_at: Mapped[datetime] = created_at()

    cohort: Mapped[Cohort] = relationship(back_populates="enrolments")

    __table_args__ = (sa.UniqueConstraint("cohort_id", "tenant_id"),)


class LabSummary(PlatformModel):
    """What LAN's cohort dashboard shows of one enrolled lab, kept current by the lab's own
    writes (and refreshed daily, since a milestone turns late without anyone writing)."""

    __tablename__ = "lab_summary"

    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey(Cohort.id, ondelete="CASCADE"),
                                           primary_key=True)
    tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("platform.tenant.id",
                                                         ondelete="CASCADE"),
                                           primary_key=True, index=True)
    ideas: Mapped[int] = mapped_column(nullable=False, default=0)
    by_stage: Mapped[dict] = mapped_column(JSONB, nullable=False, default=dict)
    milestones: Mapped[int] = mapped_column(nullable=False, default=0)
    late_milestones: Mapped[int] = mapped_column(nullable=False, default=0)
    units: Mapped[int] = mapped_column(nullable=False, default=0)
    units_without_ideas: Mapped[int] = mapped_column(nullable=False, default=0)
    current_stage: Mapped[str | None] = mapped_column(sa.String(10))
    last_activity_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    refreshed_at: Mapped[datetime] = created_at()


class StageShift(TenantModel):
    """The lab's own dates for one stage of a cohort, inside the cohort's window."""

    __tablename__ = "stage_shift"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)  # platform; no FK
    stage: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    starts_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    deliverable_due: Mapped[date] = mapped_column(sa.Date, nullable=False)
    changed_by_id: Mapped[int | None] = mapped_column(sa.Integer)  # platform account; no FK
    changed_at: Mapped[datetime] = created_at()

    __table_args__ = (
        sa.UniqueConstraint("cohort_id", "stage"),
        sa.CheckConstraint(STAGE_CHECK, name="stage"),
        sa.CheckConstraint("ends_on >= starts_on", name="window"),
        sa.CheckConstraint("deliverable_due BETWEEN starts_on AND ends_on", name="due"),
    )
