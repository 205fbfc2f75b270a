"""proposal ↔ clean-up links: a deputy's proposal names the volunteer clean-up days it led to

Revision ID: 8f5e3a1b2c44
Revises: 7d3c2e9f4a33
Create Date: 2026-11-29 11:20:00

Like proposal_reports: unlinking stamps unlinked_by/at and keeps the row; one active link per pair.
"""
import sqlalchemy as sa
from alembic import op

revision = '8f5e3a1b2c44'
down_revision = '7d3c2e9f4a33'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('proposal_cleanups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('cleanup_id', sa.Integer(), nullable=False),
    sa.Column('linked_by_id', sa.Integer(), nullable=True),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('unlinked_by_id', sa.Integer(), nullable=True),
    sa.Column('unlinked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['cleanup_id'], ['cleanups.id'], name=op.f('fk_proposal_cleanups_cleanup_id_cleanups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['linked_by_id'], ['users.id'], name=op.f('fk_proposal_cleanups_linked_by_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_cleanups_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unlinked_by_id'], ['users.id'], name=op.f('fk_proposal_cleanups_unlinked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_cleanups'))
    )
    with op.batch_alter_table('proposal_cleanups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_cleanups_cleanup_id'), ['cleanup_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_cleanups_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index('uq_proposal_cleanups_active', ['proposal_id', 'cleanup_id'], unique=True, sqlite_where=sa.text('unlinked_at IS NULL'), postgresql_where=sa.text('unlinked_at IS NULL'))


def downgrade() -> None:
    with op.batch_alter_table('proposal_cleanups', schema=None) as batch_op:
        batch_op.drop_index('uq_proposal_cleanups_active', sqlite_where=sa.text('unlinked_at IS NULL'), postgresql_where=sa.text('unlinked_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_proposal_cleanups_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_cleanups_cleanup_id'))
    op.drop_table('proposal_cleanups')
