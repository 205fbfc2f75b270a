"""initial schema

Revision ID: 3f42d57e1818
Revises: 
Create Date: 2026-11-29 07:16:54.174335
"""
import sqlalchemy as sa
from alembic import op

revision = '3f42d57e1818'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('river_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('reach_length_m', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_river_versions'))
    )
    op.create_table('villages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('approximate', sa.Boolean(), nullable=False),
    sa.Column('riverside', sa.Boolean(), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_villages')),
    sa.UniqueConstraint('code', name=op.f('uq_villages_code'))
    )
    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('size', sa.String(length=16), nullable=True),
    sa.Column('cleaned_by_reporter', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('location_source', sa.String(length=16), nullable=False),
    sa.Column('river_version_id', sa.Integer(), nullable=True),
    sa.Column('river_km', sa.Float(), nullable=True),
    sa.Column('distance_m', sa.Float(), nullable=True),
    sa.Column('bank', sa.String(length=8), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('off_river', sa.Boolean(), nullable=False),
    sa.Column('reporter_name', sa.String(length=100), nullable=True),
    sa.Column('reporter_phone', sa.String(length=32), nullable=True),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('supporters', sa.Integer(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('dispatched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('called_back_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('on_site_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('fixed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("bank IN ('left','right','on')", name=op.f('ck_reports_bank')),
    sa.CheckConstraint("visibility IN ('staff','anonymous','public')", name=op.f('ck_reports_visibility')),
    sa.CheckConstraint('supporters >= 0', name=op.f('ck_reports_supporters')),
    sa.ForeignKeyConstraint(['river_version_id'], ['river_versions.id'], name=op.f('fk_reports_river_version_id_river_versions')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_reports_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('code', name=op.f('uq_reports_code'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_river_km'), ['river_km'], unique=False)
        batch_op.create_index('ix_reports_state_created', ['state', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_village_id'), ['village_id'], unique=False)

    op.create_table('river_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('schematic', sa.Boolean(), nullable=False),
    sa.Column('coordinates', sa.Text(), nullable=False),
    sa.CheckConstraint("role IN ('upstream','reach','tidal')", name=op.f('ck_river_lines_role')),
    sa.ForeignKeyConstraint(['version_id'], ['river_versions.id'], name=op.f('fk_river_lines_version_id_river_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_river_lines'))
    )
    with op.batch_alter_table('river_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_river_lines_version_id'), ['version_id'], unique=False)

    op.create_table('photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('public_name', sa.String(length=80), nullable=False),
    sa.Column('thumb_name', sa.String(length=80), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('report','after','observation')", name=op.f('ck_photos_kind')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_photos_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photos'))
    )
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photos_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_photos_sha256'), ['sha256'], unique=False)

    op.create_table('status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.String(length=24), nullable=True),
    sa.Column('to_state', sa.String(length=24), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_status_changes_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_changes'))
    )
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_changes_report_id'), ['report_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_changes_report_id'))

    op.drop_table('status_changes')
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photos_sha256'))
        batch_op.drop_index(batch_op.f('ix_photos_report_id'))

    op.drop_table('photos')
    with op.batch_alter_table('river_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_river_lines_version_id'))

    op.drop_table('river_lines')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_village_id'))
        batch_op.drop_index('ix_reports_state_created')
        batch_op.drop_index(batch_op.f('ix_reports_river_km'))
        batch_op.drop_index(batch_op.f('ix_reports_created_at'))
        batch_op.drop_index(batch_op.f('ix_reports_category'))

    op.drop_table('reports')
    op.drop_table('villages')
    op.drop_table('river_versions')
