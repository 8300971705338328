"""tenant schema version: each tenant's alembic revision mirrored on its platform row

Readiness compares every tenant with the head of the tenant tree in one query, instead of
reading one version table per schema.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('tenant', sa.Column('schema_version', sa.String(length=32), nullable=True), schema='platform')
    # Existing schemas: copy what each one's own version table says.
    op.execute("""
        DO $$
        DECLARE t record; v text;
        BEGIN
          FOR t IN SELECT id, schema_name FROM platform.tenant
                   WHERE to_regclass(format('%I.alembic_version', schema_name)) IS NOT NULL LOOP
            EXECUTE format('SELECT max(version_num) FROM %I.alembic_version', t.schema_name) INTO v;
            UPDATE platform.tenant SET schema_version = v WHERE id = t.id;
          END LOOP;
        END $$""")


def downgrade():
    op.drop_column('tenant', 'schema_version', schema='platform')
