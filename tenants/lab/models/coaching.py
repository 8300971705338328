"""Coaching: comments on an idea (or one of its milestones), threaded, mentioning people."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import TenantModel, created_at
from tenants.lab.models.ideas import Idea
from tenants.lab.models.plans import Milestone


class Comment(TenantModel):
    __tablename__ = "comment"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey(Idea.id, ondelete="CASCADE"),
                                         nullable=False, index=True)
    milestone_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey(Milestone.id, ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.Integer)  # platform account; no FK
    author_name: Mapped[str] = mapped_column(sa.String(120), nullable=False)  # as it was then
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    mentions: Mapped[list[int]] = mapped_column(ARRAY(sa.Integer), nullable=False,
                                                default=list)  # platform account ids
    created_at: Mapped[datetime] = created_at()
    edited_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    replies: Mapped[list[Comment]] = relationship(order_by="Comment.created_at",
                                                  cascade="all, delete-orphan")
