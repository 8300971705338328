"""Alembic environment for one tenant schema.

The runner (`tenants.migrate`) passes an open connection and the schema; the migration
scripts name no schema and land in the one on the `search_path`. Each schema keeps its
own `alembic_version` table. From the command line (`alembic -n tenant ...`) the
schema is `-x schema=t_3513`, e.g. for autogenerate against a scratch tenant.
"""

from alembic import context
from sqlalchemy import create_engine, text

import tenants.models  # noqa: F401 - the tenant tables autogenerate compares against
from tenants.config import Settings
from tenants.provisioning import unqualified_tenant_metadata
from tenants.scope import checked_schema


def include_name(name, type_, parent_names):
    return not (type_ == "table" and name == "alembic_version")


def run(connection, schema, target_metadata=None):
    connection.execute(text(f'SET LOCAL search_path TO "{checked_schema(schema)}"'))
    # Autogenerate compares against the dialect's default schema; the dialect is shared by
    # every connection of the engine, so put it back afterwards.
    default_schema = connection.dialect.default_schema_name
    connection.dialect.default_schema_name = schema
    try:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table_schema=schema,
            include_name=include_name,
            compare_type=True,
            transactional_ddl=True,
        )
        context.run_migrations()
    finally:
        connection.dialect.default_schema_name = default_schema


config = context.config
connection = config.attributes.get("connection")
if connection is not None:
    # The runner only upgrades: no need to copy the models' metadata for every schema.
    run(connection, config.attributes["tenant_schema"])
else:
    schema = context.get_x_argument(as_dictionary=True)["schema"]
    engine = create_engine(Settings.from_env().database_url)
    with engine.begin() as conn:
        run(conn, schema, unqualified_tenant_metadata())
