"""invitations, and the invitation an invite token answers

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(tenant_id IS NULL) = (role IN ('lan_admin', 'lan_coach'))", name=op.f('ck_invitation_role_scope')),
    sa.CheckConstraint("role IN ('lan_admin', 'lan_coach', 'bappeda_admin', 'innovator', 'coach')", name=op.f('ck_invitation_role')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['platform.account.id'], name=op.f('fk_invitation_invited_by_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['platform.tenant.id'], name=op.f('fk_invitation_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['platform.account.id'], name=op.f('fk_invitation_user_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    schema='platform'
    )
    op.create_index(op.f('ix_invitation_tenant_id'), 'invitation', ['tenant_id'], unique=False, schema='platform')
    op.create_index(op.f('ix_invitation_user_id'), 'invitation', ['user_id'], unique=False, schema='platform')
    op.add_column('token', sa.Column('invitation_id', sa.Integer(), nullable=True), schema='platform')
    op.create_index(op.f('ix_token_invitation_id'), 'token', ['invitation_id'], unique=False, schema='platform')
    op.create_foreign_key(op.f('fk_token_invitation_id_invitation'), 'token', 'invitation', ['invitation_id'], ['id'], source_schema='platform', referent_schema='platform', ondelete='CASCADE')


def downgrade():
    op.drop_constraint(op.f('fk_token_invitation_id_invitation'), 'token', schema='platform', type_='foreignkey')
    op.drop_index(op.f('ix_token_invitation_id'), table_name='token', schema='platform')
    op.drop_column('token', 'invitation_id', schema='platform')
    op.drop_index(op.f('ix_invitation_user_id'), table_name='invitation', schema='platform')
    op.drop_index(op.f('ix_invitation_tenant_id'), table_name='invitation', schema='platform')
    op.drop_table('invitation', schema='platform')
