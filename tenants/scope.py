"""The one way into a tenant: bind a Session to the tenant's schema for its transactions.

    with tenant_scope(ref):              # the app's scoped session (a request, a job)
    with tenant_session(ref) as s:       # a Session of its own
    for ref, s in for_each_tenant(refs): # work across tenants, one tenant at a time
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from tenants.db import TENANT_KEY, TenantMixError, db
from tenants.logs import current_slug

SCHEMA_RE = re.compile(r"^t_[0-9a-z_]{1,40}$")


def checked_schema(schema: str) -> str:
    """`schema` if it is a tenant schema name (safe to quote into SQL); ValueError otherwise."""
    if not isinstance(schema, str) or not SCHEMA_RE.match(schema):
        raise ValueError(f"not a tenant schema name: {schema!r}")
    return schema


@dataclass(frozen=True)
class TenantRef:
    """What the tenancy core needs to know about a tenant; safe to pass between threads."""

    id: int
    slug: str
    schema: str
    name: str
    status: str
    timezone: str
    default_locale: str

    def __post_init__(self):
        checked_schema(self.schema)


def current_tenant(session: Session | None = None) -> TenantRef | None:
    return (session or db.session).info.get(TENANT_KEY)


@contextmanager
def tenant_scope(tenant: TenantRef, session: Session | None = None) -> Iterator[Session]:
    """Bind `session` (default: the app's scoped session) to `tenant` until the block ends.

    Must be entered before the session begins a transaction, so that every connection it
    uses carries the tenant's translate map and `SET LOCAL search_path`. Re-entering for the
    same tenant is a no-op; entering for another raises `TenantMixError`.
    """
    session = session if session is not None else db.session()
    bound = session.info.get(TENANT_KEY)
    if bound is not None:
        if bound.schema != tenant.schema:
            raise TenantMixError(f"session is bound to {bound.schema}, not {tenant.schema}")
        yield session
        return
    if session.in_transaction():
        raise TenantMixError("enter the tenant scope before the session begins a transaction")
    session.info[TENANT_KEY] = tenant
    marked = current_slug.set(tenant.slug)
    try:
        yield session
    finally:
        session.close()
        session.info.pop(TENANT_KEY, None)
        current_slug.reset(marked)


@contextmanager
def tenant_session(tenant: TenantRef) -> Iterator[Session]:
    """A Session of its own bound to `tenant`, leaving the app's scoped session untouched."""
    session = db.session.session_factory()
    with tenant_scope(tenant, session):
        yield session


def for_each_tenant(tenants: Iterable[TenantRef]) -> Iterator[tuple[TenantRef, Session]]:
    """The one door for work across tenants: a Session of its own per tenant, in turn.

    Each Session is closed before the next tenant's opens, so no statement ever reaches two
    tenant schemas; commit inside the loop body what must be kept.
    """
    for tenant in tenants:
        with tenant_session(tenant) as session:
            yield tenant, session
