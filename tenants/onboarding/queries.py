"""Reading onboarding state: a tenant's agreements, its activation, which tenants a LAN
person may see."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenants.accounts.models import Membership, Role
from tenants.onboarding.models import Agreement
from tenants.outbox import LedgerEntry
from tenants.registry import Tenant


def activation_key(tenant_id: int) -> str:
    return f"tenant:{tenant_id}:activation"


def activation_entry(session: Session, tenant_id: int) -> LedgerEntry | None:
    return session.scalar(sa.select(LedgerEntry).where(
        LedgerEntry.key == activation_key(tenant_id)))


def agreements_of(session: Session, tenant_id: int) -> dict[str, Agreement]:
    """The tenant's current MoU and PKS: the latest of each kind (renewals included)."""
    return {a.kind: a for a in session.scalars(
        sa.select(Agreement).where(Agreement.tenant_id == tenant_id)
        .order_by(Agreement.valid_from, Agreement.id))}


def agreement_history(session: Session, tenant_id: int) -> list[Agreement]:
    """Every agreement of the tenant, newest first."""
    return list(session.scalars(
        sa.select(Agreement).where(Agreement.tenant_id == tenant_id)
        .order_by(Agreement.valid_from.desc(), Agreement.id.desc())))


def assigned_tenant_ids(user) -> sa.Select:
    return sa.select(Membership.tenant_id).where(Membership.user_id == user.id,
                                                 Membership.role == Role.COACH)


def visible(stmt: sa.Select, user) -> sa.Select:
    """Narrow a select over Tenant to the tenants `user` may see as LAN staff:
    administrators all, coaches those assigned to them."""
    if user.is_lan_admin:
        return stmt
    if user.platform_role == Role.LAN_COACH:
        return stmt.where(Tenant.id.in_(assigned_tenant_ids(user)))
    return stmt.where(sa.false())
