"""cohorts: their stages, coaches and enrolled tenants, and one summary row per enrolled lab

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cohort',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('year BETWEEN 2015 AND 2100', name=op.f('ck_cohort_year')),
    sa.ForeignKeyConstraint(['created_by_id'], ['platform.account.id'], name=op.f('fk_cohort_created_by_id_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort')),
    sa.UniqueConstraint('name', name=op.f('uq_cohort_name')),
    schema='platform'
    )
    op.create_table('cohort_coach',
    sa.Column('cohort_id', sa.BigInteger(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['platform.cohort.id'], name=op.f('fk_cohort_coach_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['platform.account.id'], name=op.f('fk_cohort_coach_user_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', 'user_id', name=op.f('pk_cohort_coach')),
    schema='platform'
    )
    op.create_table('cohort_stage',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('cohort_id', sa.BigInteger(), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('deliverable_due', sa.Date(), nullable=False),
    sa.CheckConstraint("stage IN ('drum_up', 'diagnose', 'design', 'deliver', 'display')", name=op.f('ck_cohort_stage_stage')),
    sa.CheckConstraint('deliverable_due BETWEEN starts_on AND ends_on', name=op.f('ck_cohort_stage_due')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_cohort_stage_window')),
    sa.ForeignKeyConstraint(['cohort_id'], ['platform.cohort.id'], name=op.f('fk_cohort_stage_cohort_id_cohort'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_stage')),
    sa.UniqueConstraint('cohort_id', 'stage', name=op.f('uq_cohort_stage_cohort_id_stage')),
    schema='platform'
    )
    op.create_table('enrolment',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('cohort_id', sa.BigInteger(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('enrolled_by_id', sa.Integer(), nullable=True),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['platform.cohort.id'], name=op.f('fk_enrolment_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolled_by_id'], ['platform.account.id'], name=op.f('fk_enrolment_enrolled_by_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['platform.tenant.id'], name=op.f('fk_enrolment_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment')),
    sa.UniqueConstraint('cohort_id', 'tenant_id', name=op.f('uq_enrolment_cohort_id_tenant_id')),
    schema='platform'
    )
    op.create_index(op.f('ix_enrolment_tenant_id'), 'enrolment', ['tenant_id'], unique=False, schema='platform')
    op.create_table('lab_summary',
    sa.Column('cohort_id', sa.BigInteger(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('ideas', sa.Integer(), nullable=False),
    sa.Column('by_stage', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('milestones', sa.Integer(), nullable=False),
    sa.Column('late_milestones', sa.Integer(), nullable=False),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('units_without_ideas', sa.Integer(), nullable=False),
    sa.Column('current_stage', sa.String(length=10), nullable=True),
    sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refreshed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['platform.cohort.id'], name=op.f('fk_lab_summary_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['platform.tenant.id'], name=op.f('fk_lab_summary_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', 'tenant_id', name=op.f('pk_lab_summary')),
    schema='platform'
    )
    op.create_index(op.f('ix_lab_summary_tenant_id'), 'lab_summary', ['tenant_id'], unique=False, schema='platform')


def downgrade():
    op.drop_index(op.f('ix_lab_summary_tenant_id'), table_name='lab_summary', schema='platform')
    op.drop_table('lab_summary', schema='platform')
    op.drop_index(op.f('ix_enrolment_tenant_id'), table_name='enrolment', schema='platform')
    op.drop_table('enrolment', schema='platform')
    op.drop_table('cohort_stage', schema='platform')
    op.drop_table('cohort_coach', schema='platform')
    op.drop_table('cohort', schema='platform')
