"""platform schema

Revision ID: 0001
Revises:
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=True),
    sa.Column('platform_role', sa.String(length=20), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("locale IN ('id', 'en')", name=op.f('ck_account_locale')),
    sa.CheckConstraint("platform_role IN ('lan_admin', 'lan_coach')", name=op.f('ck_account_platform_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account')),
    schema='platform'
    )
    op.create_index('uq_account_email_lower', 'account', [sa.literal_column('lower(email)')], unique=True, schema='platform')
    op.create_table('ledger_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('claimed', 'done', 'failed')", name=op.f('ck_ledger_entry_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entry')),
    sa.UniqueConstraint('key', name=op.f('uq_ledger_entry_key')),
    schema='platform'
    )
    op.create_index(op.f('ix_ledger_entry_tenant_id'), 'ledger_entry', ['tenant_id'], unique=False, schema='platform')
    op.create_table('province',
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_province')),
    schema='platform'
    )
    op.create_table('regency',
    sa.Column('code', sa.String(length=5), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('official_name', sa.String(length=100), nullable=False),
    sa.CheckConstraint("kind IN ('KABUPATEN', 'KOTA')", name=op.f('ck_regency_kind')),
    sa.ForeignKeyConstraint(['province_code'], ['platform.province.code'], name=op.f('fk_regency_province_code_province')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_regency')),
    schema='platform'
    )
    op.create_index(op.f('ix_regency_province_code'), 'regency', ['province_code'], unique=False, schema='platform')
    op.create_table('tenant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('regency_code', sa.String(length=5), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('schema_name', sa.String(length=63), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('timezone', sa.String(length=40), nullable=False),
    sa.Column('default_locale', sa.String(length=5), nullable=False),
    sa.Column('admin_name', sa.String(length=120), nullable=True),
    sa.Column('admin_email', sa.String(length=254), nullable=True),
    sa.Column('admin_locale', sa.String(length=5), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('provisioned_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("default_locale IN ('id', 'en')", name=op.f('ck_tenant_default_locale')),
    sa.CheckConstraint("schema_name ~ '^t_[0-9a-z_]{1,40}$'", name=op.f('ck_tenant_schema_name')),
    sa.CheckConstraint("status IN ('draft', 'mou_signed', 'pks_signed', 'provisioning', 'active', 'suspended', 'archived')", name=op.f('ck_tenant_status')),
    sa.ForeignKeyConstraint(['regency_code'], ['platform.regency.code'], name=op.f('fk_tenant_regency_code_regency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenant')),
    sa.UniqueConstraint('regency_code', name=op.f('uq_tenant_regency_code')),
    sa.UniqueConstraint('schema_name', name=op.f('uq_tenant_schema_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_tenant_slug')),
    schema='platform'
    )
    op.create_table('agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=3), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('lan_signatory_name', sa.String(length=120), nullable=False),
    sa.Column('lan_signatory_title', sa.String(length=160), nullable=False),
    sa.Column('regional_signatory_name', sa.String(length=120), nullable=False),
    sa.Column('regional_signatory_title', sa.String(length=160), nullable=False),
    sa.Column('document_key', sa.String(length=300), nullable=True),
    sa.Column('document_name', sa.String(length=200), nullable=True),
    sa.Column('document_size', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('mou', 'pks')", name=op.f('ck_agreement_kind')),
    sa.CheckConstraint('valid_until >= valid_from', name=op.f('ck_agreement_validity')),
    sa.ForeignKeyConstraint(['created_by_id'], ['platform.account.id'], name=op.f('fk_agreement_created_by_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['platform.tenant.id'], name=op.f('fk_agreement_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement')),
    sa.UniqueConstraint('kind', 'number', name=op.f('uq_agreement_kind_number')),
    sa.UniqueConstraint('tenant_id', 'kind', name=op.f('uq_agreement_tenant_id_kind')),
    schema='platform'
    )
    op.create_index(op.f('ix_agreement_tenant_id'), 'agreement', ['tenant_id'], unique=False, schema='platform')
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('target', sa.String(length=200), nullable=True),
    sa.Column('detail', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['platform.account.id'], name=op.f('fk_audit_entry_actor_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['platform.tenant.id'], name=op.f('fk_audit_entry_tenant_id_tenant'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry')),
    schema='platform'
    )
    op.create_index(op.f('ix_audit_entry_action'), 'audit_entry', ['action'], unique=False, schema='platform')
    op.create_index(op.f('ix_audit_entry_actor_id'), 'audit_entry', ['actor_id'], unique=False, schema='platform')
    op.create_index('ix_audit_entry_at', 'audit_entry', [sa.literal_column('at DESC')], unique=False, schema='platform')
    op.create_index(op.f('ix_audit_entry_tenant_id'), 'audit_entry', ['tenant_id'], unique=False, schema='platform')
    op.create_table('membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("role <> 'innovator' OR unit_id IS NOT NULL", name=op.f('ck_membership_innovator_unit')),
    sa.CheckConstraint("role IN ('bappeda_admin', 'innovator', 'coach')", name=op.f('ck_membership_role')),
    sa.ForeignKeyConstraint(['tenant_id'], ['platform.tenant.id'], name=op.f('fk_membership_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['platform.account.id'], name=op.f('fk_membership_user_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership')),
    sa.UniqueConstraint('user_id', 'tenant_id', 'role', name=op.f('uq_membership_user_id_tenant_id_role')),
    schema='platform'
    )
    op.create_index(op.f('ix_membership_tenant_id'), 'membership', ['tenant_id'], unique=False, schema='platform')
    op.create_index(op.f('ix_membership_user_id'), 'membership', ['user_id'], unique=False, schema='platform')
    op.create_table('tenant_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('note', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['platform.account.id'], name=op.f('fk_tenant_event_actor_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['platform.tenant.id'], name=op.f('fk_tenant_event_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenant_event')),
    schema='platform'
    )
    op.create_index(op.f('ix_tenant_event_tenant_id'), 'tenant_event', ['tenant_id'], unique=False, schema='platform')
    op.create_table('token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('invite', 'reset')", name=op.f('ck_token_kind')),
    sa.ForeignKeyConstraint(['tenant_id'], ['platform.tenant.id'], name=op.f('fk_token_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['platform.account.id'], name=op.f('fk_token_user_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_token_token_hash')),
    schema='platform'
    )
    op.create_index(op.f('ix_token_user_id'), 'token', ['user_id'], unique=False, schema='platform')


def downgrade():
    op.drop_index(op.f('ix_token_user_id'), table_name='token', schema='platform')
    op.drop_table('token', schema='platform')
    op.drop_index(op.f('ix_tenant_event_tenant_id'), table_name='tenant_event', schema='platform')
    op.drop_table('tenant_event', schema='platform')
    op.drop_index(op.f('ix_membership_user_id'), table_name='membership', schema='platform')
    op.drop_index(op.f('ix_membership_tenant_id'), table_name='membership', schema='platform')
    op.drop_table('membership', schema='platform')
    op.drop_index(op.f('ix_audit_entry_tenant_id'), table_name='audit_entry', schema='platform')
    op.drop_index('ix_audit_entry_at', table_name='audit_entry', schema='platform')
    op.drop_index(op.f('ix_audit_entry_actor_id'), table_name='audit_entry', schema='platform')
    op.drop_index(op.f('ix_audit_entry_action'), table_name='audit_entry', schema='platform')
    op.drop_table('audit_entry', schema='platform')
    op.drop_index(op.f('ix_agreement_tenant_id'), table_name='agreement', schema='platform')
    op.drop_table('agreement', schema='platform')
    op.drop_table('tenant', schema='platform')
    op.drop_index(op.f('ix_regency_province_code'), table_name='regency', schema='platform')
    op.drop_table('regency', schema='platform')
    op.drop_table('province', schema='platform')
    op.drop_index(op.f('ix_ledger_entry_tenant_id'), table_name='ledger_entry', schema='platform')
    op.drop_table('ledger_entry', schema='platform')
    op.drop_index('uq_account_email_lower', table_name='account', schema='platform')
    op.drop_table('account', schema='platform')
