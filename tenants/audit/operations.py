"""Recording administrative actions: platform-wide for LAN, inside the schema for a tenant."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenants.audit.models import AuditEntry, LabAuditEntry
from tenants.db import TENANT_SCHEMA, TenantMixError
from tenants.scope import checked_schema, current_tenant


def record_platform(session: Session, action: str, *, actor_id: int | None,
                    tenant_id: int | None = None, target: str | None = None,
                    ip: str | None = None, **detail) -> AuditEntry:
    """Add a platform audit entry to `session` (committed with the caller's work)."""
    entry = AuditEntry(action=action, actor_id=actor_id, tenant_id=tenant_id, target=target,
                       ip=ip, detail=detail)
    session.add(entry)
    return entry


def record_lab(session: Session, action: str, *, actor_id: int | None,
               target: str | None = None, ip: str | None = None, **detail) -> LabAuditEntry:
    """Add an entry to the tenant's own log; `session` must be inside a tenant scope."""
    if current_tenant(session) is None:
        raise RuntimeError("record_lab needs a session inside a tenant scope")
    entry = LabAuditEntry(action=action, actor_id=actor_id, target=target, ip=ip, detail=detail)
    session.add(entry)
    return entry


def record_lab_in(session: Session, schema: str, action: str, *, actor_id: int | None,
                  target: str | None = None, ip: str | None = None, **detail) -> None:
    """Write one row to a tenant's own log from a platform transaction (LAN acting on the
    tenant: activating, suspending it, assigning a coach).

    Only for a platform change that must commit together with the one log row that tells
    the lab about it; everything else enters the tenant through `tenants.scope`. The insert
    runs on the caller's connection with the schema named explicitly.
    """
    bound = current_tenant(session)
    if bound is not None and bound.schema != schema:
        # The bound tenant's translate map would win and the row would land in its log.
        raise TenantMixError(f"session is bound to {bound.schema}, not {schema}")
    stmt = sa.insert(LabAuditEntry.__table__).values(
        action=action, actor_id=actor_id, target=target, ip=ip, detail=detail)
    session.connection().execute(
        stmt.execution_options(schema_translate_map={TENANT_SCHEMA: checked_schema(schema)}))

