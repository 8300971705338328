"""Alembic environment for the `platform` schema."""

from alembic import context
from sqlalchemy import create_engine, text

import tenants.models  # noqa: F401 - every model, the platform ones among them
from tenants.config import Settings
from tenants.db import PLATFORM_SCHEMA, PlatformModel


def include_name(name, type_, parent_names):
    if type_ == "schema":
        return name == PLATFORM_SCHEMA
    return True


def run(connection):
    connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{PLATFORM_SCHEMA}"'))
    context.configure(
        connection=connection,
        target_metadata=PlatformModel.metadata,
        version_table_schema=PLATFORM_SCHEMA,
        include_schemas=True,
        include_name=include_name,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = create_engine(Settings.from_env().database_url)
    with engine.begin() as conn:
        run(conn)
