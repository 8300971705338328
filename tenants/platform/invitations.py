"""An invitation: who asked whom to take which role where. One invitation, one email."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import PlatformModel
from tenants.platform.accounts import User
from tenants.platform.tenancy import Tenant
from tenants.platform.timestamps import created_at


class Invitation(PlatformModel):
    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id, ondelete="CASCADE"),
                                         nullable=False, index=True)
    tenant_id: Mapped[int | None] = mapped_column(sa.ForeignKey(Tenant.id, ondelete="CASCADE"),
                                                  index=True)  # None: a LAN role
    role: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    unit_id: Mapped[int | None] = mapped_column(sa.Integer)  # an innovator's unit; no FK
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey(User.id, ondelete="SET NULL"))  # None: the system
    created_at: Mapped[datetime] = created_at()
    accepted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
    tenant: Mapped[Tenant | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "role IN ('lan_admin', 'lan_coach', 'bappeda_admin', 'innovator', 'coach')",
            name="role"),
        sa.CheckConstraint("(tenant_id IS NULL) = (role IN ('lan_admin', 'lan_coach'))",
                           name="role_scope"),
    )

    @property
    def mail_key(self) -> str:
        """The ledger key of this invitation's email."""
        return f"mail:invitation:{self.id}"
