"""Reading a lab's units and their people (inside its tenant scope)."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenants.accounts.models import Membership, Role, User
from tenants.accounts.queries import Standing, standings
from tenants.scope import current_tenant
from tenants.units.models import Person, Unit, UnitKind
from tenants.units.operations import referring_columns


def unit_name(session: Session, unit_id: int | None) -> str | None:
    if unit_id is None:
        return None
    return session.scalar(sa.select(Unit.name).where(Unit.id == unit_id))


def units(session: Session) -> list[Unit]:
    """Every unit of the lab, retired ones included (they name past work)."""
    return session.scalars(sa.select(Unit).order_by(Unit.name)).all()


def active_units(session: Session) -> list[Unit]:
    """The units that take part now: those new ideas, people and innovators may join."""
    return session.scalars(sa.select(Unit).where(Unit.retired_at.is_(None))
                           .order_by(Unit.name)).all()


def count_by_kind(session: Session) -> dict[str, int]:
    return dict(session.execute(sa.select(Unit.kind, sa.func.count()).group_by(Unit.kind)).all())


# --- The units page -----------------------------------------------------------------------

@dataclass
class UnitRow:
    unit: Unit
    people: int = 0
    innovators: int = 0


@dataclass
class Overview:
    """The lab's units by type, in the order of `UnitKind`, and the retired ones apart."""

    by_kind: dict[str, list[UnitRow]] = field(default_factory=dict)
    retired: list[UnitRow] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # every unit's name, by id

    @property
    def active(self) -> int:
        return sum(len(rows) for rows in self.by_kind.values())


def _innovators_by_unit(session: Session) -> dict[int, int]:
    tenant = current_tenant(session)
    return dict(session.execute(
        sa.select(Membership.unit_id, sa.func.count())
        .where(Membership.tenant_id == tenant.id, Membership.role == Role.INNOVATOR)
        .group_by(Membership.unit_id)).all())


def overview(session: Session) -> Overview:
    people = dict(session.execute(sa.select(Person.unit_id, sa.func.count())
                                  .group_by(Person.unit_id)).all())
    innovators = _innovators_by_unit(session)
    result = Overview()
    order = {kind.value: n for n, kind in enumerate(UnitKind)}
    for unit in sorted(units(session), key=lambda u: (order.get(u.kind, 99),
                                                       u.name.lower())):
        row = UnitRow(unit, people.get(unit.id, 0), innovators.get(unit.id, 0))
        result.names[unit.id] = unit.name
        if unit.retired_at is not None:
            result.retired.append(row)
        else:
            result.by_kind.setdefault(unit.kind, []).append(row)
    result.retired.sort(key=lambda r: r.unit.name.lower())
    return result


# --- A unit's page ------------------------------------------------------------------------

@dataclass
class PersonRow:
    person: Person
    user: User | None = None        # their account, if they have one
    roles: list[str] = field(default_factory=list)  # their roles in this lab
    standing: Standing | None = None

    @property
    def innovator(self) -> bool:
        return Role.INNOVATOR in self.roles


def people_of(session: Session, unit: Unit) -> list[PersonRow]:
    """The unit's people by name, each with their account and roles in the lab, if any."""
    people = session.scalars(sa.select(Person).where(Person.unit_id == unit.id)
                             .order_by(sa.func.lower(Person.name), Person.id)).all()
    account_ids = {p.account_id for p in people if p.account_id is not None}
    users, roles = {}, {}
    if account_ids:
        tenant = current_tenant(session)
        users = {u.id: u for u in session.scalars(sa.select(User).where(
            User.id.in_(account_ids)))}
        for user_id, role in session.execute(sa.select(Membership.user_id, Membership.role)
                                             .where(Membership.tenant_id == tenant.id,
                                                    Membership.user_id.in_(account_ids))
                                             .order_by(Membership.role)):
            roles.setdefault(user_id, []).append(role)
    standing = standings(list(users.values()), current_tenant(session).id) if users else {}
    return [PersonRow(p, users.get(p.account_id), roles.get(p.account_id, []),
                      standing.get(p.account_id)) for p in people]


def person_in(session: Session, unit: Unit, person_id: int) -> Person | None:
    return session.scalar(sa.select(Person).where(Person.id == person_id,
                                                  Person.unit_id == unit.id))


@dataclass
class Belongings:
    """What belongs to a unit, and so what a merge would move: rows by table ("person",
    "idea", "commitment", ...) and innovators' memberships."""

    rows: dict[str, int] = field(default_factory=dict)
    memberships: int = 0


def belongings(session: Session, unit: Unit) -> Belongings:
    result = Belongings()
    for column in referring_columns():
        n = session.scalar(sa.select(sa.func.count()).select_from(column.table)
                           .where(column == unit.id))
        if n:
            table = column.table.name
            result.rows[table] = result.rows.get(table, 0) + n
    tenant = current_tenant(session)
    result.memberships = session.scalar(sa.select(sa.func.count()).select_from(Membership)
                                        .where(Membership.tenant_id == tenant.id,
                                               Membership.unit_id == unit.id))
    return result
