"""The one way into a tenant: bind a Session to the tenant's schema for its transactions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from tenants.db import TENANT_KEY, TenantMixError, db
from tenants.logs import current_slug

SCHEMA_RE = re.compile(r"^t_[0-9a-z_]{1,40}$")


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
        if not SCHEMA_RE.match(self.schema):
            raise ValueError(f"not a tenant schema name: {self.schema!r}")


def schema_for_code(regency_code: str) -> str:
    """Kemendagri code '35.13' -> schema 't_3513'."""
    return "t_" + regency_code.replace(".", "")


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
