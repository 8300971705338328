"""the lab workflow: RPJMD, ideas with their IID profile, history and files, action plans,
coaching comments, drum-up commitments, launches and regulations, the lab's own stage dates

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('launch',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('cohort_id', sa.BigInteger(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=250), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_launch'))
    )
    op.create_table('rpjmd_period',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_year', sa.SmallInteger(), nullable=False),
    sa.Column('ends_year', sa.SmallInteger(), nullable=False),
    sa.Column('regulation', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('ends_year >= starts_year', name=op.f('ck_rpjmd_period_years')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rpjmd_period'))
    )
    op.create_table('stage_shift',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('cohort_id', sa.BigInteger(), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('deliverable_due', sa.Date(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("stage IN ('drum_up', 'diagnose', 'design', 'deliver', 'display')", name=op.f('ck_stage_shift_stage')),
    sa.CheckConstraint('deliverable_due BETWEEN starts_on AND ends_on', name=op.f('ck_stage_shift_due')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_stage_shift_window')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_shift')),
    sa.UniqueConstraint('cohort_id', 'stage', name=op.f('uq_stage_shift_cohort_id_stage'))
    )
    op.create_table('commitment',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('cohort_id', sa.BigInteger(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('signatory_name', sa.String(length=120), nullable=False),
    sa.Column('signatory_title', sa.String(length=160), nullable=True),
    sa.Column('document_key', sa.String(length=300), nullable=True),
    sa.Column('document_name', sa.String(length=200), nullable=True),
    sa.Column('document_size', sa.BigInteger(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_commitment_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment')),
    sa.UniqueConstraint('cohort_id', 'unit_id', name=op.f('uq_commitment_cohort_id_unit_id'))
    )
    op.create_index(op.f('ix_commitment_unit_id'), 'commitment', ['unit_id'], unique=False)
    op.create_table('regulation',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('launch_id', sa.BigInteger(), nullable=True),
    sa.Column('revises_id', sa.BigInteger(), nullable=True),
    sa.Column('document_key', sa.String(length=300), nullable=True),
    sa.Column('document_name', sa.String(length=200), nullable=True),
    sa.Column('document_size', sa.BigInteger(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('perbup', 'perwali')", name=op.f('ck_regulation_kind')),
    sa.ForeignKeyConstraint(['launch_id'], ['launch.id'], name=op.f('fk_regulation_launch_id_launch'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revises_id'], ['regulation.id'], name=op.f('fk_regulation_revises_id_regulation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regulation')),
    sa.UniqueConstraint('number', name=op.f('uq_regulation_number'))
    )
    op.create_table('rpjmd_priority',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('period_id', sa.BigInteger(), nullable=False),
    sa.Column('parent_id', sa.BigInteger(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('misi', 'sasaran')", name=op.f('ck_rpjmd_priority_kind')),
    sa.ForeignKeyConstraint(['parent_id'], ['rpjmd_priority.id'], name=op.f('fk_rpjmd_priority_parent_id_rpjmd_priority'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['period_id'], ['rpjmd_period.id'], name=op.f('fk_rpjmd_priority_period_id_rpjmd_period'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rpjmd_priority')),
    sa.UniqueConstraint('period_id', 'code', name=op.f('uq_rpjmd_priority_period_id_code'))
    )
    op.create_index(op.f('ix_rpjmd_priority_parent_id'), 'rpjmd_priority', ['parent_id'], unique=False)
    op.create_index(op.f('ix_rpjmd_priority_period_id'), 'rpjmd_priority', ['period_id'], unique=False)
    op.create_table('rpjmd_indicator',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('priority_id', sa.BigInteger(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('measure', sa.String(length=60), nullable=True),
    sa.Column('baseline', sa.String(length=60), nullable=True),
    sa.Column('target', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['priority_id'], ['rpjmd_priority.id'], name=op.f('fk_rpjmd_indicator_priority_id_rpjmd_priority'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rpjmd_indicator'))
    )
    op.create_index(op.f('ix_rpjmd_indicator_priority_id'), 'rpjmd_indicator', ['priority_id'], unique=False)
    op.create_table('idea',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('cohort_id', sa.BigInteger(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=250), nullable=False),
    sa.Column('acronym', sa.String(length=60), nullable=True),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('inisiator', sa.String(length=20), nullable=True),
    sa.Column('jenis', sa.String(length=12), nullable=True),
    sa.Column('bentuk', sa.String(length=20), nullable=True),
    sa.Column('urusan', postgresql.ARRAY(sa.String(length=30)), nullable=False),
    sa.Column('tematik', sa.String(length=30), nullable=True),
    sa.Column('tahapan', sa.String(length=12), nullable=False),
    sa.Column('trial_on', sa.Date(), nullable=True),
    sa.Column('launched_on', sa.Date(), nullable=True),
    sa.Column('problem', sa.Text(), nullable=True),
    sa.Column('root_causes', sa.Text(), nullable=True),
    sa.Column('affected', sa.Text(), nullable=True),
    sa.Column('design', sa.Text(), nullable=True),
    sa.Column('solution', sa.Text(), nullable=True),
    sa.Column('beneficiaries', sa.Text(), nullable=True),
    sa.Column('expected_results', sa.Text(), nullable=True),
    sa.Column('results', sa.Text(), nullable=True),
    sa.Column('priority_id', sa.BigInteger(), nullable=True),
    sa.Column('indicator_id', sa.BigInteger(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('stage_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("stage IN ('drum_up', 'diagnose', 'design', 'deliver', 'display')", name=op.f('ck_idea_stage')),
    sa.CheckConstraint("tahapan IN ('inisiatif', 'uji_coba', 'penerapan')", name=op.f('ck_idea_tahapan')),
    sa.ForeignKeyConstraint(['indicator_id'], ['rpjmd_indicator.id'], name=op.f('fk_idea_indicator_id_rpjmd_indicator'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['priority_id'], ['rpjmd_priority.id'], name=op.f('fk_idea_priority_id_rpjmd_priority'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_idea_unit_id_unit'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea'))
    )
    op.create_index(op.f('ix_idea_cohort_id'), 'idea', ['cohort_id'], unique=False)
    op.create_index('ix_idea_cohort_stage', 'idea', ['cohort_id', 'stage'], unique=False)
    op.create_index(op.f('ix_idea_unit_id'), 'idea', ['unit_id'], unique=False)
    op.create_table('attachment',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('idea_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('evidence', 'launch', 'photo')", name=op.f('ck_attachment_kind')),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_attachment_idea_id_idea'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    op.create_index(op.f('ix_attachment_idea_id'), 'attachment', ['idea_id'], unique=False)
    op.create_table('idea_event',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('idea_id', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('from_stage', sa.String(length=10), nullable=True),
    sa.Column('to_stage', sa.String(length=10), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('detail', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_idea_event_idea_id_idea'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_event'))
    )
    op.create_index(op.f('ix_idea_event_idea_id'), 'idea_event', ['idea_id'], unique=False)
    op.create_table('idea_innovator',
    sa.Column('idea_id', sa.BigInteger(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_idea_innovator_idea_id_idea'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_idea_innovator_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('idea_id', 'person_id', name=op.f('pk_idea_innovator'))
    )
    op.create_index(op.f('ix_idea_innovator_person_id'), 'idea_innovator', ['person_id'], unique=False)
    op.create_table('launch_idea',
    sa.Column('launch_id', sa.BigInteger(), nullable=False),
    sa.Column('idea_id', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_launch_idea_idea_id_idea'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['launch_id'], ['launch.id'], name=op.f('fk_launch_idea_launch_id_launch'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('launch_id', 'idea_id', name=op.f('pk_launch_idea'))
    )
    op.create_index(op.f('ix_launch_idea_idea_id'), 'launch_idea', ['idea_id'], unique=False)
    op.create_table('milestone',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('idea_id', sa.BigInteger(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=250), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('planned', 'in_progress', 'done')", name=op.f('ck_milestone_status')),
    sa.CheckConstraint('due_on IS NULL OR starts_on IS NULL OR due_on >= starts_on', name=op.f('ck_milestone_dates')),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_milestone_idea_id_idea'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['person.id'], name=op.f('fk_milestone_owner_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone'))
    )
    op.create_index('ix_milestone_idea_position', 'milestone', ['idea_id', 'position'], unique=False)
    op.create_index('ix_milestone_open_due', 'milestone', ['due_on'], unique=False, postgresql_where=sa.text("status <> 'done'"))
    op.create_table('regulation_idea',
    sa.Column('regulation_id', sa.BigInteger(), nullable=False),
    sa.Column('idea_id', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_regulation_idea_idea_id_idea'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['regulation_id'], ['regulation.id'], name=op.f('fk_regulation_idea_regulation_id_regulation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('regulation_id', 'idea_id', name=op.f('pk_regulation_idea'))
    )
    op.create_index(op.f('ix_regulation_idea_idea_id'), 'regulation_idea', ['idea_id'], unique=False)
    op.create_table('comment',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('idea_id', sa.BigInteger(), nullable=False),
    sa.Column('milestone_id', sa.BigInteger(), nullable=True),
    sa.Column('parent_id', sa.BigInteger(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('mentions', postgresql.ARRAY(sa.Integer()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_comment_idea_id_idea'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_comment_milestone_id_milestone'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['comment.id'], name=op.f('fk_comment_parent_id_comment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment'))
    )
    op.create_index(op.f('ix_comment_idea_id'), 'comment', ['idea_id'], unique=False)
    op.create_index(op.f('ix_comment_parent_id'), 'comment', ['parent_id'], unique=False)
    op.create_table('milestone_note',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('milestone_id', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_milestone_note_milestone_id_milestone'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone_note'))
    )
    op.create_index(op.f('ix_milestone_note_milestone_id'), 'milestone_note', ['milestone_id'], unique=False)
    op.add_column('unit', sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('unit', sa.Column('merged_into_id', sa.Integer(), nullable=True))
    op.create_foreign_key(op.f('fk_unit_merged_into_id_unit'), 'unit', 'unit', ['merged_into_id'], ['id'], ondelete='SET NULL')


def downgrade():
    op.drop_constraint(op.f('fk_unit_merged_into_id_unit'), 'unit', type_='foreignkey')
    op.drop_column('unit', 'merged_into_id')
    op.drop_column('unit', 'retired_at')
    op.drop_index(op.f('ix_milestone_note_milestone_id'), table_name='milestone_note')
    op.drop_table('milestone_note')
    op.drop_index(op.f('ix_comment_parent_id'), table_name='comment')
    op.drop_index(op.f('ix_comment_idea_id'), table_name='comment')
    op.drop_table('comment')
    op.drop_index(op.f('ix_regulation_idea_idea_id'), table_name='regulation_idea')
    op.drop_table('regulation_idea')
    op.drop_index('ix_milestone_open_due', table_name='milestone', postgresql_where=sa.text("status <> 'done'"))
    op.drop_index('ix_milestone_idea_position', table_name='milestone')
    op.drop_table('milestone')
    op.drop_index(op.f('ix_launch_idea_idea_id'), table_name='launch_idea')
    op.drop_table('launch_idea')
    op.drop_index(op.f('ix_idea_innovator_person_id'), table_name='idea_innovator')
    op.drop_table('idea_innovator')
    op.drop_index(op.f('ix_idea_event_idea_id'), table_name='idea_event')
    op.drop_table('idea_event')
    op.drop_index(op.f('ix_attachment_idea_id'), table_name='attachment')
    op.drop_table('attachment')
    op.drop_index(op.f('ix_idea_unit_id'), table_name='idea')
    op.drop_index('ix_idea_cohort_stage', table_name='idea')
    op.drop_index(op.f('ix_idea_cohort_id'), table_name='idea')
    op.drop_table('idea')
    op.drop_index(op.f('ix_rpjmd_indicator_priority_id'), table_name='rpjmd_indicator')
    op.drop_table('rpjmd_indicator')
    op.drop_index(op.f('ix_rpjmd_priority_period_id'), table_name='rpjmd_priority')
    op.drop_index(op.f('ix_rpjmd_priority_parent_id'), table_name='rpjmd_priority')
    op.drop_table('rpjmd_priority')
    op.drop_table('regulation')
    op.drop_index(op.f('ix_commitment_unit_id'), table_name='commitment')
    op.drop_table('commitment')
    op.drop_table('stage_shift')
    op.drop_table('rpjmd_period')
    op.drop_table('launch')
