"""The verbs of a lab's units and people (inside the tenant's scope).

Units are added, edited, merged into one another, retired and brought back by the lab's
Bappeda administrators (or imported from a file: `tenants.units.imports`); each change goes
into the lab's audit log. A unit's name is unique in the lab whatever its case, retired
units included, since they keep their history.

Inviting someone into the lab gives them an account and a role (`tenants.accounts`) and,
for an innovator, a person record in their unit: the two are kept in step here, so the
members page and the unit's people never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tenants.accounts.models import Invitation, Membership, Role, User
from tenants.accounts.operations import invite
from tenants.accounts.queries import find_user
from tenants.audit.operations import record_lab, record_platform
from tenants.db import utcnow
from tenants.labels import ROLE
from tenants.refusal import Refused
from tenants.scope import current_tenant
from tenants.units.models import Person, Unit, UnitKind

NAME_MAX = Unit.__table__.c.name.type.length
SHORT_NAME_MAX = Unit.__table__.c.short_name.type.length
PERSON_NAME_MAX = Person.__table__.c.name.type.length
POSITION_MAX = Person.__table__.c.position.type.length
EMAIL_MAX = Person.__table__.c.email.type.length
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def clean(text: str | None) -> str:
    """Text as it is kept: no spaces at either end, runs of spaces as one."""
    return " ".join((text or "").split())


def name_key(name: str):
    """What two names are compared by: case and spacing do not make another unit."""
    return sa.func.lower(sa.func.regexp_replace(sa.func.btrim(name), r"\s+", " ", "g"))


def lock_units(session: Session) -> None:
    # Names are checked before they are written: writers of units take turns, so that two
    # administrators (or an import) cannot add "Dinas Kesehatan" and "dinas kesehatan" at once.
    # Readers are not held up. The tenant's search_path names the schema.
    session.execute(sa.text("LOCK TABLE unit IN SHARE ROW EXCLUSIVE MODE"))


# --- Checking a unit's fields (shared with the import) ---------------------------------------

def unit_problems(name: str, kind: str | None, short_name: str | None) -> list[tuple[str, str]]:
    """What is wrong with these fields on their own, as (field, message) pairs."""
    problems = []
    if not name:
        problems.append(("name", _("Enter the unit's name.")))
    elif len(name) > NAME_MAX:
        problems.append(("name", _("The name is too long: at most %(n)s characters.",
                                   n=NAME_MAX)))
    if kind not in set(UnitKind):
        problems.append(("kind", _("Choose the type of unit.")))
    if short_name and len(short_name) > SHORT_NAME_MAX:
        problems.append(("short_name", _("The short name is too long: at most %(n)s "
                                         "characters.", n=SHORT_NAME_MAX)))
    return problems


def same_name(session: Session, name: str, but: int | None = None) -> Unit | None:
    """The unit already called `name` (whatever its case and spacing), other than `but`."""
    stmt = sa.select(Unit).where(name_key(Unit.name) == clean(name).lower())
    if but is not None:
        stmt = stmt.where(Unit.id != but)
    return session.scalars(stmt.limit(1)).first()


def name_taken(unit: Unit) -> str:
    """Why a name that `unit` already has cannot be given to another."""
    if unit.merged_into_id is not None:
        return _("“%(name)s” is the name of a unit that was merged into another. Choose "
                 "another name.", name=unit.name)
    if unit.retired_at is not None:
        return _("A retired unit is already called “%(name)s”. Bring it back on its page "
                 "instead of adding it again.", name=unit.name)
    return _("There is already a unit called “%(name)s”.", name=unit.name)


def _checked(session: Session, name: str, kind: str, short_name: str | None,
             unit: Unit | None = None) -> tuple[str, str, str | None]:
    name, kind, short_name = clean(name), (kind or "").strip(), clean(short_name) or None
    for field_name, message in unit_problems(name, kind, short_name):
        raise Refused(message, field_name)
    lock_units(session)
    other = same_name(session, name, but=unit.id if unit is not None else None)
    if other is not None:
        raise Refused(name_taken(other), "name")
    return name, kind, short_name


# --- Units --------------------------------------------------------------------------------

def add_unit(session: Session, *, name: str, kind: str, short_name: str | None = None,
             actor_id: int | None, ip: str | None = None) -> Unit:
    name, kind, short_name = _checked(session, name, kind, short_name)
    unit = Unit(name=name, kind=kind, short_name=short_name)
    session.add(unit)
    session.flush()
    record_lab(session, "units.added", actor_id=actor_id, target=name, ip=ip, kind=kind,
               short_name=short_name)
    return unit


def changes_of(unit: Unit, **values) -> dict[str, list]:
    """What setting `values` on `unit` would change: field -> [before, after]."""
    return {key: [getattr(unit, key), value] for key, value in values.items()
            if getattr(unit, key) != value}


def update_unit(session: Session, unit: Unit, *, name: str, kind: str,
                short_name: str | None = None, actor_id: int | None,
                ip: str | None = None) -> dict[str, list]:
    """Change a unit's name, type and short name; returns what changed (empty: nothing)."""
    name, kind, short_name = _checked(session, name, kind, short_name, unit)
    changes = changes_of(unit, name=name, kind=kind, short_name=short_name)
    if changes:
        for key, (_before, after) in changes.items():
            setattr(unit, key, after)
        record_lab(session, "units.changed", actor_id=actor_id, target=name, ip=ip, **changes)
    return changes


def retire_unit(session: Session, unit: Unit, *, actor_id: int | None,
                ip: str | None = None) -> None:
    """A retired unit keeps its people, ideas and history but takes no new ideas."""
    if unit.retired_at is not None:
        raise Refused(_("%(name)s is already retired.", name=unit.name))
    unit.retired_at = utcnow()
    record_lab(session, "units.retired", actor_id=actor_id, target=unit.name, ip=ip)


def restore_unit(session: Session, unit: Unit, *, actor_id: int | None,
                 ip: str | None = None) -> None:
    """Bring a retired unit back; a merged one cannot come back (its work is elsewhere)."""
    if unit.retired_at is None:
        raise Refused(_("%(name)s is not retired.", name=unit.name))
    if unit.merged_into_id is not None:
        into = session.get(Unit, unit.merged_into_id)
        raise Refused(_("%(name)s was merged into %(other)s and cannot be brought back: its "
                        "people and ideas are in %(other)s now.", name=unit.name,
                        other=into.name if into else "—"))
    unit.retired_at = None
    record_lab(session, "units.restored", actor_id=actor_id, target=unit.name, ip=ip)


# --- Merging ------------------------------------------------------------------------------

@dataclass
class Merged:
    """What a merge moved, by table ("person", "idea", "commitment", ...), and what stayed
    with the merged unit because the other unit already had one of its kind (a unit signs
    one commitment per cohort)."""

    into: Unit
    moved: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    memberships: int = 0


def referring_columns() -> list[sa.Column]:
    """Every column of the lab's tables that names a unit (ideas, people, commitments, and
    whatever later features add), but a unit's own `merged_into_id`."""
    units = Unit.__table__
    return [fk.parent for table in units.metadata.sorted_tables if table is not units
            for fk in table.foreign_keys if fk.column.table is units]


def _unique_partners(column: sa.Column) -> list[list[sa.Column]]:
    """For each unique key that includes `column`, its other columns."""
    table, keys = column.table, []
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint | sa.PrimaryKeyConstraint):
            cols = list(constraint.columns)
            if column in cols:
                keys.append([c for c in cols if c is not column])
    keys += [[c for c in index.columns if c is not column]
             for index in table.indexes if index.unique and column in index.columns]
    return keys


def _move_rows(session: Session, column: sa.Column, source: int, target: int) -> tuple[int, int]:
    """Point the rows of `column` at `target` instead of `source`, except those that would
    break a unique key; returns (moved, kept)."""
    table = column.table
    stmt = sa.update(table).where(column == source)
    for partners in _unique_partners(column):
        other = table.alias("other")
        stmt = stmt.where(~sa.exists().where(
            other.c[column.name] == target, *[other.c[c.name] == c for c in partners]))
    moved = session.execute(stmt.values({column.name: target})).rowcount
    kept = session.scalar(sa.select(sa.func.count()).select_from(table).where(column == source))
    return moved, kept


def merge_units(session: Session, unit: Unit, into_id: int | None, *, actor_id: int | None,
                ip: str | None = None) -> Merged:
    """Merge `unit` into another: its people, ideas, commitments (and so its milestones'
    owners, who are its people) and its innovators' memberships move; it is retired with
    `merged_into_id`, keeping its name and history."""
    into = session.get(Unit, into_id) if into_id is not None else None
    if into is None:
        raise Refused(_("Choose a unit from the list."), "into_id")
    if into.id == unit.id:
        raise Refused(_("A unit cannot be merged into itself. Choose another unit."), "into_id")
    if unit.merged_into_id is not None:
        raise Refused(_("%(name)s has already been merged into another unit.", name=unit.name))
    if into.retired_at is not None:
        raise Refused(_("%(name)s is retired, so nothing can be merged into it. Bring it "
                        "back first, or choose another unit.", name=into.name), "into_id")
    lock_units(session)
    session.flush()
    merged = Merged(into=into)
    for column in referring_columns():
        moved, kept = _move_rows(session, column, unit.id, into.id)
        table = column.table.name
        merged.moved[table] = merged.moved.get(table, 0) + moved
        if kept:
            merged.kept[table] = merged.kept.get(table, 0) + kept
    tenant = current_tenant(session)
    memberships = session.scalars(sa.select(Membership).where(
        Membership.tenant_id == tenant.id, Membership.unit_id == unit.id)).all()
    for membership in memberships:
        membership.unit_id = into.id
        record_platform(session, "membership.unit_changed", actor_id=actor_id,
                        tenant_id=tenant.id, target=membership.user.email, ip=ip,
                        unit=into.name, previous_unit=unit.name)
    merged.memberships = len(memberships)
    # Open invitations name the unit the invitee will join.
    session.execute(sa.update(Invitation).where(
        Invitation.tenant_id == tenant.id, Invitation.unit_id == unit.id,
        Invitation.accepted_at.is_(None), Invitation.withdrawn_at.is_(None))
        .values(unit_id=into.id))
    unit.merged_into_id = into.id
    unit.retired_at = unit.retired_at or utcnow()
    session.flush()
    # Rows moved above by statements: what the Session holds of them is stale now.
    session.expire_all()
    record_lab(session, "units.merged", actor_id=actor_id, target=unit.name, ip=ip,
               unit=into.name)
    return merged


# --- People -------------------------------------------------------------------------------

def _person_fields(session: Session, name: str, position: str | None, email: str | None,
                   person: Person | None = None) -> tuple[str, str | None, str | None]:
    name, position, email = clean(name), clean(position) or None, clean(email) or None
    if not name:
        raise Refused(_("Enter the person's name."), "name")
    if len(name) > PERSON_NAME_MAX:
        raise Refused(_("The name is too long: at most %(n)s characters.", n=PERSON_NAME_MAX),
                      "name")
    if position and len(position) > POSITION_MAX:
        raise Refused(_("The position is too long: at most %(n)s characters.",
                        n=POSITION_MAX), "position")
    if email is not None:
        if len(email) > EMAIL_MAX or not EMAIL_RE.match(email):
            raise Refused(_("Enter an email address like name@example.go.id."), "email")
        stmt = sa.select(Person).where(sa.func.lower(Person.email) == email.lower())
        if person is not None:
            stmt = stmt.where(Person.id != person.id)
        other = session.scalars(stmt.limit(1)).first()
        if other is not None:
            raise Refused(_("%(name)s (%(unit)s) already has this email address.",
                            name=other.name, unit=other.unit.name), "email")
    return name, position, email


def add_person(session: Session, unit: Unit, *, name: str, position: str | None = None,
               email: str | None = None, actor_id: int | None, ip: str | None = None) -> Person:
    if unit.retired_at is not None:
        raise Refused(_("%(name)s is retired and takes no new people.", name=unit.name))
    name, position, email = _person_fields(session, name, position, email)
    person = Person(unit=unit, name=name, position=position, email=email)
    session.add(person)
    session.flush()
    record_lab(session, "units.person_added", actor_id=actor_id, target=name, ip=ip,
               unit=unit.name)
    return person


def update_person(session: Session, person: Person, *, name: str, position: str | None = None,
                  email: str | None = None, actor_id: int | None,
                  ip: str | None = None) -> dict[str, list]:
    """Change a person's name, position and email; someone with an account keeps the email
    they sign in with (it changes on their account)."""
    name, position, email = _person_fields(session, name, position, email, person)
    if person.account_id is not None and (email or "").lower() != (person.email or "").lower():
        raise Refused(_("%(name)s signs in with %(email)s; that address can only be changed "
                        "on their own account.", name=person.name, email=person.email), "email")
    changes = {key: [getattr(person, key), value] for key, value in
               (("name", name), ("position", position), ("email", email))
               if getattr(person, key) != value}
    if changes:
        for key, (_before, after) in changes.items():
            setattr(person, key, after)
        record_lab(session, "units.person_changed", actor_id=actor_id, target=name, ip=ip,
                   unit=person.unit.name, **changes)
    return changes


# --- Members of the lab and their person records ---------------------------------------------

def _unit(session: Session, unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise Refused(_("Choose a unit from the list."), "unit_id")
    if unit.retired_at is not None:
        raise Refused(_("%(name)s is retired and takes no new people. Choose another unit.",
                        name=unit.name), "unit_id")
    return unit


def _keep_person(session: Session, user: User, unit: Unit) -> Person:
    """The person record of `user` in this lab, in `unit`: theirs, else the one the Bappeda
    entered with their email (preferably in that unit), else a new one."""
    person = session.scalar(sa.select(Person).where(Person.account_id == user.id))
    if person is None:
        person = session.scalars(
            sa.select(Person).where(Person.account_id.is_(None),
                                    sa.func.lower(Person.email) == user.email.lower())
            .order_by((Person.unit_id == unit.id).desc(), Person.id).limit(1)).first()
        if person is not None:
            person.account_id = user.id
    if person is None:
        person = Person(account_id=user.id, name=user.name, email=user.email, unit=unit)
        session.add(person)
    else:
        person.unit = unit
        person.email = user.email
    return person


def invite_member(session: Session, *, email: str, name: str, role: str,
                  unit_id: int | None, locale: str | None, actor_id: int | None,
                  ip: str | None = None) -> User:
    """Invite `email` into the current lab as Bappeda administrator or innovator of a unit.

    Someone who is already a member in that role is refused (an innovator's move to another
    unit is `move_innovator`, confirmed on its own)."""
    tenant = current_tenant(session)
    role = Role(role)
    unit = _unit(session, unit_id) if role == Role.INNOVATOR else None
    existing = find_user(email)
    if existing is not None:
        membership = session.scalar(sa.select(Membership).where(
            Membership.user_id == existing.id, Membership.tenant_id == tenant.id,
            Membership.role == role))
        if membership is not None:
            if role == Role.INNOVATOR and membership.unit_id != unit.id:
                current = session.get(Unit, membership.unit_id)
                raise Refused(_("%(name)s is already an innovator of %(unit)s. To move them "
                                "to %(other)s, use “Change unit” in the list below.",
                                name=existing.name, unit=current.name if current else "—",
                                other=unit.name), "email")
            raise Refused(_("%(email)s is already %(role)s in this lab.",
                            email=existing.email, role=ROLE[role]), "email")
    user = invite(email=email, name=name, role=role, tenant_id=tenant.id,
                  unit_id=unit.id if unit else None, unit_name=unit.name if unit else None,
                  locale=locale, invited_by_id=actor_id)
    if unit is not None:
        _keep_person(session, user, unit)
    record_lab(session, "people.invited", actor_id=actor_id, target=user.email, ip=ip,
               role=str(role), unit=unit.name if unit else None)
    return user


def move_innovator(session: Session, membership: Membership, unit_id: int, *,
                   actor_id: int | None, ip: str | None = None) -> Unit:
    """Move an innovator to another unit of the lab: the membership and the person record."""
    if membership.role != Role.INNOVATOR:
        raise Refused(_("Only an innovator belongs to a unit."))
    unit = _unit(session, unit_id)
    previous = session.get(Unit, membership.unit_id)
    if previous is not None and previous.id == unit.id:
        raise Refused(_("%(name)s is already in %(unit)s.", name=membership.user.name,
                        unit=unit.name), "unit_id")
    membership.unit_id = unit.id
    _keep_person(session, membership.user, unit)
    details = {"unit": unit.name, "previous_unit": previous.name if previous else None}
    record_lab(session, "people.unit_changed", actor_id=actor_id,
               target=membership.user.email, ip=ip, **details)
    record_platform(session, "membership.unit_changed", actor_id=actor_id,
                    tenant_id=membership.tenant_id, target=membership.user.email, ip=ip,
                    **details)
    return unit
