"""Action plans (rencana aksi): an idea's milestones, each with an owner and dates, and the
progress notes written on them. A milestone is late when its due date has passed in the
tenant's time zone and it is not done; that is computed, never stored."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import TenantModel, created_at, utcnow
from tenants.lab.models.ideas import Idea
from tenants.units.models import Person


class Milestone(TenantModel):
    __tablename__ = "milestone"

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey(Idea.id, ondelete="CASCADE"),
                                         nullable=False)
    position: Mapped[int] = mapped_column(nullable=False, default=0)
    title: Mapped[str] = mapped_column(sa.String(250), nullable=False)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey(Person.id, ondelete="SET NULL"))
    starts_on: Mapped[date | None] = mapped_column(sa.Date)
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(12), nullable=False, default=PLANNED)
    done_on: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False,
                                                 default=utcnow, onupdate=utcnow)

    owner: Mapped[Person | None] = relationship(lazy="joined")
    notes: Mapped[list[MilestoneNote]] = relationship(
        back_populates="milestone", cascade="all, delete-orphan",
        order_by="MilestoneNote.at.desc()")

    __table_args__ = (
        sa.CheckConstraint("status IN ('planned', 'in_progress', 'done')", name="status"),
        sa.CheckConstraint("due_on IS NULL OR starts_on IS NULL OR due_on >= starts_on",
                           name="dates"),
        sa.Index("ix_milestone_idea_position", "idea_id", "position"),
        # The dashboards count open milestones by due date.
        sa.Index("ix_milestone_open_due", "due_on", postgresql_where=sa.text("status <> 'done'")),
    )

    def is_late(self, today: date) -> bool:
        return self.status != self.DONE and self.due_on is not None and self.due_on < today


class MilestoneNote(TenantModel):
    """A progress note on a milestone, with the status it reported."""

    __tablename__ = "milestone_note"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    milestone_id: Mapped[int] = mapped_column(sa.ForeignKey(Milestone.id, ondelete="CASCADE"),
                                              nullable=False, index=True)
    at: Mapped[datetime] = created_at()
    author_id: Mapped[int | None] = mapped_column(sa.Integer)  # platform account; no FK
    status: Mapped[str] = mapped_column(sa.String(12), nullable=False)
    note: Mapped[str] = mapped_column(sa.Text, nullable=False)

    milestone: Mapped[Milestone] = relationship(back_populates="notes")
