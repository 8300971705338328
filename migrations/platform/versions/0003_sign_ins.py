"""sign-ins: one row per signed-in browser, revoked on sign-out; the per-account session
token they replace is dropped

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('user_agent', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['platform.account.id'], name=op.f('fk_sign_in_user_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_sign_in_token_hash')),
    schema='platform'
    )
    op.create_index(op.f('ix_sign_in_user_id'), 'sign_in', ['user_id'], unique=False, schema='platform')
    op.drop_column('account', 'session_token', schema='platform')


def downgrade():
    op.add_column('account', sa.Column('session_token', sa.VARCHAR(length=64), server_default=sa.text("md5(random()::text)"), nullable=False), schema='platform')
    op.drop_index(op.f('ix_sign_in_user_id'), table_name='sign_in', schema='platform')
    op.drop_table('sign_in', schema='platform')
