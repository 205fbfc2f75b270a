"""photo capture times on every stored photo; the step each status change records

Revision ID: b3e8f1a7c920
Revises: 9a6d4c2e1f55
Create Date: 2026-12-03 11:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'b3e8f1a7c920'
down_revision = '9a6d4c2e1f55'
branch_labels = None
depends_on = None

PHOTO_TABLES = ('photos', 'proposal_result_photos', 'cleanup_photos')


def upgrade() -> None:
    for table in PHOTO_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table != 'photos':
                batch_op.add_column(sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column('taken_source', sa.String(length=8), server_default='none',
                                          nullable=False))
    # Old rows: a state change is its new state; a note without one is a staff reply or, from the
    # reporter, "still there" (the only note a reporter could write).
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('step', sa.String(length=24), nullable=True))
    op.execute("UPDATE status_changes SET step = CASE"
               " WHEN from_state IS NULL OR from_state <> to_state THEN to_state"
               " WHEN actor = 'reporter' THEN 'still_there' ELSE 'reply' END")
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.alter_column('step', existing_type=sa.String(length=24), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_column('step')
    for table in PHOTO_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('taken_source')
            if table != 'photos':
                batch_op.drop_column('taken_at')
