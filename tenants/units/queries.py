"""Reading a lab's units (inside its tenant scope)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenants.units.models import Unit


def unit_name(session: Session, unit_id: int | None) -> str | None:
    if unit_id is None:
        return None
    return session.scalar(sa.select(Unit.name).where(Unit.id == unit_id))


def units(session: Session) -> list[Unit]:
    return session.scalars(sa.select(Unit).order_by(Unit.name)).all()


def count_by_kind(session: Session) -> dict[str, int]:
    return dict(session.execute(sa.select(Unit.kind, sa.func.count()).group_by(Unit.kind)).all())
