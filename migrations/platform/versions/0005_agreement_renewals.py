"""agreement renewals: a renewal is an agreement of its own naming the one it renews

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('agreement', sa.Column('renews_id', sa.Integer(), nullable=True), schema='platform')
    op.drop_constraint(op.f('uq_agreement_tenant_id_kind'), 'agreement', schema='platform', type_='unique')
    op.create_index('uq_agreement_first_of_kind', 'agreement', ['tenant_id', 'kind'], unique=True, schema='platform', postgresql_where=sa.text('renews_id IS NULL'))
    op.create_unique_constraint(op.f('uq_agreement_renews_id'), 'agreement', ['renews_id'], schema='platform')
    op.create_foreign_key(op.f('fk_agreement_renews_id_agreement'), 'agreement', 'agreement', ['renews_id'], ['id'], source_schema='platform', referent_schema='platform', ondelete='SET NULL')


def downgrade():
    op.drop_constraint(op.f('fk_agreement_renews_id_agreement'), 'agreement', schema='platform', type_='foreignkey')
    op.drop_constraint(op.f('uq_agreement_renews_id'), 'agreement', schema='platform', type_='unique')
    op.drop_index('uq_agreement_first_of_kind', table_name='agreement', schema='platform', postgresql_where=sa.text('renews_id IS NULL'))
    op.create_unique_constraint(op.f('uq_agreement_tenant_id_kind'), 'agreement', ['tenant_id', 'kind'], schema='platform')
    op.drop_column('agreement', 'renews_id', schema='platform')
