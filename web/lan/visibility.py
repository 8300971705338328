"""Which tenants a LAN person sees: administrators all, coaches those assigned to them."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from tenants.db import db
from tenants.platform.accounts import Membership, Role
from tenants.platform.tenancy import Tenant


def assigned_tenant_ids(user) -> sa.Select:
    return sa.select(Membership.tenant_id).where(Membership.user_id == user.id,
                                                 Membership.role == Role.COACH)


def visible(stmt: sa.Select, user=None) -> sa.Select:
    """Narrow a select over Tenant to the tenants `user` may see."""
    user = user or current_user
    if user.is_lan_admin:
        return stmt
    if user.platform_role == Role.LAN_COACH:
        return stmt.where(Tenant.id.in_(assigned_tenant_ids(user)))
    return stmt.where(sa.false())


def tenant_or_404(tenant_id: int, *, lock: bool = False) -> Tenant:
    """The tenant if the current LAN person may see it; 404 otherwise (no hint it exists)."""
    stmt = visible(sa.select(Tenant).where(Tenant.id == tenant_id))
    if lock:
        stmt = stmt.with_for_update(of=Tenant)
    tenant = db.session.scalar(stmt)
    if tenant is None:
        abort(404)
    return tenant
