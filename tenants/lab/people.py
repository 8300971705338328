"""People of the lab: innovators and their colleagues, by unit."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import TenantModel
from tenants.lab.units import Unit
from tenants.platform.timestamps import created_at


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
