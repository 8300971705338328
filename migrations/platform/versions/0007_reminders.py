"""reminders: LAN's ledger of agreement expiry reminders

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agreement_reminder',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('category', sa.String(length=12), nullable=False),
    sa.Column('item_key', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('path', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('offset_days', sa.SmallInteger(), nullable=False),
    sa.Column('remind_on', sa.Date(), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.String(length=250), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("mode IN ('digest', 'immediate', 'off')", name=op.f('ck_agreement_reminder_mode')),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed', 'skipped')", name=op.f('ck_agreement_reminder_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_reminder')),
    sa.UniqueConstraint('email', 'item_key', 'due_on', 'offset_days', name=op.f('uq_agreement_reminder_email_item_key_due_on_offset_days')),
    schema='platform'
    )
    op.create_index('ix_agreement_reminder_status_remind_on', 'agreement_reminder', ['status', 'remind_on'], unique=False, schema='platform')
    op.create_index(op.f('ix_agreement_reminder_tenant_id'), 'agreement_reminder', ['tenant_id'], unique=False, schema='platform')


def downgrade():
    op.drop_index(op.f('ix_agreement_reminder_tenant_id'), table_name='agreement_reminder', schema='platform')
    op.drop_index('ix_agreement_reminder_status_remind_on', table_name='agreement_reminder', schema='platform')
    op.drop_table('agreement_reminder', schema='platform')
