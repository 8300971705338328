"""Declarative bases, the Flask-SQLAlchemy handle and the tenant-aware Session.

Platform tables live in the `platform` schema. Tenant tables are declared in the
placeholder schema `tenant`, which never exists in the database: a statement only
reaches a real tenant schema through the `schema_translate_map` that a tenant scope
installs (see `tenants.scope`). Without a scope, the ORM refuses before SQL is sent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

PLATFORM_SCHEMA = "platform"
TENANT_SCHEMA = "tenant"  # placeholder; translated to t_<code> inside a tenant scope
TENANT_KEY = "labinov.tenant"

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class PlatformModel(DeclarativeBase):
    metadata = MetaData(schema=PLATFORM_SCHEMA, naming_convention=NAMING)


class TenantModel(DeclarativeBase):
    metadata = MetaData(schema=TENANT_SCHEMA, naming_convention=NAMING)


class OutsideTenantScope(RuntimeError):
    """A tenant table was queried by a Session that is not bound to a tenant."""


class TenantMixError(RuntimeError):
    """A Session bound to one tenant was asked to enter another."""


def is_tenant_table(table: sa.Table | None) -> bool:
    return table is not None and table.schema == TENANT_SCHEMA


@lru_cache(maxsize=4096)
def tenant_engine(engine: sa.Engine, schema: str) -> sa.Engine:
    """An engine sharing `engine`'s pool whose connections translate the placeholder."""
    return engine.execution_options(schema_translate_map={TENANT_SCHEMA: schema})


def _refuse_tenant_tables(mapper, clause) -> None:
    if mapper is not None:
        if is_tenant_table(sa.inspect(mapper).local_table):
            raise OutsideTenantScope(f"{sa.inspect(mapper).class_.__name__} is tenant data; "
                                     "enter a tenant scope first")
    elif isinstance(clause, sa.sql.ClauseElement):
        # Core statements on tenant tables carry no mapper; name the table instead of
        # letting the database report that the placeholder schema does not exist.
        for table in sa.sql.util.find_tables(clause, include_crud=True):
            if is_tenant_table(table):
                raise OutsideTenantScope(
                    f"{table.name} is a tenant table; enter a tenant scope first")


class TenantAwareSession(FlaskSession):
    """Routes every statement through the bound tenant's translated engine."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        tenant = self.info.get(TENANT_KEY)
        if tenant is None:
            _refuse_tenant_tables(mapper, clause)
        engine = super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
        if tenant is None or not isinstance(engine, sa.Engine):
            return engine
        return tenant_engine(engine, tenant.schema)


@event.listens_for(TenantAwareSession, "after_begin")
def _set_local_search_path(session, transaction, connection):
    # SET LOCAL dies with the transaction, so a pooled connection comes back clean.
    tenant = session.info.get(TENANT_KEY)
    if tenant is not None:
        connection.exec_driver_sql(f'SET LOCAL search_path TO "{tenant.schema}"')
        # The connection's info lives as long as its backend: the schemas it has served.
        connection.info.setdefault(SERVED_KEY, set()).add(tenant.schema)


SERVED_KEY = "labinov_tenant_schemas"


def cap_tenants_per_connection(engine: sa.Engine, limit: int) -> None:
    """Replace a pooled connection at checkout once it has served `limit` tenant schemas:
    its backend keeps every schema's catalog in memory until it ends (0: no limit)."""
    if limit <= 0:
        return

    @event.listens_for(engine, "checkout")
    def _retire_full(dbapi_connection, record, proxy):
        if len(record.info.get(SERVED_KEY, ())) >= limit:
            # The pool closes this backend and checks out a fresh one in its place.
            raise sa.exc.DisconnectionError(f"served {limit} tenant schemas")


db = SQLAlchemy(
    model_class=PlatformModel,
    session_options={"class_": TenantAwareSession},
    engine_options={"pool_pre_ping": True},
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def created_at() -> Mapped[datetime]:
    """A `created_at` column: set by the application, with the database's clock as fallback."""
    return mapped_column(sa.DateTime(timezone=True), nullable=False, default=utcnow,
                         server_default=sa.func.now())
