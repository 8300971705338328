"""Who may do what, where. Every view states its roles; non-members of a tenant get 404."""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import abort, g
from flask_login import current_user

from tenants.accounts.models import Membership, Role
from tenants.db import db

LAN_ROLES = frozenset({Role.LAN_ADMIN, Role.LAN_COACH})


def tenant_roles(user, tenant_id: int) -> frozenset[str]:
    """The roles `user` holds in the tenant; LAN administrators act as Bappeda there."""
    if not user.is_authenticated:
        return frozenset()
    roles = set(db.session.scalars(sa.select(Membership.role).where(
        Membership.user_id == user.id, Membership.tenant_id == tenant_id)))
    if user.is_lan_admin:
        roles.add(Role.LAN_ADMIN)
    if Role.COACH in roles and user.platform_role != Role.LAN_COACH:
        roles.discard(Role.COACH)  # an assignment outlives a revoked coach role, not its power
    return frozenset(roles)


def require_tenant_member() -> frozenset[str]:
    """Abort with 404 unless the signed-in user belongs to the current tenant."""
    roles = tenant_roles(current_user, g.tenant.id)
    if not roles:
        abort(404)
    g.tenant_roles = roles
    return roles


def roles_required(*allowed: str):
    """For tenant views: member of the tenant (else 404) with one of `allowed` (else 403)."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            roles = require_tenant_member()
            if allowed and not roles & set(allowed):
                abort(403)
            return view(*args, **kwargs)

        wrapper.allowed_roles = allowed
        return wrapper

    return decorate


def platform_role_required(*allowed: str):
    """For LAN views: a platform role among `allowed`, else 403."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if current_user.platform_role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapper.allowed_roles = allowed
        return wrapper

    return decorate


# --- An innovator's unit -------------------------------------------------------------------

def innovator_unit_ids() -> frozenset[int] | None:
    """The units the signed-in person may work on as an innovator of the current tenant, or
    None when they may work on every unit (a Bappeda administrator)."""
    roles = g.get("tenant_roles") or require_tenant_member()
    if Role.BAPPEDA_ADMIN in roles:
        return None
    if Role.INNOVATOR not in roles:
        return frozenset()
    return frozenset(db.session.scalars(sa.select(Membership.unit_id).where(
        Membership.user_id == current_user.id, Membership.tenant_id == g.tenant.id,
        Membership.role == Role.INNOVATOR)))


def own_units(stmt: sa.Select, unit_column) -> sa.Select:
    """Limit a select of unit-owned rows to what the signed-in person may change: an
    innovator sees their unit's rows only (anything else is simply not found)."""
    units = innovator_unit_ids()
    return stmt if units is None else stmt.where(unit_column.in_(units))


def may_change_unit(unit_id: int) -> bool:
    """Whether the signed-in person may change a row that belongs to `unit_id`."""
    units = innovator_unit_ids()
    return units is None or unit_id in units
