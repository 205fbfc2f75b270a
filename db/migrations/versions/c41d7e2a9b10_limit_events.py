"""limits on anonymous actions, kept in the database (across processes); one-time passwords; a
photo sent again by someone else is no longer refused by a unique index (intake decides, under a lock)

Revision ID: c41d7e2a9b10
Revises: b3e8f1a7c920
Create Date: 2026-12-03 14:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'c41d7e2a9b10'
down_revision = 'b3e8f1a7c920'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('limit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('shown', sa.String(length=40), nullable=False),
    sa.Column('refused', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_limit_events'))
    )
    with op.batch_alter_table('limit_events', schema=None) as batch_op:
        batch_op.create_index('ix_limit_events_count', ['action', 'key', 'refused', 'at'], unique=False)
        batch_op.create_index('ix_limit_events_at', ['at'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('filed_by', sa.String(length=64), nullable=True))
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_index('uq_photos_report_sha256', sqlite_where=sa.text("kind = 'report'"),
                            postgresql_where=sa.text("kind = 'report'"))
        batch_op.create_index('ix_photos_kind_sha256', ['kind', 'sha256'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_index('ix_photos_kind_sha256')
        batch_op.create_index('uq_photos_report_sha256', ['sha256'], unique=True,
                              sqlite_where=sa.text("kind = 'report'"), postgresql_where=sa.text("kind = 'report'"))
    op.execute("ALTER TABLE reports DROP COLUMN filed_by")  # in place: a rebuilt table would lose its triggers
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
    with op.batch_alter_table('limit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_limit_events_at')
        batch_op.drop_index('ix_limit_events_count')
    op.drop_table('limit_events')
