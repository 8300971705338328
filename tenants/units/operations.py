"""The verbs of a lab's units and people (inside the tenant's scope).

Inviting someone into the lab gives them an account and a role (`tenants.accounts`) and,
for an innovator, a person record in their unit: the two are kept in step here, so the
members page and the unit's people never disagree.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tenants.accounts.models import Membership, Role, User
from tenants.accounts.operations import invite
from tenants.accounts.queries import find_user
from tenants.audit.operations import record_lab, record_platform
from tenants.labels import ROLE
from tenants.refusal import Refused
from tenants.scope import current_tenant
from tenants.units.models import Person, Unit


def _unit(session: Session, unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise Refused(_("Choose a unit from the list."), "unit_id")
    return unit


def _keep_person(session: Session, user: User, unit: Unit) -> Person:
    """The person record of `user` in this lab, in `unit` (made if missing)."""
    person = session.scalar(sa.select(Person).where(Person.account_id == user.id))
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
