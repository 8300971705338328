"""reminders: settings, preferences and the delivery ledger

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminder_delivery',
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
    sa.CheckConstraint("mode IN ('digest', 'immediate', 'off')", name=op.f('ck_reminder_delivery_mode')),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed', 'skipped')", name=op.f('ck_reminder_delivery_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_delivery')),
    sa.UniqueConstraint('email', 'item_key', 'due_on', 'offset_days', name=op.f('uq_reminder_delivery_email_item_key_due_on_offset_days'))
    )
    op.create_index('ix_reminder_delivery_remind_on', 'reminder_delivery', ['remind_on'], unique=False)
    op.create_index('ix_reminder_delivery_status_remind_on', 'reminder_delivery', ['status', 'remind_on'], unique=False)
    op.create_table('reminder_preference',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('category', sa.String(length=12), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("category IN ('stage', 'milestone')", name=op.f('ck_reminder_preference_category')),
    sa.CheckConstraint("mode IN ('digest', 'immediate', 'off')", name=op.f('ck_reminder_preference_mode')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_preference')),
    sa.UniqueConstraint('email', 'category', name=op.f('uq_reminder_preference_email_category'))
    )
    op.create_table('reminder_settings',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('offsets', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('send_hour', sa.SmallInteger(), nullable=False),
    sa.Column('skip_holidays', sa.Boolean(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_reminder_settings_single')),
    sa.CheckConstraint('send_hour BETWEEN 0 AND 23', name=op.f('ck_reminder_settings_send_hour')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_settings'))
    )


def downgrade():
    op.drop_table('reminder_settings')
    op.drop_table('reminder_preference')
    op.drop_index('ix_reminder_delivery_status_remind_on', table_name='reminder_delivery')
    op.drop_index('ix_reminder_delivery_remind_on', table_name='reminder_delivery')
    op.drop_table('reminder_delivery')
