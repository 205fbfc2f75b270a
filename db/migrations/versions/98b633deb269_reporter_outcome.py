"""reporter outcome, observations, one report per photo

Revision ID: 98b633deb269
Revises: 3f42d57e1818
Create Date: 2026-11-29 07:34:46.128145
"""
import sqlalchemy as sa
from alembic import op

revision = '98b633deb269'
down_revision = '3f42d57e1818'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('observations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=True),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('still','more','less','cleaned')", name=op.f('ck_observations_kind')),
    sa.ForeignKeyConstraint(['photo_id'], ['photos.id'], name=op.f('fk_observations_photo_id_photos'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_observations_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observations'))
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observations_report_id'), ['report_id'], unique=False)

    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photos_sha256'))
        batch_op.create_index('uq_photos_report_sha256', ['sha256'], unique=True, sqlite_where=sa.text("kind = 'report'"), postgresql_where=sa.text("kind = 'report'"))

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_fixed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('rating', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('rated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_reports_rating'), "rating IN ('satisfied','basically','unsatisfied')")


def downgrade() -> None:
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_reports_rating'), type_='check')
        batch_op.drop_column('rated_at')
        batch_op.drop_column('rating')
        batch_op.drop_column('confirmed_fixed_at')

    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_index('uq_photos_report_sha256', sqlite_where=sa.text("kind = 'report'"), postgresql_where=sa.text("kind = 'report'"))
        batch_op.create_index(batch_op.f('ix_photos_sha256'), ['sha256'], unique=False)

    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observations_report_id'))

    op.drop_table('observations')
