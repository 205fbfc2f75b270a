"""clean-up days: events, reserved group seats, sign-ups, attached reports, item tallies, photos

Revision ID: 6c2b1d8e3f22
Revises: 5e1a0b7c2d11
Create Date: 2026-11-29 10:43:56.222896
"""
import sqlalchemy as sa
from alembic import op

revision = '6c2b1d8e3f22'
down_revision = '5e1a0b7c2d11'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cleanups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('meeting_village_id', sa.Integer(), nullable=True),
    sa.Column('meeting_km', sa.Float(), nullable=True),
    sa.Column('meeting_lon', sa.Float(), nullable=False),
    sa.Column('meeting_lat', sa.Float(), nullable=False),
    sa.Column('km_from', sa.Float(), nullable=False),
    sa.Column('km_to', sa.Float(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('reserved', sa.Integer(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.Column('equipment', sa.Text(), nullable=False),
    sa.Column('leader_name', sa.String(length=100), nullable=False),
    sa.Column('leader_contact', sa.String(length=100), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('cancel_message', sa.Text(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('hours', sa.Float(), nullable=True),
    sa.Column('bags', sa.Integer(), nullable=True),
    sa.Column('kg', sa.Float(), nullable=True),
    sa.Column('km_covered', sa.Float(), nullable=True),
    sa.Column('results_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'published', 'full', 'closed', 'done', 'reported', 'cancelled')", name=op.f('ck_cleanups_state')),
    sa.CheckConstraint('bags IS NULL OR bags >= 0', name=op.f('ck_cleanups_bags')),
    sa.CheckConstraint('capacity >= 1 AND capacity <= 500', name=op.f('ck_cleanups_capacity')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_cleanups_span')),
    sa.CheckConstraint('hours IS NULL OR hours >= 0', name=op.f('ck_cleanups_hours')),
    sa.CheckConstraint('kg IS NULL OR kg >= 0', name=op.f('ck_cleanups_kg')),
    sa.CheckConstraint('km_covered IS NULL OR km_covered >= 0', name=op.f('ck_cleanups_km_covered')),
    sa.CheckConstraint('km_from >= 0 AND km_to > km_from', name=op.f('ck_cleanups_section')),
    sa.CheckConstraint('meeting_village_id IS NOT NULL OR meeting_km IS NOT NULL', name=op.f('ck_cleanups_meeting_point')),
    sa.CheckConstraint('participants IS NULL OR (participants >= 0 AND participants <= 10000)', name=op.f('ck_cleanups_participants')),
    sa.CheckConstraint('reserved >= 0 AND reserved <= capacity', name=op.f('ck_cleanups_reserved')),
    sa.CheckConstraint('seats_taken >= 0 AND seats_taken + reserved <= capacity', name=op.f('ck_cleanups_seats_taken')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_cleanups_created_by_id_users')),
    sa.ForeignKeyConstraint(['meeting_village_id'], ['villages.id'], name=op.f('fk_cleanups_meeting_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cleanups'))
    )
    with op.batch_alter_table('cleanups', schema=None) as batch_op:
        batch_op.create_index('ix_cleanups_state_starts', ['state', 'starts_at'], unique=False)

    op.create_table('cleanup_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cleanup_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.CheckConstraint('seats >= 1', name=op.f('ck_cleanup_groups_seats')),
    sa.CheckConstraint('seats_taken >= 0 AND seats_taken <= seats', name=op.f('ck_cleanup_groups_seats_taken')),
    sa.ForeignKeyConstraint(['cleanup_id'], ['cleanups.id'], name=op.f('fk_cleanup_groups_cleanup_id_cleanups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cleanup_groups'))
    )
    with op.batch_alter_table('cleanup_groups', schema=None) as batch_op:
        batch_op.create_index('uq_cleanup_groups_name', ['cleanup_id', 'name'], unique=True)

    op.create_table('cleanup_items',
    sa.Column('cleanup_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=32), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.CheckConstraint('count >= 0', name=op.f('ck_cleanup_items_count')),
    sa.ForeignKeyConstraint(['cleanup_id'], ['cleanups.id'], name=op.f('fk_cleanup_items_cleanup_id_cleanups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cleanup_id', 'item', name=op.f('pk_cleanup_items'))
    )
    op.create_table('cleanup_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cleanup_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('public_name', sa.String(length=80), nullable=False),
    sa.Column('thumb_name', sa.String(length=80), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('before','after')", name=op.f('ck_cleanup_photos_kind')),
    sa.ForeignKeyConstraint(['cleanup_id'], ['cleanups.id'], name=op.f('fk_cleanup_photos_cleanup_id_cleanups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cleanup_photos'))
    )
    with op.batch_alter_table('cleanup_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cleanup_photos_cleanup_id'), ['cleanup_id'], unique=False)

    op.create_table('cleanup_reports',
    sa.Column('cleanup_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('attached_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cleaned_by_volunteers', sa.Boolean(), nullable=False),
    sa.Column('cleaned_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['cleanup_id'], ['cleanups.id'], name=op.f('fk_cleanup_reports_cleanup_id_cleanups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_cleanup_reports_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cleanup_id', 'report_id', name=op.f('pk_cleanup_reports'))
    )
    with op.batch_alter_table('cleanup_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cleanup_reports_report_id'), ['report_id'], unique=False)

    op.create_table('cleanup_signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cleanup_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('companions', sa.Integer(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('group_seats', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attendance', sa.String(length=16), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('walk_in', sa.Boolean(), nullable=False),
    sa.Column('promoted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("attendance IN ('unknown', 'attended', 'no_show')", name=op.f('ck_cleanup_signups_attendance')),
    sa.CheckConstraint("status IN ('seated', 'waitlisted', 'cancelled')", name=op.f('ck_cleanup_signups_status')),
    sa.CheckConstraint('companions >= 0 AND companions <= 10', name=op.f('ck_cleanup_signups_companions')),
    sa.CheckConstraint('group_seats >= 0 AND group_seats <= seats', name=op.f('ck_cleanup_signups_group_seats')),
    sa.CheckConstraint('seats = companions + 1', name=op.f('ck_cleanup_signups_seats')),
    sa.ForeignKeyConstraint(['cleanup_id'], ['cleanups.id'], name=op.f('fk_cleanup_signups_cleanup_id_cleanups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['cleanup_groups.id'], name=op.f('fk_cleanup_signups_group_id_cleanup_groups')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_cleanup_signups_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cleanup_signups')),
    sa.UniqueConstraint('code', name=op.f('uq_cleanup_signups_code'))
    )
    with op.batch_alter_table('cleanup_signups', schema=None) as batch_op:
        batch_op.create_index('ix_cleanup_signups_queue', ['cleanup_id', 'status', 'id'], unique=False)
        batch_op.create_index('uq_cleanup_signups_live_phone', ['cleanup_id', 'phone'], unique=True, sqlite_where=sa.text("status != 'cancelled'"), postgresql_where=sa.text("status != 'cancelled'"))



def downgrade() -> None:
    with op.batch_alter_table('cleanup_signups', schema=None) as batch_op:
        batch_op.drop_index('uq_cleanup_signups_live_phone', sqlite_where=sa.text("status != 'cancelled'"), postgresql_where=sa.text("status != 'cancelled'"))
        batch_op.drop_index('ix_cleanup_signups_queue')

    op.drop_table('cleanup_signups')
    with op.batch_alter_table('cleanup_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cleanup_reports_report_id'))

    op.drop_table('cleanup_reports')
    with op.batch_alter_table('cleanup_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cleanup_photos_cleanup_id'))

    op.drop_table('cleanup_photos')
    op.drop_table('cleanup_items')
    with op.batch_alter_table('cleanup_groups', schema=None) as batch_op:
        batch_op.drop_index('uq_cleanup_groups_name')

    op.drop_table('cleanup_groups')
    with op.batch_alter_table('cleanups', schema=None) as batch_op:
        batch_op.drop_index('ix_cleanups_state_starts')

    op.drop_table('cleanups')
