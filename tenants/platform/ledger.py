"""Side effects that must happen once (an email, an export): claimed before, marked after."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tenants.db import PlatformModel
from tenants.platform.timestamps import created_at


class LedgerEntry(PlatformModel):
    __tablename__ = "ledger_entry"

    CLAIMED = "claimed"
    DONE = "done"
    FAILED = "failed"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), nullable=False, unique=True)
    tenant_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False, default=CLAIMED)
    attempts: Mapped[int] = mapped_column(nullable=False, default=0)
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = created_at()
    done_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (
        sa.CheckConstraint("status IN ('claimed', 'done', 'failed')", name="status"),
    )
