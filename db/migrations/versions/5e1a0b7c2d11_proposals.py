"""deputies' proposals: sessions, proposals, history, answers, contacts, extensions, results, report links

Revision ID: 5e1a0b7c2d11
Revises: 1f02c2cdb886
Create Date: 2026-11-29 10:43:25.031283
"""
import sqlalchemy as sa
from alembic import op

revision = '5e1a0b7c2d11'
down_revision = '1f02c2cdb886'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('congress_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('congress', sa.Integer(), nullable=False),
    sa.Column('meeting', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.CheckConstraint('congress > 0 AND meeting > 0', name=op.f('ck_congress_sessions_numbers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_congress_sessions'))
    )
    with op.batch_alter_table('congress_sessions', schema=None) as batch_op:
        batch_op.create_index('uq_congress_sessions_meeting', ['congress', 'meeting'], unique=True)

    op.create_table('proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('lead_deputy_id', sa.Integer(), nullable=True),
    sa.Column('lead_deputy_name', sa.String(length=100), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('topic', sa.String(length=32), nullable=False),
    sa.Column('lead_unit_id', sa.Integer(), nullable=True),
    sa.Column('km_from', sa.Float(), nullable=True),
    sa.Column('km_to', sa.Float(), nullable=True),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handling_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answer_class', sa.String(length=1), nullable=True),
    sa.Column('evaluation', sa.String(length=16), nullable=True),
    sa.Column('evaluated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("answer_class IS NULL OR answer_class IN ('A','B','C','D')", name=op.f('ck_proposals_answer_class')),
    sa.CheckConstraint("evaluation IS NULL OR evaluation IN ('satisfied','basically','unsatisfied')", name=op.f('ck_proposals_evaluation')),
    sa.CheckConstraint("state IN ('submitted','assigned','signed','handling','answered','evaluated','published','withdrawn')", name=op.f('ck_proposals_state')),
    sa.CheckConstraint("topic IN ('bank_improvement','water_protection','tourism_leisure','sewage','flood_safety','other')", name=op.f('ck_proposals_topic')),
    sa.CheckConstraint('km_from IS NULL OR km_to IS NULL OR km_from <= km_to', name=op.f('ck_proposals_km_range')),
    sa.ForeignKeyConstraint(['lead_deputy_id'], ['users.id'], name=op.f('fk_proposals_lead_deputy_id_users')),
    sa.ForeignKeyConstraint(['lead_unit_id'], ['units.id'], name=op.f('fk_proposals_lead_unit_id_units')),
    sa.ForeignKeyConstraint(['session_id'], ['congress_sessions.id'], name=op.f('fk_proposals_session_id_congress_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals')),
    sa.UniqueConstraint('number', name=op.f('uq_proposals_number'))
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_lead_deputy_id'), ['lead_deputy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_lead_unit_id'), ['lead_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_session_id'), ['session_id'], unique=False)
        batch_op.create_index('ix_proposals_state_deadline', ['state', 'deadline'], unique=False)

    op.create_table('proposal_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('answer_class', sa.String(length=1), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=100), nullable=False),
    sa.Column('follow_up', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("answer_class IN ('A','B','C','D')", name=op.f('ck_proposal_answers_answer_class')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_proposal_answers_author_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_answers_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_proposal_answers_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_answers'))
    )
    with op.batch_alter_table('proposal_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_answers_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('contacted_on', sa.Date(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("method IN ('phone','visit','meeting','letter','other')", name=op.f('ck_proposal_contacts_method')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_proposal_contacts_author_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_contacts_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_proposal_contacts_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_contacts'))
    )
    with op.batch_alter_table('proposal_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_contacts_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_extensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_by_name', sa.String(length=100), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_name', sa.String(length=100), nullable=True),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("decision IS NULL OR decision IN ('approved','refused')", name=op.f('ck_proposal_extensions_decision')),
    sa.CheckConstraint('months BETWEEN 1 AND 3', name=op.f('ck_proposal_extensions_months')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_proposal_extensions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_extensions_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_proposal_extensions_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_extensions')),
    sa.UniqueConstraint('proposal_id', name=op.f('uq_proposal_extensions_proposal_id'))
    )
    op.create_table('proposal_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('from_state', sa.String(length=24), nullable=True),
    sa.Column('to_state', sa.String(length=24), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_history_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_proposal_history_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_history'))
    )
    with op.batch_alter_table('proposal_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_history_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('linked_by_id', sa.Integer(), nullable=True),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('unlinked_by_id', sa.Integer(), nullable=True),
    sa.Column('unlinked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['linked_by_id'], ['users.id'], name=op.f('fk_proposal_reports_linked_by_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_reports_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_proposal_reports_report_id_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unlinked_by_id'], ['users.id'], name=op.f('fk_proposal_reports_unlinked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_reports'))
    )
    with op.batch_alter_table('proposal_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_reports_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_reports_report_id'), ['report_id'], unique=False)
        batch_op.create_index('uq_proposal_reports_active', ['proposal_id', 'report_id'], unique=True, sqlite_where=sa.text('unlinked_at IS NULL'), postgresql_where=sa.text('unlinked_at IS NULL'))

    op.create_table('proposal_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('river_km', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('greenway','steps','leisure_platform','waterside_platform','landscaping','other')", name=op.f('ck_proposal_results_kind')),
    sa.CheckConstraint("status IN ('planned','in_progress','done','suspended')", name=op.f('ck_proposal_results_status')),
    sa.CheckConstraint('progress BETWEEN 0 AND 100', name=op.f('ck_proposal_results_progress')),
    sa.CheckConstraint('weight > 0', name=op.f('ck_proposal_results_weight')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_results_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_results'))
    )
    with op.batch_alter_table('proposal_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_results_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_signers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_signers_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_proposal_signers_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_signers'))
    )
    with op.batch_alter_table('proposal_signers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_signers_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_signers_user_id'), ['user_id'], unique=False)

    op.create_table('proposal_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_units_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_proposal_units_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_units'))
    )
    with op.batch_alter_table('proposal_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_units_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_units_unit_id'), ['unit_id'], unique=False)

    op.create_table('proposal_villages',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_villages_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_proposal_villages_village_id_villages')),
    sa.PrimaryKeyConstraint('proposal_id', 'village_id', name=op.f('pk_proposal_villages'))
    )
    op.create_table('proposal_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=80), nullable=False),
    sa.Column('thumb_name', sa.String(length=80), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('image','pdf')", name=op.f('ck_proposal_attachments_kind')),
    sa.ForeignKeyConstraint(['answer_id'], ['proposal_answers.id'], name=op.f('fk_proposal_attachments_answer_id_proposal_answers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_attachments'))
    )
    with op.batch_alter_table('proposal_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_attachments_answer_id'), ['answer_id'], unique=False)

    op.create_table('proposal_result_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('public_name', sa.String(length=80), nullable=False),
    sa.Column('thumb_name', sa.String(length=80), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['result_id'], ['proposal_results.id'], name=op.f('fk_proposal_result_photos_result_id_proposal_results'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_result_photos'))
    )
    with op.batch_alter_table('proposal_result_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_result_photos_result_id'), ['result_id'], unique=False)

    op.create_table('proposal_result_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('planned','in_progress','done','suspended')", name=op.f('ck_proposal_result_updates_status')),
    sa.CheckConstraint('progress BETWEEN 0 AND 100', name=op.f('ck_proposal_result_updates_progress')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_proposal_result_updates_author_id_users')),
    sa.ForeignKeyConstraint(['result_id'], ['proposal_results.id'], name=op.f('fk_proposal_result_updates_result_id_proposal_results'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_result_updates'))
    )
    with op.batch_alter_table('proposal_result_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_result_updates_result_id'), ['result_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('proposal_result_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_result_updates_result_id'))

    op.drop_table('proposal_result_updates')
    with op.batch_alter_table('proposal_result_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_result_photos_result_id'))

    op.drop_table('proposal_result_photos')
    with op.batch_alter_table('proposal_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_attachments_answer_id'))

    op.drop_table('proposal_attachments')
    op.drop_table('proposal_villages')
    with op.batch_alter_table('proposal_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_units_unit_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_units_proposal_id'))

    op.drop_table('proposal_units')
    with op.batch_alter_table('proposal_signers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_signers_user_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_signers_proposal_id'))

    op.drop_table('proposal_signers')
    with op.batch_alter_table('proposal_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_results_proposal_id'))

    op.drop_table('proposal_results')
    with op.batch_alter_table('proposal_reports', schema=None) as batch_op:
        batch_op.drop_index('uq_proposal_reports_active', sqlite_where=sa.text('unlinked_at IS NULL'), postgresql_where=sa.text('unlinked_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_proposal_reports_report_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_reports_proposal_id'))

    op.drop_table('proposal_reports')
    with op.batch_alter_table('proposal_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_history_proposal_id'))

    op.drop_table('proposal_history')
    op.drop_table('proposal_extensions')
    with op.batch_alter_table('proposal_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_contacts_proposal_id'))

    op.drop_table('proposal_contacts')
    with op.batch_alter_table('proposal_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_answers_proposal_id'))

    op.drop_table('proposal_answers')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_proposals_state_deadline')
        batch_op.drop_index(batch_op.f('ix_proposals_session_id'))
        batch_op.drop_index(batch_op.f('ix_proposals_lead_unit_id'))
        batch_op.drop_index(batch_op.f('ix_proposals_lead_deputy_id'))

    op.drop_table('proposals')
    with op.batch_alter_table('congress_sessions', schema=None) as batch_op:
        batch_op.drop_index('uq_congress_sessions_meeting')

    op.drop_table('congress_sessions')
